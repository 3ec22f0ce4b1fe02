"""The in-memory strategy repository."""

from __future__ import annotations

from copy import deepcopy

from gentrade_adapters.memory.paging import newest_first
from gentrade_adapters.memory.staged import Staged
from gentrade_core.domain.strategy import Strategy, StrategyRef
from gentrade_core.ports.repositories import Page, StrategyRepository


class InMemoryStrategyRepository(StrategyRepository):
    def __init__(self, table: Staged[Strategy]) -> None:
        self._table = table

    def add(self, strategy: Strategy) -> None:
        self._table.insert(strategy.id, strategy)

    def get(self, strategy_id: str) -> Strategy | None:
        return self._table.get(strategy_id)

    def get_ref(self, strategy_id: str) -> StrategyRef | None:
        strategy = self._table.get(strategy_id)
        return None if strategy is None else strategy.ref()

    def get_by_name(self, owner_id: str, name: str) -> Strategy | None:
        found = (s for s in self._table.visible().values() if (s.owner_id, s.name) == (owner_id, name))
        return deepcopy(next(found, None))

    def list(self, owner_id: str, offset: int = 0, limit: int = 50) -> Page[Strategy]:
        mine = (s for s in self._table.visible().values() if s.owner_id == owner_id)
        return newest_first(mine, offset, limit)

    def save(self, strategy: Strategy) -> None:
        self._table.update(strategy.id, strategy)

    def delete(self, strategy_id: str) -> None:
        self._table.delete(strategy_id)
