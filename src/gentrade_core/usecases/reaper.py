"""
Finds jobs whose worker died and gets them going again, or fails them for good.

Every worker runs one; they may run at the same time, because each change is an optimistic write:
of two reapers (or a reaper and a reviving worker) only one wins, the other skips the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import attrs

from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.queue import JobQueue, QueueUnavailable
from gentrade_core.ports.repositories import ConcurrentUpdate, UnitOfWork
from gentrade_core.usecases.jobs import repository

log = logging.getLogger(__name__)


@attrs.frozen
class ReapReport:
    requeued: list[str]
    failed: list[str]
    nudged: list[str]


@attrs.define
class Reaper:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    queue: JobQueue
    heartbeat_timeout: timedelta = timedelta(seconds=60)
    queued_timeout: timedelta = timedelta(minutes=10)
    """A job queued this long without a worker taking it gets its message sent again."""
    max_attempts: int = 3

    def reap(self, resend_all_queued: bool = False) -> ReapReport:
        """
        One round. `resend_all_queued` is for a process whose queue lived in memory and died with
        it: every queued job is sent again at start-up.
        """
        report = ReapReport([], [], [])
        now = self.clock.now()
        queued_cutoff = now if resend_all_queued else now - self.queued_timeout
        for kind in JobKind:
            self._reap_kind(kind, now - self.heartbeat_timeout, queued_cutoff, report)
        return report

    def _reap_kind(
        self, kind: JobKind, cutoff: datetime, queued_cutoff: datetime, report: ReapReport
    ) -> None:
        with self.uow() as uow:
            stale = [job.id for job in repository(uow, kind).stale(cutoff)]
            waiting = [job.id for job in repository(uow, kind).waiting_since(queued_cutoff)]
        for job_id in stale:
            self._revive(kind, job_id, cutoff, report)
        for job_id in waiting:
            self._nudge(kind, job_id, report)

    def _revive(self, kind: JobKind, job_id: str, cutoff: datetime, report: ReapReport) -> None:
        now = self.clock.now()
        try:
            with self.uow() as uow:
                repo = repository(uow, kind)
                job = repo.get(job_id)
                if job is None or job.status not in (JobStatus.DOWNLOADING_DATA, JobStatus.RUNNING):
                    return
                if job.heartbeat_at is not None and job.heartbeat_at >= cutoff:
                    return  # it beat again since we looked
                retry = job.attempts < self.max_attempts
                if not retry:
                    job.fail(
                        f"the worker running this {kind.value} stopped responding {job.attempts} times "
                        f"(no heartbeat for {int(self.heartbeat_timeout.total_seconds())} s); giving up",
                        now,
                    )
                else:
                    job.requeue(now)
                repo.save(job)  # type: ignore[arg-type]
                uow.commit()
        except ConcurrentUpdate:
            return  # another reaper or the worker itself got there first
        (report.requeued if retry else report.failed).append(job_id)
        if retry:
            self._send(kind, job_id)

    def _nudge(self, kind: JobKind, job_id: str, report: ReapReport) -> None:
        """A job queued for longer than the timeout lost its message (or the broker did): send it again."""
        try:
            with self.uow() as uow:
                repo = repository(uow, kind)
                job = repo.get(job_id)
                if job is None or job.status is not JobStatus.QUEUED:
                    return
                job.updated_at = self.clock.now()  # so the next round waits a full timeout again
                repo.save(job)  # type: ignore[arg-type]
                uow.commit()
        except ConcurrentUpdate:
            return
        report.nudged.append(job_id)
        self._send(kind, job_id)

    def _send(self, kind: JobKind, job_id: str) -> None:
        try:
            self.queue.enqueue(kind, job_id)
        except QueueUnavailable:
            log.warning("queue unavailable; %s %s will be sent again next round", kind.value, job_id)
