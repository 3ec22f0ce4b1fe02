"""The SQL job slots on PostgreSQL against the slots contract, in a throwaway database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

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


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with throwaway_database() as url:
        upgrade(url)
        yield url


class TestPostgresJobSlots(JobSlotsContract):
    engine: Engine

    @pytest.fixture(autouse=True)
    def _empty(self, postgres_url: str) -> Iterator[None]:
        self.engine = make_engine(postgres_url)
        with self.engine.begin() as connection:
            connection.execute(delete(JobSlotRow))
        yield
        self.engine.dispose()

    def make_slots(self, limits: Mapping[JobKind, int], clock: Clock) -> JobSlots:
        return SqlJobSlots(self.engine, limits, clock)

    def test_processes_racing_get_exactly_the_limit(self, postgres_url: str) -> None:
        """Separate processes, each with its own connection: exactly `limit` of them win."""
        assert self.limit == len(acquire_in_processes(postgres_url, contenders=6, limit=self.limit))

    def test_unreachable_server_is_slots_unavailable(self) -> None:
        """A server nobody answers on is the port's SlotsUnavailable, not a driver error."""
        engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
        sut = SqlJobSlots(engine, {JobKind.HYPEROPT: 1}, ManualClock())
        with pytest.raises(SlotsUnavailable):
            sut.acquire(JobKind.HYPEROPT, "h1", LEASE)
