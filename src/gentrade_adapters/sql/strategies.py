"""The strategy repository over a SQLAlchemy session."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from gentrade_adapters.sql.errors import translated
from gentrade_adapters.sql.mapping import to_strategy, write_strategy
from gentrade_adapters.sql.rows import StrategyRow, StrategyVersionRow
from gentrade_core.domain.strategy import Strategy, StrategyRef
from gentrade_core.errors import NotFound
from gentrade_core.ports.repositories import Page, StrategyRepository

_WITH_VERSIONS = selectinload(StrategyRow.versions)  # one IN query for a whole page, not one per row
_ONE_WITH_VERSIONS = joinedload(StrategyRow.versions)  # one strategy: a single round trip
# Built once: submitting a job runs this on every request, and a prebuilt statement skips
# rebuilding its cache key each time.
_REF = select(
    StrategyRow.owner_id,
    StrategyRow.name,
    select(func.max(StrategyVersionRow.number))
    .where(StrategyVersionRow.strategy_id == StrategyRow.id)
    .scalar_subquery()
    .label("latest"),
).where(StrategyRow.id == bindparam("strategy_id"))


class SqlStrategyRepository(StrategyRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    @translated
    def add(self, strategy: Strategy) -> None:
        row = StrategyRow(id=strategy.id, versions=[])
        write_strategy(row, strategy)
        self._session.add(row)
        self._session.flush()

    @translated
    def get(self, strategy_id: str) -> Strategy | None:
        row = self._session.get(StrategyRow, strategy_id, options=[_ONE_WITH_VERSIONS])
        return None if row is None else to_strategy(row)

    @translated
    def get_ref(self, strategy_id: str) -> StrategyRef | None:
        row = self._session.connection().execute(_REF, {"strategy_id": strategy_id}).one_or_none()
        return None if row is None else StrategyRef(strategy_id, row.owner_id, row.name, row.latest or 0)

    @translated
    def get_by_name(self, owner_id: str, name: str) -> Strategy | None:
        query = select(StrategyRow).where(StrategyRow.owner_id == owner_id, StrategyRow.name == name)
        row = self._session.scalars(query.options(_ONE_WITH_VERSIONS)).unique().one_or_none()
        return None if row is None else to_strategy(row)

    @translated
    def list(self, owner_id: str, offset: int = 0, limit: int = 50) -> Page[Strategy]:
        mine = StrategyRow.owner_id == owner_id
        total = self._session.scalar(select(func.count()).select_from(StrategyRow).where(mine)) or 0
        query = (
            select(StrategyRow)
            .where(mine)
            .order_by(StrategyRow.created_at.desc(), StrategyRow.id.desc())
            .offset(offset)
            .limit(limit)
            .options(_WITH_VERSIONS)
        )
        items = [to_strategy(row) for row in self._session.scalars(query)]
        return Page(items=items, total=total, offset=offset, limit=limit)

    @translated
    def save(self, strategy: Strategy) -> None:
        row = self._session.get(StrategyRow, strategy.id, options=[_ONE_WITH_VERSIONS])
        if row is None:
            raise NotFound("strategy", strategy.id)
        write_strategy(row, strategy)
        self._session.flush()

    @translated
    def delete(self, strategy_id: str) -> None:
        row = self._session.get(StrategyRow, strategy_id)
        if row is not None:
            self._session.delete(row)
            self._session.flush()
