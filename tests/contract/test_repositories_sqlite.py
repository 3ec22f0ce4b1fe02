"""The SQL adapter on a SQLite file against the repository contract; the schema comes from migrations."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine

from gentrade_adapters.sql import SqlUnitOfWork, make_engine, make_session_factory, upgrade
from gentrade_core.ports.repositories import StoreUnavailable
from tests.contract.repository_contract import UnitOfWorkContract, UowFactory, a_strategy, store


class TestSqliteRepositories(UnitOfWorkContract):
    engine: Engine

    @pytest.fixture(autouse=True)
    def _database(self, tmp_path: Path) -> Iterator[None]:
        url = f"sqlite:///{tmp_path / 'gentrade.db'}"
        upgrade(url)
        self.engine = make_engine(url)
        yield
        self.engine.dispose()

    def make_uow_factory(self) -> UowFactory:
        sessions = make_session_factory(self.engine)
        return lambda: SqlUnitOfWork(sessions)

    def test_other_offsets_come_back_as_utc(self, new_uow: UowFactory) -> None:
        """SQLite keeps no offset: values are stored as UTC and come back aware, the same instant."""
        plus_two = timezone(timedelta(hours=2))
        strategy = a_strategy(at=a_strategy().created_at.astimezone(plus_two))
        store(new_uow, strategy)
        with new_uow() as uow:
            actual = uow.strategies.get(strategy.id)
        assert actual is not None
        assert (strategy.created_at, timedelta(0)) == (actual.created_at, actual.created_at.utcoffset())

    def test_threads_write_concurrently(self, new_uow: UowFactory) -> None:
        """The app's worker threads share one file: WAL and the busy timeout serialise their writes."""

        def add(i: int) -> None:
            store(new_uow, a_strategy("alice", f"S{i}"))

        threads = [threading.Thread(target=add, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with new_uow() as uow:
            assert uow.strategies.list("alice").total == 10

    def test_unopenable_database_is_store_unavailable(self, tmp_path: Path) -> None:
        """A database file that cannot be opened is the port's StoreUnavailable, not a SQLAlchemy error."""
        sessions = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'missing' / 'x.db'}"))
        with pytest.raises(StoreUnavailable), SqlUnitOfWork(sessions) as uow:
            uow.strategies.get("s1")
