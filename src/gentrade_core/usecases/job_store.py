"""
How a worker reads and writes the job it runs: claims that happen once, and updates that survive
concurrent writers (API cancels, reapers) and short database outages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import attrs

from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.strategy import Strategy
from gentrade_core.domain.strategy_check import StrategyCheck
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.repositories import ConcurrentUpdate, StoreUnavailable, UnitOfWork
from gentrade_core.usecases.jobs import repository

log = logging.getLogger(__name__)

Job = Backtest | Hyperopt | StrategyCheck


@attrs.frozen
class Claim:
    """This worker's hold on one attempt of a job; a requeue by the reaper starts a new attempt."""

    kind: JobKind
    job_id: str
    attempt: int


@attrs.define
class JobStore:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    outage_seconds: float = 120.0
    """How long to keep retrying through a database outage before giving up on a write."""

    def claim(self, kind: JobKind, job_id: str) -> tuple[Claim, Job, Strategy | None] | None:
        """Move a queued job to `downloading_data` for this worker; None if it is not ours to run."""
        try:
            with self.uow() as uow:
                repo = repository(uow, kind)
                job = repo.get(job_id)
                if job is None or job.status is not JobStatus.QUEUED:
                    return None
                strategy = uow.strategies.get(job.strategy_id)
                job.start_download(self.clock.now())
                repo.save(job)  # type: ignore[arg-type]
                uow.commit()
        except ConcurrentUpdate:
            return None  # another worker claimed it first
        return Claim(kind, job_id, job.attempts), job, strategy

    def update(self, claim: Claim, change: Callable[[Job], object]) -> Job | None:
        """
        Apply `change` to the freshly loaded job and save it. None when the job is no longer this
        attempt's: it ended, or the reaper handed it to another worker.
        """
        deadline = time.monotonic() + self.outage_seconds
        while True:
            try:
                return self._apply(claim, change)
            except ConcurrentUpdate:
                continue  # someone wrote in between: re-read and decide again
            except StoreUnavailable:
                if time.monotonic() > deadline:
                    raise
                log.warning("database unavailable while updating %s; retrying", claim.job_id)
                time.sleep(1.0)

    def _apply(self, claim: Claim, change: Callable[[Job], object]) -> Job | None:
        with self.uow() as uow:
            repo = repository(uow, claim.kind)
            job = repo.get(claim.job_id)
            if job is None or job.status.is_terminal or job.status is JobStatus.QUEUED:
                return None
            if job.attempts != claim.attempt:
                return None
            change(job)
            repo.save(job)  # type: ignore[arg-type]
            uow.commit()
            return job

    def end(
        self, claim: Claim, lines: list[str], failure: str | None = None, cancelled: bool = False
    ) -> None:
        now = self.clock.now()

        def change(job: Job) -> None:
            job.append_logs(lines)
            if cancelled:
                job.cancel(now)
            else:
                job.fail(failure or "failed", now)

        self.update(claim, change)
