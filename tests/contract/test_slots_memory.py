"""The in-memory job slots against the slots contract, and holding a slot while a job runs."""

from __future__ import annotations

import time
from collections.abc import Mapping

from gentrade_adapters.memory.slots import MemoryJobSlots
from gentrade_adapters.queue.dramatiq_lease import HeldSlot
from gentrade_adapters.system import SystemClock
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.slots import JobSlots
from tests.contract.slots_contract import JobSlotsContract


class TestMemoryJobSlots(JobSlotsContract):
    def make_slots(self, limits: Mapping[JobKind, int], clock: Clock) -> JobSlots:
        return MemoryJobSlots(limits, clock)


def test_a_held_slot_is_renewed_while_the_job_runs_and_released_after() -> None:
    """HeldSlot keeps a short lease alive for a job that outlasts it, then frees the slot."""
    slots = MemoryJobSlots({JobKind.HYPEROPT: 1}, SystemClock())
    assert slots.acquire(JobKind.HYPEROPT, "h1", 0.3)
    with HeldSlot(slots, JobKind.HYPEROPT, "h1", lease_seconds=0.3):
        time.sleep(0.8)  # more than two leases
        assert not slots.acquire(JobKind.HYPEROPT, "h2", 0.3)
    assert slots.acquire(JobKind.HYPEROPT, "h2", 0.3)
