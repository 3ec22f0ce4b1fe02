"""Listing strategies loads their versions in a fixed number of statements, not one per strategy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from gentrade_adapters.sql import SqlUnitOfWork, make_engine, make_session_factory, upgrade
from tests.contract.repository_contract import a_strategy, minutes, store


def test_listing_a_page_of_strategies_takes_constant_statements(tmp_path: Path) -> None:
    """A page of 20 strategies with 2 versions each: count, page, versions — 3 statements."""
    url = f"sqlite:///{tmp_path / 'gentrade.db'}"
    upgrade(url)
    sut = make_engine(url)
    sessions = make_session_factory(sut)
    strategies = [a_strategy("alice", f"S{i}", minutes(i)) for i in range(20)]
    store(lambda: SqlUnitOfWork(sessions), *strategies)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql)

    event.listen(sut, "before_cursor_execute", record)
    with SqlUnitOfWork(sessions) as uow:
        page = uow.strategies.list("alice", limit=50)
    sut.dispose()

    assert strategies[::-1] == list(page.items)
    assert len(statements) == 3, statements
