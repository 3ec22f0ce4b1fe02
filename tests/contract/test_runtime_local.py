"""The local subprocess runtime: the runtime contract, plus what only a local process can show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gentrade_adapters.runtime.local import LocalRunHandle, LocalRuntime
from gentrade_core.ports.runtime import RunSpec, RunState, Runtime, RuntimeUnavailable
from tests.contract.runtime_contract import RuntimeContract


class TestLocalRuntime(RuntimeContract):
    def make_runtime(self) -> Runtime:
        return LocalRuntime()


def chatty_process(lines: int, exit_code: int = 0) -> subprocess.Popen[str]:
    script = f"import sys\nfor i in range({lines}): print('line', i)\nsys.exit({exit_code})"
    return subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip


def test_a_missing_job_directory_is_reported_as_unavailable(tmp_path: Path) -> None:
    """Nothing starts, and the message names the directory."""
    spec = RunSpec(name="job", args=("--version",), workdir=str(tmp_path / "missing"))
    with pytest.raises(RuntimeUnavailable, match="missing"):
        LocalRuntime().start(spec)


def test_waiting_before_reading_logs_does_not_block_on_a_full_pipe() -> None:
    """Far more output than a pipe holds: wait() still returns, and every line is kept for logs()."""
    sut = LocalRunHandle(chatty_process(50_000))
    assert 0 == sut.wait(30)
    lines = list(sut.logs())
    sut.cleanup()
    assert (50_000, "line 0", "line 49999") == (len(lines), lines[0], lines[-1])


def test_successive_log_readers_share_one_stream() -> None:
    """A line is handed out once: a second call continues where the first stopped."""
    sut = LocalRunHandle(chatty_process(10))
    first = sut.logs()
    head = [next(first), next(first)]
    rest = list(sut.logs())
    sut.cleanup()
    assert ["line 0", "line 1"] == head
    assert [f"line {i}" for i in range(2, 10)] == rest


def test_exit_codes_map_onto_states() -> None:
    """Zero is SUCCEEDED, anything else FAILED; cancelling a finished run changes nothing."""
    succeeded, failed = LocalRunHandle(chatty_process(1)), LocalRunHandle(chatty_process(1, exit_code=3))
    assert (0, 3) == (succeeded.wait(30), failed.wait(30))
    failed.cancel()
    assert (RunState.SUCCEEDED, RunState.FAILED) == (succeeded.state(), failed.state())
    succeeded.cleanup()
    failed.cleanup()
