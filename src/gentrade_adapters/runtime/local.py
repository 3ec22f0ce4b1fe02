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
from collections import deque
from collections.abc import Iterator
from typing import IO

from gentrade_core.ports.runtime import RunHandle, RunSpec, RunState, Runtime, RuntimeUnavailable

LAUNCHER = "gentrade_adapters.freqtrade.launcher"
CANCEL_GRACE_SECONDS = 3.0


class LocalRunHandle(RunHandle):
    """One running launcher; a reader thread drains its output so nothing blocks on a full pipe."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._process = process
        self._lines: deque[str] = deque()
        self._ended = False
        self._cancelled = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, name=f"runtime-log-{process.pid}", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stream: IO[str] | None = self._process.stdout
        if stream is not None:
            for line in stream:
                with self._changed:
                    self._lines.append(line.rstrip("\n"))
                    self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def logs(self) -> Iterator[str]:
        """Lines not yet taken by any caller, as they arrive, until the output ends."""
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._lines or self._ended)
                if not self._lines:
                    return
                line = self._lines.popleft()
            yield line

    def wait(self, timeout: float | None = None) -> int | None:
        try:
            return self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def state(self) -> RunState:
        code = self._process.poll()
        if self._cancelled:
            return RunState.CANCELLED
        if code is None:
            return RunState.RUNNING
        return RunState.SUCCEEDED if code == 0 else RunState.FAILED

    def _signal_group(self, signum: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signum)

    def cancel(self) -> None:
        """SIGTERM to the whole process group, SIGKILL to whatever is left after the grace period."""
        if self._process.poll() is not None:
            return
        self._cancelled = True
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
