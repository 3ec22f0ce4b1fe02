"""
A Dramatiq worker running inside this process, for `gentrade worker` and for tests.

It does what Dramatiq's own CLI does around `dramatiq.Worker` that matters to us: the
`process_boot` signal, which starts TimeLimit's watchdog. Prefetch is one message per thread:
a message prefetched behind an hour-long job would wait, unacknowledged, while other workers idle.
"""

from __future__ import annotations

from collections.abc import Collection

import dramatiq
from dramatiq import Broker


class DramatiqWorker:
    def __init__(
        self,
        broker: Broker,
        *,
        threads: int,
        queues: Collection[str] | None = None,
        idle_timeout_ms: int = 1000,
    ) -> None:
        self._broker = broker
        self._worker = dramatiq.Worker(
            broker,
            queues=set(queues) if queues else None,
            worker_threads=threads,
            worker_timeout=idle_timeout_ms,
        )
        self._worker.queue_prefetch = threads
        self._started = False

    def start(self) -> None:
        self._broker.emit_after("process_boot")
        self._worker.start()
        self._started = True

    def stop(self, timeout_seconds: float = 30.0) -> None:
        """
        Stop taking messages and wait up to `timeout_seconds` for running ones. A job still running
        then is abandoned with its message unacknowledged: the broker redelivers it, and the reaper
        requeues the job once its heartbeat goes stale.
        """
        if self._started:
            self._started = False
            self._worker.stop(timeout=int(timeout_seconds * 1000))
