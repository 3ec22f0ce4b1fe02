"""The SQL job slots against the slots contract, on SQLite and PostgreSQL; tables from the migrations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete

from gentrade_adapters.sql import make_engine, upgrade
from gentrade_adapters.sql.slot_rows import JobSlotRow
from gentrade_adapters.sql.slots import SqlJobSlots
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.slots import JobSlots, SlotsUnavailable
from tests.contract.slots_contract import LEASE, JobSlotsContract, ManualClock, acquire_in_processes
from tests.pg import throwaway_database

UNREACHABLE = {
    "sqlite": "sqlite:///{tmp}/missing/x.db",
    "postgres": "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2",
}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('slots') / 'gentrade.db'}"
        upgrade(url)
        yield request.param, url
        return
    with throwaway_database() as url:
        upgrade(url)
        yield request.param, url


class TestSqlJobSlots(JobSlotsContract):
    engine: Engine

    @pytest.fixture(autouse=True)
    def _empty(self, database: tuple[str, str]) -> Iterator[None]:
        self.engine = make_engine(database[1])
        with self.engine.begin() as connection:
            connection.execute(delete(JobSlotRow))
        yield
        self.engine.dispose()

    def make_slots(self, limits: Mapping[JobKind, int], clock: Clock) -> JobSlots:
        return SqlJobSlots(self.engine, limits, clock)

    def test_processes_racing_get_exactly_the_limit(self, database: tuple[str, str]) -> None:
        """Separate processes, each with its own connection: exactly `limit` of them win."""
        assert self.limit == len(acquire_in_processes(database[1], contenders=6, limit=self.limit))

    def test_unreachable_database_is_slots_unavailable(
        self, database: tuple[str, str], tmp_path: Path
    ) -> None:
        """A database nobody answers for is the port's SlotsUnavailable, not a driver error."""
        sut = SqlJobSlots(
            make_engine(UNREACHABLE[database[0]].format(tmp=tmp_path)), {JobKind.HYPEROPT: 1}, ManualClock()
        )
        with pytest.raises(SlotsUnavailable):
            sut.acquire(JobKind.HYPEROPT, "h1", LEASE)
