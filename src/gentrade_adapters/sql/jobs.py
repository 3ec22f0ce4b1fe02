"""The job repositories (backtests, hyperopts, strategy checks) over a SQLAlchemy session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Insert, delete, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gentrade_adapters.sql.errors import translated
from gentrade_adapters.sql.job_mapping import check_columns, to_check
from gentrade_adapters.sql.rows import BacktestRow, Base, HyperoptRow, StrategyCheckRow
from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.job import JobStatus
from gentrade_core.domain.strategy_check import StrategyCheck
from gentrade_core.errors import NotFound
from gentrade_core.ports.repositories import CheckRepository, ConcurrentUpdate, JobRepository, Page

J = TypeVar("J", Backtest, Hyperopt, StrategyCheck)
RowT = TypeVar("RowT", BacktestRow, HyperoptRow, StrategyCheckRow)

# Jobs a worker holds; a queued job has no worker yet, so no heartbeat to go stale.
ACTIVE = (JobStatus.DOWNLOADING_DATA.value, JobStatus.RUNNING.value)


@cache
def _insert_into(table: str) -> Insert:
    """One INSERT per table for the process: a unit of work (one per request) builds none."""
    return insert(Base.metadata.tables[table])


class SqlJobRepository(JobRepository[J], Generic[J, RowT]):
    """One class for every job table: `load` and `columns` map the kind-specific columns."""

    def __init__(
        self,
        session: Session,
        row_type: type[RowT],
        load: Callable[[RowT], J],
        columns: Callable[[J], dict[str, Any]],
    ) -> None:
        self._session = session
        self._row = row_type
        self._load = load
        self._columns = columns

    @translated
    def add(self, job: J) -> None:
        # A plain INSERT: submitting is the API's hot path, and a new row needs no unit-of-work
        # bookkeeping (about a third of a submission's CPU went there).
        statement = _insert_into(self._row.__tablename__)
        self._session.connection().execute(statement, [self._columns(job) | {"version": 1}])
        job.version = 1

    @translated
    def get(self, job_id: str) -> J | None:
        row = self._session.get(self._row, job_id)
        return None if row is None else self._load(row)

    @translated
    def save(self, job: J) -> None:
        row = self._session.get(self._row, job.id)
        if row is None:
            raise NotFound(self._row.__tablename__, job.id)
        if row.version != job.version:
            raise ConcurrentUpdate(f"{self._row.__tablename__} {job.id!r} changed since it was read")
        for name, value in self._columns(job).items():
            setattr(row, name, value)
        try:
            # The mapper's version column makes this `UPDATE ... WHERE version = :read`.
            self._session.flush()
        except StaleDataError as e:
            raise ConcurrentUpdate(f"{self._row.__tablename__} {job.id!r} changed since it was read") from e
        job.version = row.version

    @translated
    def delete(self, job_id: str) -> None:
        self._session.execute(delete(self._row).where(self._row.id == job_id))

    @translated
    def list(
        self,
        owner_id: str,
        strategy_id: str | None = None,
        status: JobStatus | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page[J]:
        where: list[ColumnElement[bool]] = [self._row.owner_id == owner_id]
        if strategy_id is not None:
            where.append(self._row.strategy_id == strategy_id)
        if status is not None:
            where.append(self._row.status == status.value)
        total = self._session.scalar(select(func.count()).select_from(self._row).where(*where)) or 0
        query = (
            select(self._row)
            .where(*where)
            .order_by(self._row.created_at.desc(), self._row.id.desc())
            .offset(offset)
            .limit(limit)
        )
        items = [self._load(row) for row in self._session.scalars(query)]
        return Page(items=items, total=total, offset=offset, limit=limit)

    @translated
    def count_for_strategy(self, strategy_id: str) -> int:
        query = select(func.count()).select_from(self._row).where(self._row.strategy_id == strategy_id)
        return self._session.scalar(query) or 0

    @translated
    def waiting_since(self, before: datetime) -> Sequence[J]:
        touched = func.coalesce(self._row.updated_at, self._row.created_at)
        query = (
            select(self._row)
            .where(self._row.status == JobStatus.QUEUED.value, touched < before)
            .order_by(self._row.created_at, self._row.id)
        )
        return [self._load(row) for row in self._session.scalars(query)]

    @translated
    def stale(self, heartbeat_before: datetime) -> Sequence[J]:
        """An active job with no heartbeat at all counts as stale, so it cannot hang forever."""
        beat = self._row.heartbeat_at
        query = (
            select(self._row)
            .where(self._row.status.in_(ACTIVE), or_(beat.is_(None), beat < heartbeat_before))
            .order_by(self._row.created_at, self._row.id)
        )
        return [self._load(row) for row in self._session.scalars(query)]


class SqlCheckRepository(SqlJobRepository[StrategyCheck, StrategyCheckRow], CheckRepository):
    def __init__(self, session: Session) -> None:
        super().__init__(session, StrategyCheckRow, to_check, check_columns)

    @translated
    def for_versions(self, versions: Sequence[tuple[str, int]]) -> Sequence[StrategyCheck]:
        if not versions:
            return []
        version = tuple_(StrategyCheckRow.strategy_id, StrategyCheckRow.strategy_version)
        query = select(StrategyCheckRow).where(version.in_(versions))
        return [to_check(row) for row in self._session.scalars(query)]

    @translated
    def delete_for_strategy(self, strategy_id: str) -> Sequence[str]:
        mine = StrategyCheckRow.strategy_id == strategy_id
        ids = list(self._session.scalars(select(StrategyCheckRow.id).where(mine)))
        self._session.execute(delete(StrategyCheckRow).where(mine))
        return ids
