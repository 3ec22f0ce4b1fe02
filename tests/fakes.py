"""Working fakes for ports we own that have no contract-tested adapter of their own here."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from gentrade_core.domain.job import JobKind
from gentrade_core.ports.clock import Clock, IdGenerator
from gentrade_core.ports.queue import JobQueue, QueueUnavailable


class FakeQueue(JobQueue):
    """Records what was enqueued; `down = True` makes it behave like an unreachable broker."""

    def __init__(self) -> None:
        self.sent: list[tuple[JobKind, str]] = []
        self.down = False
        self.closed = False

    def enqueue(self, kind: JobKind, job_id: str) -> None:
        if self.down or self.closed:
            raise QueueUnavailable("broker unreachable")
        self.sent.append((kind, job_id))

    def close(self) -> None:
        self.closed = True


class TickingClock(Clock):
    """Each call is one second later, so ordering by time is deterministic."""

    def __init__(self, start: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> None:
        self._times = (start + timedelta(seconds=i) for i in itertools.count())

    def now(self) -> datetime:
        return next(self._times)


class SequentialIds(IdGenerator):
    def __init__(self) -> None:
        self._n = itertools.count(1)

    def new_id(self) -> str:
        return f"id{next(self._n):04d}"
