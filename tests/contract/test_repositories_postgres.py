"""The SQL adapter on PostgreSQL against the repository contract, in a throwaway database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from gentrade_adapters.sql import SqlUnitOfWork, make_engine, make_session_factory, upgrade
from gentrade_adapters.sql.rows import Base
from gentrade_core.ports.repositories import StoreUnavailable
from tests.contract.repository_contract import UnitOfWorkContract, UowFactory
from tests.pg import throwaway_database


@pytest.fixture(scope="module")
def postgres() -> Iterator[Engine]:
    """One migrated database for the module; each test empties it first."""
    with throwaway_database() as url:
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


class TestPostgresRepositories(UnitOfWorkContract):
    engine: Engine

    @pytest.fixture(autouse=True)
    def _empty(self, postgres: Engine) -> None:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with postgres.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables}"))
        self.engine = postgres

    def make_uow_factory(self) -> UowFactory:
        sessions = make_session_factory(self.engine)
        return lambda: SqlUnitOfWork(sessions)

    def test_unreachable_server_is_store_unavailable(self) -> None:
        """A server nobody answers on is the port's StoreUnavailable, not a driver error."""
        engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
        with pytest.raises(StoreUnavailable), SqlUnitOfWork(make_session_factory(engine)) as uow:
            uow.strategies.get("s1")
