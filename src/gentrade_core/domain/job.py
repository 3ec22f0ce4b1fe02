"""The lifecycle every job (backtest, hyperopt, strategy check) shares: its state machine and bookkeeping."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs

from gentrade_core.errors import IllegalTransition

LOG_TAIL_LINES = 200


class JobStatus(StrEnum):
    QUEUED = "queued"
    DOWNLOADING_DATA = "downloading_data"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL


TERMINAL = frozenset({JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELLED})

# A crashed worker's job goes back to `queued` (a retry), so active states may move there.
_MOVES: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.DOWNLOADING_DATA, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.DOWNLOADING_DATA: frozenset(
        {JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.QUEUED}
    ),
    JobStatus.RUNNING: frozenset(
        {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.QUEUED}
    ),
    JobStatus.FINISHED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}


def can_move(current: JobStatus, target: JobStatus) -> bool:
    return target in _MOVES[current]


class JobKind(StrEnum):
    BACKTEST = "backtest"
    HYPEROPT = "hyperopt"
    CHECK = "check"
    """Freqtrade loads a strategy version (`domain/strategy_check.py`)."""


@attrs.define
class Job:
    """
    A unit of work on Freqtrade. The stored row is the truth; a queue message carries only `id`.
    """

    id: str
    owner_id: str
    created_at: datetime
    status: JobStatus = JobStatus.QUEUED
    updated_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    attempts: int = 0
    error: str | None = None
    log_tail: list[str] = attrs.field(factory=list[str])
    cancel_requested: bool = False
    version: int = 0
    """Bumped by every save; a save from a stale copy is refused (optimistic concurrency)."""

    kind: JobKind = attrs.field(init=False, default=JobKind.BACKTEST)

    def _move(self, target: JobStatus, at: datetime) -> None:
        if not can_move(self.status, target):
            raise IllegalTransition(self.status.value, target.value)
        self.status = target
        self.updated_at = at
        if target.is_terminal:
            self.finished_at = at

    def start_download(self, at: datetime) -> None:
        self._move(JobStatus.DOWNLOADING_DATA, at)
        self.attempts += 1
        self.started_at = self.started_at or at
        self.heartbeat_at = at

    def start_running(self, at: datetime) -> None:
        self._move(JobStatus.RUNNING, at)
        self.heartbeat_at = at

    def fail(self, reason: str, at: datetime) -> None:
        self._move(JobStatus.FAILED, at)
        self.error = reason

    def cancel(self, at: datetime) -> None:
        self._move(JobStatus.CANCELLED, at)

    def requeue(self, at: datetime) -> None:
        """Put a job whose worker died back in the queue for another attempt."""
        self._move(JobStatus.QUEUED, at)
        self.heartbeat_at = None

    def heartbeat(self, at: datetime) -> None:
        self.heartbeat_at = at

    def request_cancel(self, at: datetime) -> None:
        """Ask for a cancel: a queued job ends now, an active one when its worker sees the flag."""
        if self.status.is_terminal:
            raise IllegalTransition(self.status.value, JobStatus.CANCELLED.value)
        if self.status is JobStatus.QUEUED:
            self.cancel(at)
        else:
            self.cancel_requested = True
            self.updated_at = at

    def append_logs(self, lines: list[str]) -> None:
        self.log_tail = (self.log_tail + lines)[-LOG_TAIL_LINES:]
