"""The SQL job slots on a SQLite file against the slots contract; the table comes from the migrations."""

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


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('slots') / 'gentrade.db'}"
    upgrade(url)
    return url


class TestSqliteJobSlots(JobSlotsContract):
    engine: Engine

    @pytest.fixture(autouse=True)
    def _empty(self, sqlite_url: str) -> Iterator[None]:
        self.engine = make_engine(sqlite_url)
        with self.engine.begin() as connection:
            connection.execute(delete(JobSlotRow))
        yield
        self.engine.dispose()

    def make_slots(self, limits: Mapping[JobKind, int], clock: Clock) -> JobSlots:
        return SqlJobSlots(self.engine, limits, clock)

    def test_processes_racing_on_one_file_get_exactly_the_limit(self, sqlite_url: str) -> None:
        """Separate processes sharing the database file: exactly `limit` of them win."""
        assert self.limit == len(acquire_in_processes(sqlite_url, contenders=6, limit=self.limit))

    def test_unopenable_database_is_slots_unavailable(self, tmp_path: Path) -> None:
        """A database that cannot be opened is the port's SlotsUnavailable, not a SQLAlchemy error."""
        engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
        sut = SqlJobSlots(engine, {JobKind.HYPEROPT: 1}, ManualClock())
        with pytest.raises(SlotsUnavailable):
            sut.acquire(JobKind.HYPEROPT, "h1", LEASE)
