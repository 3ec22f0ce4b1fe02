"""
The production job queue: job ids sent to Dramatiq actors over RabbitMQ or Redis.

Enqueueing only publishes; workers (`gentrade worker`) consume. Connection failures become the
port's `QueueUnavailable`, so the API can answer 503 instead of accepting a job nobody will run.
"""

from __future__ import annotations

from dramatiq import Broker

from gentrade_adapters.queue.dramatiq_actors import JobActors
from gentrade_adapters.queue.dramatiq_broker import connection_errors
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.queue import JobQueue, QueueUnavailable


class DramatiqJobQueue(JobQueue):
    def __init__(self, actors: JobActors) -> None:
        self.actors = actors
        self._closed = False

    @property
    def broker(self) -> Broker:
        return self.actors.broker

    def enqueue(self, kind: JobKind, job_id: str) -> None:
        if self._closed:
            raise QueueUnavailable("the job queue is closed")
        try:
            self.actors.for_kind(kind).send(job_id)
        except connection_errors() as e:
            raise QueueUnavailable(f"the message broker is unreachable: {e}") from e

    def close(self) -> None:
        """Close this process's broker connections; workers, if any, must be stopped first."""
        if not self._closed:
            self._closed = True
            self.broker.close()
