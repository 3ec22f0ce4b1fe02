"""What every run handle keeps between the thread that follows a run and the callers of the handle."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator

from gentrade_core.ports.runtime import RunState


class RunOutput:
    """
    A run's buffered output lines, whether they have ended, its exit code and whether it was
    cancelled. One condition guards them all, so a caller waiting on one wakes on any change.
    """

    def __init__(self) -> None:
        self._lines: deque[str] = deque()
        self._ended = False
        self._exit_code: int | None = None
        self._cancelled = False
        self._changed = threading.Condition()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def add_line(self, line: str) -> None:
        with self._changed:
            self._lines.append(line)
            self._changed.notify_all()

    def end_output(self) -> None:
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def set_exit_code(self, code: int) -> None:
        """The first code set stays: a cancel's own code must not replace one the run reported."""
        with self._changed:
            if self._exit_code is None:
                self._exit_code = code
            self._changed.notify_all()

    def mark_cancelled(self) -> bool:
        """Cancelled, unless an exit code is known already: then False, and the state stays."""
        with self._changed:
            if self._exit_code is not None:
                return False
            self._cancelled = True
            self._changed.notify_all()
            return True

    def lines(self, *, stop_on_cancel: bool = False) -> Iterator[str]:
        """Lines not yet taken by any caller, as they arrive, until the output ends (or the run is
        cancelled, with `stop_on_cancel`: for a runtime whose output may never end once cancelled)."""
        while True:
            with self._changed:
                self._changed.wait_for(
                    lambda: self._lines or self._ended or (stop_on_cancel and self._cancelled)
                )
                if not self._lines:
                    return
                line = self._lines.popleft()
            yield line

    def wait_exit(self, timeout: float | None = None) -> int | None:
        """The exit code, once set, or None if `timeout` seconds pass first."""
        with self._changed:
            self._changed.wait_for(lambda: self._exit_code is not None, timeout)
            return self._exit_code

    def state(self) -> RunState:
        with self._changed:
            if self._cancelled:
                return RunState.CANCELLED
            if self._exit_code is None:
                return RunState.RUNNING
            return RunState.SUCCEEDED if self._exit_code == 0 else RunState.FAILED
