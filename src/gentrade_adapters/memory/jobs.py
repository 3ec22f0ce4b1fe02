"""The in-memory job repositories (backtests, hyperopts, strategy checks)."""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from datetime import datetime
from typing import TypeVar

from gentrade_adapters.memory.paging import newest_first
from gentrade_adapters.memory.staged import Staged
from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.job import JobStatus
from gentrade_core.domain.strategy_check import StrategyCheck
from gentrade_core.ports.repositories import CheckRepository, ConcurrentUpdate, JobRepository, Page

J = TypeVar("J", Backtest, Hyperopt, StrategyCheck)

# Jobs a worker holds; a queued job has no worker yet, so no heartbeat to go stale.
ACTIVE = frozenset({JobStatus.DOWNLOADING_DATA, JobStatus.RUNNING})


class InMemoryJobRepository(JobRepository[J]):
    def __init__(self, table: Staged[J]) -> None:
        self._table = table

    def add(self, job: J) -> None:
        job.version = 1
        self._table.insert(job.id, job)

    def get(self, job_id: str) -> J | None:
        return self._table.get(job_id)

    def save(self, job: J) -> None:
        current = self._table.visible().get(job.id)
        if current is not None and current.version != job.version:
            raise ConcurrentUpdate(f"{self._table.table} {job.id!r} changed since it was read")
        job.version += 1
        self._table.update(job.id, job)

    def delete(self, job_id: str) -> None:
        self._table.delete(job_id)

    def list(
        self,
        owner_id: str,
        strategy_id: str | None = None,
        status: JobStatus | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page[J]:
        found = (
            j
            for j in self._table.visible().values()
            if j.owner_id == owner_id and strategy_id in (None, j.strategy_id) and status in (None, j.status)
        )
        return newest_first(found, offset, limit)

    def count_for_strategy(self, strategy_id: str) -> int:
        return sum(j.strategy_id == strategy_id for j in self._table.visible().values())

    def waiting_since(self, before: datetime) -> Sequence[J]:
        found = [
            j
            for j in self._table.visible().values()
            if j.status is JobStatus.QUEUED and (j.updated_at or j.created_at) < before
        ]
        return deepcopy(sorted(found, key=lambda j: (j.created_at, j.id)))

    def stale(self, heartbeat_before: datetime) -> Sequence[J]:
        """An active job with no heartbeat at all counts as stale, so it cannot hang forever."""
        found = [
            j
            for j in self._table.visible().values()
            if j.status in ACTIVE and (j.heartbeat_at is None or j.heartbeat_at < heartbeat_before)
        ]
        return deepcopy(sorted(found, key=lambda j: (j.created_at, j.id)))


class InMemoryCheckRepository(InMemoryJobRepository[StrategyCheck], CheckRepository):
    def for_versions(self, versions: Sequence[tuple[str, int]]) -> Sequence[StrategyCheck]:
        wanted = set(versions)
        found = self._table.visible().values()
        return deepcopy([c for c in found if (c.strategy_id, c.strategy_version) in wanted])

    def delete_for_strategy(self, strategy_id: str) -> Sequence[str]:
        ids = [c.id for c in self._table.visible().values() if c.strategy_id == strategy_id]
        for check_id in ids:
            self._table.delete(check_id)
        return ids
