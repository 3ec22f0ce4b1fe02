"""
The job-slots contract: every `JobSlots` adapter must pass these cases.

Subclass `JobSlotsContract` and implement `make_slots(limits, clock)`. Time is a `ManualClock`, so
expiry is tested without sleeping; the concurrency cases use the real clock and real threads.
"""

from __future__ import annotations

import multiprocessing
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from gentrade_adapters.system import SystemClock
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.slots import JobSlots

HYPEROPT, BACKTEST = JobKind.HYPEROPT, JobKind.BACKTEST
LEASE = 10.0


class ManualClock(Clock):
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


class JobSlotsContract(ABC):
    limit = 2

    @abstractmethod
    def make_slots(self, limits: Mapping[JobKind, int], clock: Clock) -> JobSlots: ...

    def slots(self, clock: Clock | None = None) -> JobSlots:
        return self.make_slots({HYPEROPT: self.limit}, clock or ManualClock())

    def test_no_more_holders_than_the_limit(self) -> None:
        """The first `limit` jobs get a slot, the next one does not."""
        sut = self.slots()
        assert [True, True, False] == [sut.acquire(HYPEROPT, j, LEASE) for j in ("h1", "h2", "h3")]

    def test_release_frees_a_slot(self) -> None:
        """A released slot goes to the next job that asks."""
        sut = self.slots()
        sut.acquire(HYPEROPT, "h1", LEASE)
        sut.acquire(HYPEROPT, "h2", LEASE)
        sut.release(HYPEROPT, "h1")
        assert sut.acquire(HYPEROPT, "h3", LEASE)

    def test_a_job_holds_at_most_one_slot(self) -> None:
        """A second delivery of a running job gets no slot, and takes none from others."""
        sut = self.slots()
        assert sut.acquire(HYPEROPT, "h1", LEASE)
        assert not sut.acquire(HYPEROPT, "h1", LEASE)
        assert sut.acquire(HYPEROPT, "h2", LEASE)

    def test_an_expired_lease_frees_its_slot(self) -> None:
        """A worker that crashed stops renewing; its slot is free once the lease runs out."""
        clock = ManualClock()
        sut = self.slots(clock)
        sut.acquire(HYPEROPT, "h1", LEASE)
        sut.acquire(HYPEROPT, "h2", LEASE)
        clock.advance(LEASE - 1)
        assert not sut.acquire(HYPEROPT, "h3", LEASE)
        clock.advance(2)
        assert sut.acquire(HYPEROPT, "h3", LEASE)

    def test_renewing_keeps_the_slot(self) -> None:
        """Renewed before it runs out, a lease outlives its first term."""
        clock = ManualClock()
        sut = self.slots(clock)
        sut.acquire(HYPEROPT, "h1", LEASE)
        sut.acquire(HYPEROPT, "h2", LEASE)
        clock.advance(LEASE - 1)
        assert sut.renew(HYPEROPT, "h1", LEASE)
        clock.advance(LEASE - 1)
        assert sut.acquire(HYPEROPT, "h3", LEASE)  # h2 expired
        assert not sut.acquire(HYPEROPT, "h4", LEASE)  # h1 still holds

    def test_a_lost_lease_cannot_be_renewed(self) -> None:
        """Renew says False once the lease has run out, and for a job that never held a slot."""
        clock = ManualClock()
        sut = self.slots(clock)
        sut.acquire(HYPEROPT, "h1", LEASE)
        clock.advance(LEASE + 1)
        assert (False, False) == (sut.renew(HYPEROPT, "h1", LEASE), sut.renew(HYPEROPT, "nobody", LEASE))

    def test_a_job_whose_lease_ran_out_can_take_a_slot_again(self) -> None:
        """A requeued job (its first worker died) is not blocked by its own stale lease."""
        clock = ManualClock()
        sut = self.slots(clock)
        sut.acquire(HYPEROPT, "h1", LEASE)
        clock.advance(LEASE + 1)
        assert sut.acquire(HYPEROPT, "h1", LEASE)
        assert sut.acquire(HYPEROPT, "h2", LEASE)
        assert not sut.acquire(HYPEROPT, "h3", LEASE)

    def test_releasing_a_slot_not_held_changes_nothing(self) -> None:
        """Release is safe to call twice, or for a job that holds nothing."""
        sut = self.slots()
        sut.acquire(HYPEROPT, "h1", LEASE)
        sut.acquire(HYPEROPT, "h2", LEASE)
        sut.release(HYPEROPT, "nobody")
        sut.release(BACKTEST, "h1")
        assert not sut.acquire(HYPEROPT, "h3", LEASE)

    def test_kinds_without_a_limit_are_unlimited(self) -> None:
        """Only configured kinds are limited; the others always get through."""
        sut = self.slots()
        assert all(sut.acquire(BACKTEST, f"b{i}", LEASE) for i in range(20))
        assert sut.renew(BACKTEST, "b0", LEASE)
        sut.release(BACKTEST, "b0")

    def test_kinds_are_limited_separately(self) -> None:
        """Full hyperopt slots do not hold up a kind with its own limit."""
        sut = self.make_slots({HYPEROPT: 1, BACKTEST: 1}, ManualClock())
        assert sut.acquire(HYPEROPT, "h1", LEASE)
        assert sut.acquire(BACKTEST, "b1", LEASE)
        assert not sut.acquire(HYPEROPT, "h2", LEASE)

    def test_racing_acquirers_get_exactly_the_limit(self) -> None:
        """Many threads asking at the same instant: exactly `limit` of them win."""
        sut = self.slots(SystemClock())
        contenders = 12
        start = threading.Barrier(contenders)
        won: list[str] = []

        def contend(job_id: str) -> None:
            start.wait()
            if sut.acquire(HYPEROPT, job_id, 60):
                won.append(job_id)

        run_threads(contend, [f"h{i}" for i in range(contenders)])
        assert self.limit == len(won)

    def test_churning_holders_never_exceed_the_limit(self) -> None:
        """Threads that take, hold and give back slots over and over are never more than `limit`."""
        sut = self.slots(SystemClock())
        lock = threading.Lock()
        state = {"holding": 0, "peak": 0, "wins": 0}

        def churn(job_id: str) -> None:
            for round_ in range(15):
                key = f"{job_id}-{round_}"
                if not sut.acquire(HYPEROPT, key, 60):
                    continue
                with lock:
                    state["holding"] += 1
                    state["peak"] = max(state["peak"], state["holding"])
                    state["wins"] += 1
                threading.Event().wait(0.002)
                with lock:
                    state["holding"] -= 1
                sut.release(HYPEROPT, key)

        run_threads(churn, [f"h{i}" for i in range(8)])
        assert state["peak"] <= self.limit
        assert state["wins"] >= self.limit


def run_threads(target: object, args: list[str]) -> None:
    threads = [threading.Thread(target=target, args=(a,)) for a in args]  # type: ignore[arg-type]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)


def _acquire_at(url: str, job_id: str, start: Any, limit: int, results: Any) -> None:
    """One contender process: its own engine; it asks once every contender is ready."""
    from gentrade_adapters.sql import make_engine
    from gentrade_adapters.sql.slots import SqlJobSlots

    sut = SqlJobSlots(make_engine(url), {HYPEROPT: limit}, SystemClock())
    start.wait(timeout=60)
    results.put((job_id, sut.acquire(HYPEROPT, job_id, 60)))


def acquire_in_processes(url: str, contenders: int, limit: int) -> list[str]:
    """Start `contenders` processes that all ask for a slot at once; return the winners."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = context.Barrier(contenders)
    processes = [
        context.Process(target=_acquire_at, args=(url, f"p{i}", start, limit, results))
        for i in range(contenders)
    ]
    for p in processes:
        p.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for p in processes:
        p.join(timeout=30)
    return [job_id for job_id, won in outcomes if won]
