"""Threads and readers a running job needs: its log pump, heartbeat and hyperopt epoch follower."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from gentrade_core.domain.hyperopt import HyperoptEpoch
from gentrade_core.domain.job import LOG_TAIL_LINES
from gentrade_core.freqtrade.paths import PathMask
from gentrade_core.freqtrade.results import parse_hyperopt_epochs
from gentrade_core.ports.runtime import RunHandle
from gentrade_core.ports.storage import ArtifactStore


class LogPump:
    """
    Copies a run's output to the job's log file as it arrives and keeps lines for the job row,
    each line masked first: the user sees the log, so it must not show the server's paths.
    """

    def __init__(self, handle: RunHandle, sink: Callable[[bytes], None], paths: PathMask) -> None:
        self._handle = handle
        self._sink = sink
        self._paths = paths
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self.tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
        self._thread = threading.Thread(target=self._pump, name="gentrade-log-pump", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._thread.join(timeout=10)

    def _pump(self) -> None:
        for raw in self._handle.logs():
            line = self._paths.mask(raw)
            self._sink((line + "\n").encode())
            with self._lock:
                self._pending.append(line)
                self.tail.append(line)

    def drain(self) -> list[str]:
        with self._lock:
            lines, self._pending = self._pending, []
        return lines

    def requeue(self, lines: list[str]) -> None:
        with self._lock:
            self._pending = lines + self._pending


class Heartbeat:
    """Beats every `seconds` in a thread while slow preparation (a data download) runs."""

    def __init__(self, beat: Callable[[], object], seconds: float) -> None:
        self._beat = beat
        self._seconds = seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gentrade-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._seconds):
            self._beat()


class EpochReader:
    """
    Follows the hyperopt's `.fthypt` file as it grows, reading only what is new: each line carries
    an epoch's whole trade list, so re-reading the file every heartbeat would cost more and more.
    """

    def __init__(self, artifacts: ArtifactStore, job_id: str) -> None:
        self._artifacts = artifacts
        self._job_id = job_id
        self._name: str | None = None
        self._offset = 0
        self.done = 0
        self.best: HyperoptEpoch | None = None

    def read(self) -> tuple[int, HyperoptEpoch | None]:
        if self._name is None:
            files = sorted(a.name for a in self._artifacts.list(self._job_id) if a.name.endswith(".fthypt"))
            if not files:
                return self.done, self.best
            self._name = files[-1]
        data = self._artifacts.read(self._job_id, self._name, offset=self._offset)
        complete = data[: data.rfind(b"\n") + 1]  # a half-written last line waits for the next read
        self._offset += len(complete)
        done, best = parse_hyperopt_epochs(complete.decode("utf-8", "replace").splitlines())
        self.done += done
        if best is not None and (self.best is None or best.loss < self.best.loss):
            self.best = best
        return self.done, self.best
