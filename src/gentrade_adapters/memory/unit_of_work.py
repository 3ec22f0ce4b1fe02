"""The in-memory unit of work: stages writes per table and applies them to the store on commit."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from gentrade_adapters.memory.jobs import InMemoryCheckRepository, InMemoryJobRepository
from gentrade_adapters.memory.staged import Staged
from gentrade_adapters.memory.store import InMemoryStore
from gentrade_adapters.memory.strategies import InMemoryStrategyRepository
from gentrade_adapters.memory.workspaces import InMemoryWorkspaceRepository
from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.strategy import Strategy
from gentrade_core.domain.strategy_check import StrategyCheck
from gentrade_core.domain.workspace import UserWorkspace
from gentrade_core.ports.repositories import UnitOfWork


class InMemoryUnitOfWork(UnitOfWork):
    """
    One transaction over an `InMemoryStore`; make one per use, e.g. `lambda: InMemoryUnitOfWork(store)`.

    `committed` tells a test whether the code under test committed.
    """

    def __init__(self, store: InMemoryStore) -> None:
        strategies = Staged[Strategy](store, "strategies", unique=lambda s: (s.owner_id, s.name))
        backtests = Staged[Backtest](store, "backtests", version=lambda j: j.version)
        hyperopts = Staged[Hyperopt](store, "hyperopts", version=lambda j: j.version)
        checks = Staged[StrategyCheck](store, "checks", version=lambda j: j.version)
        workspaces = Staged[UserWorkspace](store, "workspaces")
        self._store = store
        self._tables: tuple[Staged[Any], ...] = (strategies, backtests, hyperopts, checks, workspaces)
        self.strategies = InMemoryStrategyRepository(strategies)
        self.backtests = InMemoryJobRepository(backtests)
        self.hyperopts = InMemoryJobRepository(hyperopts)
        self.checks = InMemoryCheckRepository(checks)
        self.workspaces = InMemoryWorkspaceRepository(workspaces)
        self.committed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        try:
            self._store.apply(self._tables)
        finally:
            self.rollback()  # a failed commit loses the transaction, as a database's does
        self.committed = True

    def rollback(self) -> None:
        for table in self._tables:
            table.clear()
