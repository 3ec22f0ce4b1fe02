"""The in-memory job slots against the slots contract."""

from __future__ import annotations

from collections.abc import Mapping

from gentrade_adapters.memory.slots import MemoryJobSlots
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.slots import JobSlots
from tests.contract.slots_contract import JobSlotsContract


class TestMemoryJobSlots(JobSlotsContract):
    def make_slots(self, limits: Mapping[JobKind, int], clock: Clock) -> JobSlots:
        return MemoryJobSlots(limits, clock)
