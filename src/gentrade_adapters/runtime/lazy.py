"""A runtime made on first use, so a misconfigured one fails jobs with its reason instead of start-up."""

from __future__ import annotations

import threading
from collections.abc import Callable

from gentrade_core.ports.runtime import RunHandle, RunSpec, Runtime


class LazyRuntime(Runtime):
    def __init__(self, make: Callable[[], Runtime]) -> None:
        self._make = make
        self._runtime: Runtime | None = None
        self._lock = threading.Lock()

    def start(self, spec: RunSpec) -> RunHandle:
        with self._lock:
            if self._runtime is None:
                self._runtime = self._make()  # RuntimeUnavailable propagates and fails this job
        return self._runtime.start(spec)
