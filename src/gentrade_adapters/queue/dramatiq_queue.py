"""
The production job queue: job ids sent to Dramatiq actors over RabbitMQ or Redis.

Enqueueing only publishes; workers (`gentrade worker`) consume. Connection failures become the
port's `QueueUnavailable`, so the API can answer 503 instead of accepting a job nobody will run.

Every publish goes through one thread of this queue's own. Dramatiq keeps a RabbitMQ connection
per thread, and the API's handler threads come and go: each would open its own connection (a
handshake of several round trips) on its first request and keep it. One thread means one
connection per process, opened once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from dramatiq import Broker

from gentrade_adapters.queue.dramatiq_actors import JobActors
from gentrade_adapters.queue.dramatiq_broker import connect, connection_errors
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.queue import JobQueue, QueueUnavailable


class DramatiqJobQueue(JobQueue):
    def __init__(self, actors: JobActors) -> None:
        self.actors = actors
        self._closed = False
        self._publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gentrade-publish")

    @property
    def broker(self) -> Broker:
        return self.actors.broker

    def enqueue(self, kind: JobKind, job_id: str) -> None:
        self._publish(self.actors.for_kind(kind).send, job_id)

    def connect(self) -> None:
        self._publish(connect, self.broker)

    def _publish(self, call: Callable[..., object], *args: object) -> None:
        if self._closed:
            raise QueueUnavailable("the job queue is closed")
        try:
            self._publisher.submit(call, *args).result()
        except connection_errors() as e:
            raise QueueUnavailable(f"the message broker is unreachable: {e}") from e

    def close(self) -> None:
        """Close this process's broker connections; workers, if any, must be stopped first."""
        if not self._closed:
            self._closed = True
            self._publisher.shutdown()
            self.broker.close()
