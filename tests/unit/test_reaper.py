"""The reaper and the worker's hold on a job: a crashed worker's job runs again, exactly once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from gentrade_adapters.memory import InMemoryStore, InMemoryUnitOfWork
from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.requests import BacktestRequest
from gentrade_core.ports.clock import Clock
from gentrade_core.usecases.job_store import JobStore
from gentrade_core.usecases.reaper import Reaper
from tests.fakes import FakeQueue

T0 = datetime(2026, 1, 1, tzinfo=UTC)


class ManualClock(Clock):
    def __init__(self) -> None:
        self.at = T0

    def now(self) -> datetime:
        return self.at


class World:
    def __init__(self) -> None:
        store = InMemoryStore()
        self.uow = lambda: InMemoryUnitOfWork(store)
        self.clock = ManualClock()
        self.queue = FakeQueue()
        self.sut = Reaper(self.uow, self.clock, self.queue, timedelta(seconds=60), timedelta(minutes=10), 3)

    def add_job(self, job_id: str) -> None:
        request = BacktestRequest(
            strategy_id="s1", pairs=["ETH/BTC"], timerange="20180110-20180130", stake_currency="BTC"
        )
        with self.uow() as uow:
            uow.backtests.add(
                Backtest(id=job_id, owner_id="alice", created_at=self.clock.now(), request=request)
            )
            uow.commit()

    def job(self, job_id: str) -> Backtest:
        with self.uow() as uow:
            job = uow.backtests.get(job_id)
        assert job is not None
        return job

    def later(self, seconds: float) -> None:
        self.clock.at += timedelta(seconds=seconds)


@pytest.fixture
def world() -> World:
    return World()


def test_a_job_whose_worker_died_is_requeued_and_sent_again(world: World) -> None:
    """No heartbeat for longer than the timeout: back to queued, and its id goes to the queue."""
    world.add_job("j1")
    JobStore(world.uow, world.clock).claim(JobKind.BACKTEST, "j1")
    world.later(61)
    report = world.sut.reap()
    assert (["j1"], [(JobKind.BACKTEST, "j1")]) == (report.requeued, world.queue.sent)
    assert (JobStatus.QUEUED, 1) == (world.job("j1").status, world.job("j1").attempts)


def test_a_beating_job_is_left_alone(world: World) -> None:
    """A job whose worker heartbeats within the timeout is not touched."""
    world.add_job("j1")
    store = JobStore(world.uow, world.clock)
    claimed = store.claim(JobKind.BACKTEST, "j1")
    assert claimed is not None
    world.later(50)
    store.update(claimed[0], lambda j: j.heartbeat(world.clock.now()))
    world.later(50)
    assert ([], []) == (world.sut.reap().requeued, world.queue.sent)


def test_after_the_maximum_attempts_the_job_fails_with_a_reason(world: World) -> None:
    """The third crash ends the job as failed, saying why; it is not sent again."""
    world.add_job("j1")
    store = JobStore(world.uow, world.clock)
    for _ in range(3):
        assert store.claim(JobKind.BACKTEST, "j1") is not None
        world.later(61)
        world.sut.reap()
    job = world.job("j1")
    assert (JobStatus.FAILED, 3) == (job.status, job.attempts)
    assert "stopped responding 3 times" in (job.error or "")
    assert 2 == len(world.queue.sent)


def test_the_old_worker_loses_its_hold_once_the_job_is_requeued(world: World) -> None:
    """A worker that comes back after the reaper moved on can no longer write: no second result."""
    world.add_job("j1")
    store = JobStore(world.uow, world.clock)
    old = store.claim(JobKind.BACKTEST, "j1")
    assert old is not None
    world.later(61)
    world.sut.reap()
    new = store.claim(JobKind.BACKTEST, "j1")
    assert new is not None
    assert None is store.update(old[0], lambda j: j.fail("late", world.clock.now()))
    assert (JobStatus.DOWNLOADING_DATA, 2) == (world.job("j1").status, world.job("j1").attempts)


def test_a_second_claim_of_the_same_job_gets_nothing(world: World) -> None:
    """Two deliveries of one id: the first claims it, the second does nothing."""
    world.add_job("j1")
    store = JobStore(world.uow, world.clock)
    assert store.claim(JobKind.BACKTEST, "j1") is not None
    assert store.claim(JobKind.BACKTEST, "j1") is None


def test_concurrent_reapers_requeue_each_job_once(world: World) -> None:
    """Eight reapers at once over twenty dead jobs: every job is requeued and sent exactly once."""
    store = JobStore(world.uow, world.clock)
    for i in range(20):
        world.add_job(f"j{i}")
        store.claim(JobKind.BACKTEST, f"j{i}")
    world.later(61)
    barrier = threading.Barrier(8)

    def reap() -> None:
        barrier.wait()
        world.sut.reap()

    threads = [threading.Thread(target=reap) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(f"j{i}" for i in range(20)) == sorted(job_id for _, job_id in world.queue.sent)
    assert {1} == {world.job(f"j{i}").attempts for i in range(20)}


def test_a_queued_job_whose_message_was_lost_is_sent_again(world: World) -> None:
    """Queued longer than the queued timeout: the id is sent again, once per timeout."""
    world.add_job("j1")
    world.later(5 * 60)
    assert [] == world.sut.reap().nudged
    world.later(6 * 60)
    assert ["j1"] == world.sut.reap().nudged
    assert [] == world.sut.reap().nudged


def test_start_up_resends_every_queued_job(world: World) -> None:
    """An in-memory queue dies with its process: at start-up every queued job is sent again."""
    world.add_job("j1")
    world.add_job("j2")
    world.later(1)  # the process restarts
    assert ["j1", "j2"] == sorted(world.sut.reap(resend_all_queued=True).nudged)
