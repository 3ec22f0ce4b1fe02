"""
The embedded job queue: worker threads in this process.

Bounded: at most `workers` jobs run at once, the rest wait in order. A job that raises is logged
and the worker goes on; the job's own state is the runner's business.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from gentrade_core.domain.job import JobKind
from gentrade_core.ports.queue import JobQueue, QueueUnavailable

log = logging.getLogger(__name__)

Handler = Callable[[JobKind, str], None]


class InProcessJobQueue(JobQueue):
    def __init__(self, handler: Handler, workers: int = 2) -> None:
        self._handler = handler
        self._items: queue.Queue[tuple[JobKind, str] | None] = queue.Queue()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"gentrade-worker-{i}", daemon=True)
            for i in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def enqueue(self, kind: JobKind, job_id: str) -> None:
        if self._closed:
            raise QueueUnavailable("the in-process queue is shut down")
        self._items.put((kind, job_id))

    def _work(self) -> None:
        while (item := self._items.get()) is not None:
            kind, job_id = item
            try:
                self._handler(kind, job_id)
            except Exception:
                log.exception("%s %s failed in the worker", kind.value, job_id)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for _ in self._threads:
            self._items.put(None)  # one stop marker per worker
        for thread in self._threads:
            thread.join(timeout=30)
