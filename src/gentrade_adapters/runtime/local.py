"""
Freqtrade as a child process of this one: the runtime that needs nothing installed.

The launcher runs with the current interpreter in its own session, so a cancel reaches every
process it started (hyperopt's workers too). This runtime isolates nothing: it cannot switch the
network off (`RunSpec.network` is ignored; the markets snapshot only means Freqtrade has no reason
to go online), nor enforce `RunSpec.limits` (rlimits set before exec are unsafe with threads and
break numpy's address-space reservations). Run untrusted strategies in a container runtime.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import IO

from gentrade_adapters.runtime.output import RunOutput
from gentrade_core.ports.runtime import RunHandle, RunSpec, RunState, Runtime, RuntimeUnavailable

LAUNCHER = "gentrade_adapters.freqtrade.launcher"
CANCEL_GRACE_SECONDS = 3.0


class LocalRunHandle(RunHandle):
    """One running launcher; a reader thread drains its output so nothing blocks on a full pipe."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._process = process
        self._output = RunOutput()
        self._reader = threading.Thread(target=self._read, name=f"runtime-log-{process.pid}", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stream: IO[str] | None = self._process.stdout
        if stream is not None:
            for line in stream:
                self._output.add_line(line.rstrip("\n"))
        self._output.end_output()

    def logs(self) -> Iterator[str]:
        return self._output.lines()

    def wait(self, timeout: float | None = None) -> int | None:
        try:
            code = self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._output.set_exit_code(code)
        return code

    def state(self) -> RunState:
        # No thread waits on the process (it would make poll() see nothing), so its exit is noted here.
        if (code := self._process.poll()) is not None:
            self._output.set_exit_code(code)
        return self._output.state()

    def _signal_group(self, signum: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signum)

    def cancel(self) -> None:
        """SIGTERM to the whole process group, SIGKILL to whatever is left after the grace period."""
        if self._process.poll() is not None:
            return
        self._output.mark_cancelled()
        self._signal_group(signal.SIGTERM)
        if self.wait(CANCEL_GRACE_SECONDS) is None:
            self._signal_group(signal.SIGKILL)
            self._process.wait()
        # Workers that outlived the launcher (hyperopt's) are still in its group.
        self._signal_group(signal.SIGKILL)

    def cleanup(self) -> None:
        """Stop the run if it is still going and release the output pipe."""
        self.cancel()
        self._reader.join(timeout=CANCEL_GRACE_SECONDS)
        if self._process.stdout is not None:
            self._process.stdout.close()


class LocalRuntime(Runtime):
    def start(self, spec: RunSpec) -> RunHandle:
        if not os.path.isdir(spec.workdir):
            raise RuntimeUnavailable(
                f"job directory {spec.workdir!r} does not exist; create it before starting {spec.name!r}"
            )
        markets = ("--markets", spec.markets_file) if spec.markets_file else ()
        command = [sys.executable, "-m", LAUNCHER, *markets, "--", *spec.args]
        env = {**os.environ, **spec.env, "PYTHONUNBUFFERED": "1"}
        try:
            process = subprocess.Popen(
                command,
                cwd=spec.workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=True,
            )
        except OSError as e:
            raise RuntimeUnavailable(f"cannot start {sys.executable}: {e}") from e
        return LocalRunHandle(process)
