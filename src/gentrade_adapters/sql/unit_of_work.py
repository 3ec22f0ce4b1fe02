"""The SQL unit of work: one session, one transaction, every repository."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session

from gentrade_adapters.sql.errors import translated
from gentrade_adapters.sql.job_mapping import backtest_columns, hyperopt_columns, to_backtest, to_hyperopt
from gentrade_adapters.sql.jobs import SqlCheckRepository, SqlJobRepository
from gentrade_adapters.sql.rows import BacktestRow, HyperoptRow
from gentrade_adapters.sql.strategies import SqlStrategyRepository
from gentrade_adapters.sql.workspaces import SqlWorkspaceRepository
from gentrade_core.ports.repositories import UnitOfWork


class SqlUnitOfWork(UnitOfWork):
    """
    Use one per `with` block: `lambda: SqlUnitOfWork(make_session_factory(engine))`.
    The session opens on enter and is rolled back and closed on exit.
    """

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self._session = session = self._session_factory()
        self.strategies = SqlStrategyRepository(session)
        self.backtests = SqlJobRepository(session, BacktestRow, to_backtest, backtest_columns)
        self.hyperopts = SqlJobRepository(session, HyperoptRow, to_hyperopt, hyperopt_columns)
        self.checks = SqlCheckRepository(session)
        self.workspaces = SqlWorkspaceRepository(session)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.rollback()
        finally:
            self._session.close()

    @translated
    def commit(self) -> None:
        self._session.commit()

    @translated
    def rollback(self) -> None:
        self._session.rollback()
