"""
The contract every repository + unit of work adapter must pass (in-memory, SQLite, PostgreSQL).

Subclass `UnitOfWorkContract` in a module named `test_*.py`, implement `make_uow_factory()` to
return a factory over a fresh, empty store, and pytest runs every case below against it.
Other packages may import it to certify their own adapters.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from gentrade_core.domain.backtest import Backtest, BacktestSummary
from gentrade_core.domain.hyperopt import Hyperopt, HyperoptEpoch
from gentrade_core.domain.job import JobStatus
from gentrade_core.domain.requests import BacktestRequest, DataSource, HyperoptRequest
from gentrade_core.domain.strategy import Origin, Strategy, StrategyRef
from gentrade_core.domain.strategy_check import Parameter, StrategyCheck, StrategyFacts
from gentrade_core.domain.workspace import UserWorkspace
from gentrade_core.errors import NotFound
from gentrade_core.ports.repositories import ConcurrentUpdate, DuplicateError, JobRepository, UnitOfWork

T0 = datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
CODE = "class Sma(IStrategy):\n    timeframe = '5m'\n"

Job = Backtest | Hyperopt | StrategyCheck
UowFactory = Callable[[], UnitOfWork]


def minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


def a_strategy(owner: str = "alice", name: str = "Sma", at: datetime = T0) -> Strategy:
    strategy = Strategy(
        id=uuid.uuid4().hex,
        owner_id=owner,
        name=name,
        description="Buys the SMA cross",
        created_at=at,
        updated_at=at,
        spec={"indicators": [{"kind": "sma", "period": 20}], "stoploss": -0.1},
    )
    strategy.add_version(CODE, at, Origin.COMPILED)
    strategy.add_version(
        CODE + "# tuned\n", at + timedelta(seconds=30), Origin.LLM, {"strategy_name": name, "params": {}}
    )
    return strategy


def a_summary() -> BacktestSummary:
    return BacktestSummary(
        total_trades=42,
        profit_total=0.1234,
        profit_total_abs=123.4,
        profit_percentage=12.34,
        avg_profit=0.0029,
        max_drawdown=0.051,
        sharpe_ratio=1.7,
        sortino_ratio=None,
        calmar_ratio=2.5,
        win_rate=0.6,
        wins=25,
        draws=2,
        losses=15,
        best_pair="ETH/USDT",
        worst_pair=None,
        starting_balance=1000.0,
        final_balance=1123.4,
        market_change=-0.02,
        backtest_start="2024-01-01 00:00:00",
        backtest_end="2024-02-01 00:00:00",
    )


def an_epoch() -> HyperoptEpoch:
    return HyperoptEpoch(
        epoch=17,
        loss=-1.25,
        profit=0.08,
        profit_abs=80.0,
        total_trades=31,
        params={"buy": {"rsi": 28, "use_sma": True}, "roi": {"0": 0.1, "30": 0.02}},
        is_best=True,
    )


def some_facts() -> StrategyFacts:
    return StrategyFacts(
        timeframe="1h",
        can_short=False,
        startup_candle_count=30,
        minimal_roi={"0": 0.1, "60": 0.02},
        stoploss=-0.08,
        parameters={"buy": [Parameter("buy_rsi", "IntParameter", 30)], "sell": []},
        informative=[("BTC/USDT", "1d")],
    )


def a_job(kind: str, owner: str = "alice", strategy_id: str = "s1", at: datetime = T0) -> Job:
    """A queued job with a full request."""
    if kind == "checks":
        return StrategyCheck(
            id=uuid.uuid4().hex, owner_id=owner, created_at=at, strategy_id=strategy_id, strategy_version=2
        )
    common = {
        "strategy_id": strategy_id,
        "strategy_version": 2,
        "pairs": ["ETH/USDT", "BTC/USDT"],
        "timerange": "20240101-20240201",
        "timeframe": "1h",
        "stake_amount": 100.0,
        "dry_run_wallet": 1000.0,
        "max_open_trades": 3,
        "data_source": DataSource.SYNTHETIC,
        "overrides": {"stoploss": -0.05, "minimal_roi": {"0": 0.1}},
    }
    if kind == "backtests":
        return Backtest(
            id=uuid.uuid4().hex,
            owner_id=owner,
            created_at=at,
            strategy_id=strategy_id,
            strategy_version=2,
            request=BacktestRequest(**common),
        )
    request = HyperoptRequest(
        **common, epochs=100, spaces=["buy", "roi"], loss="SharpeHyperOptLoss", min_trades=5
    )
    return Hyperopt(
        id=uuid.uuid4().hex,
        owner_id=owner,
        created_at=at,
        strategy_id=strategy_id,
        strategy_version=2,
        request=request,
    )


def run_to_finish(job: Job, at: datetime) -> None:
    """Move through every state, touching every field a worker writes."""
    job.start_download(at)
    job.start_running(at + timedelta(seconds=5))
    job.append_logs(["loading data", "backtesting…"])
    job.heartbeat(at + timedelta(seconds=10))
    if isinstance(job, Backtest):
        job.finish(a_summary(), at + timedelta(seconds=20))
    elif isinstance(job, StrategyCheck):
        job.finish(some_facts(), at + timedelta(seconds=20))
    else:
        job.record_progress(40, an_epoch())
        job.finish(100, None, at + timedelta(seconds=20))


def repo(
    uow: UnitOfWork, kind: str
) -> JobRepository[Backtest] | JobRepository[Hyperopt] | JobRepository[StrategyCheck]:
    return {"backtests": uow.backtests, "hyperopts": uow.hyperopts, "checks": uow.checks}[kind]


def kind_of(job: Job) -> str:
    return {Backtest: "backtests", Hyperopt: "hyperopts", StrategyCheck: "checks"}[type(job)]


def store(new_uow: UowFactory, *items: Strategy | Job | UserWorkspace) -> None:
    with new_uow() as uow:
        for item in items:
            if isinstance(item, Strategy):
                uow.strategies.add(item)
            elif isinstance(item, UserWorkspace):
                uow.workspaces.add(item)
            else:
                repo(uow, kind_of(item)).add(item)  # type: ignore[arg-type]
        uow.commit()


class UnitOfWorkContract(ABC):
    """The cases; a subclass supplies the adapter."""

    @abstractmethod
    def make_uow_factory(self) -> UowFactory:
        """A factory of units of work over one fresh, empty store."""

    @pytest.fixture
    def new_uow(self) -> UowFactory:
        return self.make_uow_factory()

    @pytest.fixture(params=["backtests", "hyperopts", "checks"])
    def kind(self, request: pytest.FixtureRequest) -> str:
        return request.param

    # Strategies

    def test_strategy_round_trips_with_versions(self, new_uow: UowFactory) -> None:
        """Every field, every version and the spec come back equal, with aware UTC datetimes."""
        expected = a_strategy()
        store(new_uow, expected)
        with new_uow() as uow:
            actual = uow.strategies.get(expected.id)
        assert expected == actual
        assert actual is not None
        stamps = [actual.created_at, actual.updated_at, *(v.created_at for v in actual.versions)]
        assert all(s.utcoffset() == timedelta(0) for s in stamps)

    def test_get_unknown_strategy_is_none(self, new_uow: UowFactory) -> None:
        """A missing id is None, not an error."""
        with new_uow() as uow:
            assert uow.strategies.get("nope") is None
            assert uow.strategies.get_ref("nope") is None
            assert uow.strategies.get_by_name("alice", "Nope") is None

    def test_ref_names_the_owner_and_the_newest_version(self, new_uow: UowFactory) -> None:
        """What a submission checks, kept current as versions are added, and in the same transaction."""
        strategy = a_strategy(owner="bob", name="Cross")
        store(new_uow, strategy)
        with new_uow() as uow:
            assert uow.strategies.get_ref(strategy.id) == StrategyRef(strategy.id, "bob", "Cross", 2)
            loaded = uow.strategies.get(strategy.id)
            assert loaded is not None
            loaded.add_version(CODE + "# rsi\n", minutes(5))
            uow.strategies.save(loaded)
            assert uow.strategies.get_ref(strategy.id) == StrategyRef(strategy.id, "bob", "Cross", 3)

    def test_save_adds_versions_and_updates_fields(self, new_uow: UowFactory) -> None:
        """A saved edit persists the new version and the changed description."""
        strategy = a_strategy()
        store(new_uow, strategy)
        with new_uow() as uow:
            loaded = uow.strategies.get(strategy.id)
            assert loaded is not None
            loaded.description = "Now with RSI"
            loaded.add_version(CODE + "# rsi\n", minutes(5), Origin.USER)
            uow.strategies.save(loaded)
            uow.commit()
        with new_uow() as uow:
            actual = uow.strategies.get(strategy.id)
        assert loaded == actual
        assert actual is not None
        assert [v.number for v in actual.versions] == [1, 2, 3]

    def test_save_unknown_strategy_raises_not_found(self, new_uow: UowFactory) -> None:
        """Saving what was never added (or was deleted meanwhile) is refused."""
        with new_uow() as uow, pytest.raises(NotFound):
            uow.strategies.save(a_strategy())

    def test_get_by_name_is_per_owner(self, new_uow: UowFactory) -> None:
        """The name is looked up within one owner's strategies."""
        mine, theirs = a_strategy("alice", "Sma"), a_strategy("bob", "Sma")
        store(new_uow, mine, theirs)
        with new_uow() as uow:
            assert mine == uow.strategies.get_by_name("alice", "Sma")
            assert theirs == uow.strategies.get_by_name("bob", "Sma")

    def test_duplicate_name_for_one_owner_is_refused(self, new_uow: UowFactory) -> None:
        """Two strategies of one owner cannot share a name; another owner may use it."""
        store(new_uow, a_strategy("alice", "Sma"))
        with pytest.raises(DuplicateError), new_uow() as uow:
            uow.strategies.add(a_strategy("alice", "Sma"))
            uow.commit()
        store(new_uow, a_strategy("bob", "Sma"))
        with new_uow() as uow:
            assert uow.strategies.list("alice").total == 1

    def test_duplicate_strategy_id_is_refused(self, new_uow: UowFactory) -> None:
        """An id is added once."""
        strategy = a_strategy()
        store(new_uow, strategy)
        strategy.name = "Other"
        with pytest.raises(DuplicateError), new_uow() as uow:
            uow.strategies.add(strategy)
            uow.commit()

    def test_list_is_newest_first_paginated_and_per_owner(self, new_uow: UowFactory) -> None:
        """Pages hold the newest first, `total` counts them all, other owners' never show."""
        mine = [a_strategy("alice", f"S{i}", minutes(i)) for i in range(5)]
        store(new_uow, *mine, a_strategy("bob", "S9", minutes(9)))
        with new_uow() as uow:
            first = uow.strategies.list("alice", offset=0, limit=2)
            last = uow.strategies.list("alice", offset=4, limit=2)
            none = uow.strategies.list("carol")
        assert [mine[4], mine[3]] == list(first.items)
        assert (first.total, first.offset, first.limit) == (5, 0, 2)
        assert [mine[0]] == list(last.items)
        assert (none.total, list(none.items)) == (0, [])

    def test_delete_strategy_removes_it_and_its_versions(self, new_uow: UowFactory) -> None:
        """After delete the id and the name are free again; deleting twice is harmless."""
        strategy = a_strategy()
        store(new_uow, strategy)
        with new_uow() as uow:
            uow.strategies.delete(strategy.id)
            uow.strategies.delete(strategy.id)
            uow.commit()
        with new_uow() as uow:
            assert uow.strategies.get(strategy.id) is None
        store(new_uow, strategy)
        with new_uow() as uow:
            assert strategy == uow.strategies.get(strategy.id)

    # Transactions

    def test_leaving_without_commit_discards(self, new_uow: UowFactory) -> None:
        """Changes made in a block that does not commit are gone."""
        strategy = a_strategy()
        with new_uow() as uow:
            uow.strategies.add(strategy)
            uow.workspaces.add(UserWorkspace("alice", T0))
        with new_uow() as uow:
            assert uow.strategies.get(strategy.id) is None
            assert uow.workspaces.get("alice") is None

    def test_rollback_discards_uncommitted_changes(self, new_uow: UowFactory) -> None:
        """`rollback()` undoes adds, saves and deletes since the last commit."""
        kept, dropped = a_strategy("alice", "Kept"), a_strategy("alice", "Dropped")
        store(new_uow, kept)
        with new_uow() as uow:
            uow.strategies.add(dropped)
            edited = uow.strategies.get(kept.id)
            assert edited is not None
            edited.description = "changed"
            uow.strategies.save(edited)
            uow.rollback()
            assert uow.strategies.get(dropped.id) is None
            assert kept == uow.strategies.get(kept.id)
            uow.strategies.delete(kept.id)
            uow.rollback()
            uow.commit()
        with new_uow() as uow:
            assert [kept] == list(uow.strategies.list("alice").items)

    def test_uncommitted_changes_are_invisible_to_other_units_of_work(self, new_uow: UowFactory) -> None:
        """Another transaction sees a write only once it is committed."""
        strategy = a_strategy()
        with new_uow() as writer:
            writer.strategies.add(strategy)
            with new_uow() as reader:
                assert reader.strategies.get(strategy.id) is None
            writer.commit()
        with new_uow() as reader:
            assert strategy == reader.strategies.get(strategy.id)

    def test_objects_are_copies(self, new_uow: UowFactory) -> None:
        """Mutating an added or loaded aggregate changes nothing until it is saved and committed."""
        strategy = a_strategy()
        with new_uow() as uow:
            uow.strategies.add(strategy)
            strategy.description = "mutated after add"
            uow.commit()
        with new_uow() as uow:
            loaded = uow.strategies.get(strategy.id)
            assert loaded is not None
            loaded.add_version("changed", minutes(9))
            loaded.versions[0] = loaded.versions[1]
            uow.commit()
        with new_uow() as uow:
            actual = uow.strategies.get(strategy.id)
        assert actual is not None
        assert (actual.description, [v.number for v in actual.versions]) == ("Buys the SMA cross", [1, 2])

    # Jobs (each case runs for backtests, hyperopts and strategy checks)

    def test_job_round_trips(self, new_uow: UowFactory, kind: str) -> None:
        """A queued job and a finished one come back equal: request, result, log tail, attempts."""
        queued, finished = a_job(kind), a_job(kind, at=minutes(1))
        run_to_finish(finished, minutes(2))
        store(new_uow, queued, finished)
        with new_uow() as uow:
            assert queued == repo(uow, kind).get(queued.id)
            actual = repo(uow, kind).get(finished.id)
        assert finished == actual
        assert actual is not None
        assert (actual.status, actual.attempts) == (JobStatus.FINISHED, 1)
        assert actual.log_tail == ["loading data", "backtesting…"]
        if isinstance(actual, Backtest):
            assert a_summary() == actual.summary
        elif isinstance(actual, StrategyCheck):
            assert some_facts() == actual.facts
        else:
            assert (100, an_epoch()) == (actual.epochs_done, actual.best)

    def test_each_save_bumps_the_version(self, new_uow: UowFactory, kind: str) -> None:
        """A new job is version 1; every committed save adds one."""
        job = a_job(kind)
        store(new_uow, job)
        for expected in (2, 3):
            with new_uow() as uow:
                loaded = repo(uow, kind).get(job.id)
                assert loaded is not None
                loaded.heartbeat(minutes(expected))
                repo(uow, kind).save(loaded)  # type: ignore[arg-type]
                uow.commit()
            assert expected == loaded.version
        with new_uow() as uow:
            assert 3 == getattr(repo(uow, kind).get(job.id), "version", None)

    def test_saving_a_stale_copy_is_a_concurrent_update(self, new_uow: UowFactory, kind: str) -> None:
        """Two workers read the same queued job; only the first claim lands, the second is refused."""
        job = a_job(kind)
        store(new_uow, job)
        with new_uow() as first, new_uow() as second:
            mine, theirs = repo(first, kind).get(job.id), repo(second, kind).get(job.id)
            assert mine is not None and theirs is not None
            mine.start_download(minutes(1))
            repo(first, kind).save(mine)  # type: ignore[arg-type]
            first.commit()
            theirs.start_download(minutes(1))
            with pytest.raises(ConcurrentUpdate):
                repo(second, kind).save(theirs)  # type: ignore[arg-type]
                second.commit()
        with new_uow() as uow:
            stored = repo(uow, kind).get(job.id)
        assert stored is not None
        assert (1, 2) == (stored.attempts, stored.version)

    def test_job_save_persists_progress(self, new_uow: UowFactory, kind: str) -> None:
        """Each step a worker saves is what the next reader sees."""
        job = a_job(kind)
        store(new_uow, job)
        with new_uow() as uow:
            loaded = repo(uow, kind).get(job.id)
            assert loaded is not None
            loaded.start_download(minutes(1))
            loaded.request_cancel(minutes(2))
            loaded.append_logs(["downloading"])
            repo(uow, kind).save(loaded)  # type: ignore[arg-type]
            uow.commit()
        with new_uow() as uow:
            actual = repo(uow, kind).get(job.id)
        assert loaded == actual
        assert actual is not None
        assert (actual.status, actual.cancel_requested) == (JobStatus.DOWNLOADING_DATA, True)

    def test_failed_job_keeps_its_error(self, new_uow: UowFactory, kind: str) -> None:
        """The reason a job failed is stored with it."""
        job = a_job(kind)
        job.start_download(T0)
        job.fail("no candles for ETH/USDT", minutes(1))
        store(new_uow, job)
        with new_uow() as uow:
            assert job == repo(uow, kind).get(job.id)

    def test_save_unknown_job_raises_not_found(self, new_uow: UowFactory, kind: str) -> None:
        """Saving a job that is not stored is refused."""
        with new_uow() as uow, pytest.raises(NotFound):
            repo(uow, kind).save(a_job(kind))  # type: ignore[arg-type]

    def test_duplicate_job_id_is_refused(self, new_uow: UowFactory, kind: str) -> None:
        """A job id is added once."""
        job = a_job(kind)
        store(new_uow, job)
        with pytest.raises(DuplicateError):
            store(new_uow, job)

    def test_job_list_filters_pages_and_isolates_owners(self, new_uow: UowFactory, kind: str) -> None:
        """Filters by strategy and status combine; newest first; `total` counts the filtered set."""
        jobs = [a_job(kind, strategy_id="s1" if i % 2 else "s2", at=minutes(i)) for i in range(6)]
        for job in jobs[:2]:
            job.request_cancel(minutes(10))
        store(new_uow, *jobs, a_job(kind, owner="bob", strategy_id="s1", at=minutes(9)))
        with new_uow() as uow:
            jobs_repo = repo(uow, kind)
            everything = jobs_repo.list("alice")
            s1 = jobs_repo.list("alice", strategy_id="s1", limit=2)
            s1_queued = jobs_repo.list("alice", strategy_id="s1", status=JobStatus.QUEUED)
            cancelled = jobs_repo.list("alice", status=JobStatus.CANCELLED, offset=1)
        assert jobs[::-1] == list(everything.items)
        assert (3, [jobs[5], jobs[3]]) == (s1.total, list(s1.items))
        assert (2, [jobs[5], jobs[3]]) == (s1_queued.total, list(s1_queued.items))
        assert (2, [jobs[0]]) == (cancelled.total, list(cancelled.items))

    def test_count_for_strategy_counts_every_owner_and_status(self, new_uow: UowFactory, kind: str) -> None:
        """A strategy with jobs of any state cannot be deleted; this count is how the use case knows."""
        done = a_job(kind, strategy_id="s1")
        run_to_finish(done, T0)
        store(new_uow, done, a_job(kind, strategy_id="s1"), a_job(kind, strategy_id="s2"))
        with new_uow() as uow:
            assert tuple(repo(uow, kind).count_for_strategy(s) for s in ("s1", "s2", "s3")) == (2, 1, 0)

    def test_stale_finds_active_jobs_with_old_heartbeats(self, new_uow: UowFactory, kind: str) -> None:
        """Only downloading or running jobs whose heartbeat is older than the cut-off are stale."""
        old_running, fresh_running, old_downloading, queued, finished = (a_job(kind) for _ in range(5))
        old_running.start_download(T0)
        old_running.start_running(minutes(1))
        fresh_running.start_download(T0)
        fresh_running.start_running(minutes(1))
        fresh_running.heartbeat(minutes(30))
        old_downloading.start_download(minutes(2))
        run_to_finish(finished, T0)
        store(new_uow, old_running, fresh_running, old_downloading, queued, finished)
        with new_uow() as uow:
            stale = repo(uow, kind).stale(minutes(20))
        assert {old_running.id, old_downloading.id} == {j.id for j in stale}

    def test_waiting_since_finds_queued_jobs_untouched_since_the_cutoff(
        self, new_uow: UowFactory, kind: str
    ) -> None:
        """Queued jobs last created, requeued or re-sent before the cut-off, oldest first; no others."""
        old, requeued, young, running = (a_job(kind, at=minutes(i)) for i in (0, 1, 30, 2))
        requeued.start_download(minutes(2))
        requeued.requeue(minutes(40))
        running.start_download(minutes(3))
        store(new_uow, old, requeued, young, running)
        with new_uow() as uow:
            waiting = repo(uow, kind).waiting_since(minutes(20))
        assert [old.id] == [j.id for j in waiting]

    def test_delete_job(self, new_uow: UowFactory, kind: str) -> None:
        """A deleted job is gone for good; deleting it again is harmless."""
        job = a_job(kind)
        store(new_uow, job)
        with new_uow() as uow:
            repo(uow, kind).delete(job.id)
            repo(uow, kind).delete(job.id)
            uow.commit()
        with new_uow() as uow:
            assert repo(uow, kind).get(job.id) is None
            assert repo(uow, kind).count_for_strategy(job.strategy_id) == 0

    # Strategy checks

    def test_checks_are_found_by_version_for_any_owner(self, new_uow: UowFactory) -> None:
        """Every check of the versions asked for, finished or not; none of other versions or strategies."""
        first, second = a_job("checks", strategy_id="s1"), a_job("checks", strategy_id="s1", at=minutes(1))
        theirs, other = a_job("checks", owner="bob", strategy_id="s2"), a_job("checks", strategy_id="s3")
        older = attrs.evolve(a_job("checks", strategy_id="s1"), strategy_version=1)
        run_to_finish(second, minutes(2))
        store(new_uow, first, second, theirs, other, older)
        with new_uow() as uow:
            found = uow.checks.for_versions([("s1", 2), ("s2", 2), ("s4", 2)])
            assert [] == list(uow.checks.for_versions([]))
        assert {first.id, second.id, theirs.id} == {c.id for c in found}
        assert second == next(c for c in found if c.id == second.id)

    def test_a_strategys_checks_are_deleted_with_it(self, new_uow: UowFactory) -> None:
        """`delete_for_strategy` removes that strategy's checks only and says which it removed."""
        mine, kept = a_job("checks", strategy_id="s1"), a_job("checks", strategy_id="s2")
        store(new_uow, mine, kept)
        with new_uow() as uow:
            assert [mine.id] == list(uow.checks.delete_for_strategy("s1"))
            uow.commit()
        with new_uow() as uow:
            assert (None, kept) == (uow.checks.get(mine.id), uow.checks.get(kept.id))

    # Workspaces

    def test_workspace_add_get_delete(self, new_uow: UowFactory) -> None:
        """One workspace per owner, stored and removed with the user."""
        workspace = UserWorkspace("alice", T0)
        store(new_uow, workspace)
        with new_uow() as uow:
            assert workspace == uow.workspaces.get("alice")
            assert uow.workspaces.get("bob") is None
            uow.workspaces.delete("alice")
            uow.commit()
        with new_uow() as uow:
            assert uow.workspaces.get("alice") is None

    def test_second_workspace_for_one_owner_is_refused(self, new_uow: UowFactory) -> None:
        """An owner has one workspace."""
        store(new_uow, UserWorkspace("alice", T0))
        with pytest.raises(DuplicateError):
            store(new_uow, UserWorkspace("alice", minutes(1)))
