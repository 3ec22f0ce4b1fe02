"""The use cases against working fakes: ownership, versions, validation, queue failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from gentrade_adapters.files.artifacts import FilesystemArtifactStore
from gentrade_adapters.files.workspaces import FilesystemWorkspaceStore
from gentrade_adapters.memory import InMemoryStore, InMemoryUnitOfWork
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest, DataSource, HyperoptRequest
from gentrade_core.errors import Conflict, Forbidden, NotFound, TooLarge, Unavailable, ValidationFailed
from gentrade_core.freqtrade.screen import ScreenPolicy
from gentrade_core.usecases.backtests import Backtests
from gentrade_core.usecases.jobs import Hyperopts
from gentrade_core.usecases.strategies import Strategies
from tests.fakes import FakeQueue, SequentialIds, TickingClock
from tests.strategies_src import TRADING_STRATEGY

ALICE, BOB = Principal("alice"), Principal("bob")


class World:
    def __init__(self, tmp_path: Path) -> None:
        store = InMemoryStore()
        self.uow = lambda: InMemoryUnitOfWork(store)
        self.queue = FakeQueue()
        self.workspace_root = tmp_path / "ws"
        clock, ids = TickingClock(), SequentialIds()
        artifacts = FilesystemArtifactStore(tmp_path / "jobs")
        self.strategies = Strategies(
            self.uow,
            clock,
            ids,
            FilesystemWorkspaceStore(self.workspace_root),
            self.queue,
            artifacts,
            ScreenPolicy(max_bytes=20_000),
        )
        deps = dict(
            uow=self.uow,
            queue=self.queue,
            artifacts=artifacts,
            clock=clock,
            ids=ids,
            default_source=DataSource.SYNTHETIC,
        )
        self.backtests = Backtests(**deps)  # type: ignore[arg-type]
        self.hyperopts = Hyperopts(**deps)  # type: ignore[arg-type]

    def request(self, strategy_id: str, **extra: object) -> BacktestRequest:
        fields: dict[str, object] = dict(
            strategy_id=strategy_id,
            pairs=["ETH/BTC"],
            timeframe="5m",
            timerange="20180110-20180130",
            stake_currency="BTC",
            stake_amount=0.01,
        )
        return BacktestRequest(**{**fields, **extra})  # type: ignore[arg-type]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_create_stores_version_one_and_writes_the_workspace(world: World) -> None:
    """A new strategy has version 1 and lands in the owner's Freqtrade workspace."""
    sut = world.strategies
    created = sut.create(ALICE, "SampleCross", TRADING_STRATEGY, "crossing EMAs")
    assert (1, "crossing EMAs") == (sut.get(ALICE, created.id).current_version, created.description)
    assert 1 == len(list(world.workspace_root.rglob("strategies/SampleCross.py")))


def test_update_adds_a_version_and_keeps_the_old_one(world: World) -> None:
    """Editing the code appends version 2; version 1 is still readable."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    edited = TRADING_STRATEGY + "\n# tuned\n"
    world.strategies.update(ALICE, created.id, code=edited)
    versions = world.strategies.get(ALICE, created.id).versions
    assert [(1, TRADING_STRATEGY), (2, edited)] == [(v.number, v.code) for v in versions]


def test_duplicate_name_for_one_owner_conflicts_but_not_across_owners(world: World) -> None:
    """Names are unique per owner."""
    world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    world.strategies.create(BOB, "SampleCross", TRADING_STRATEGY)
    with pytest.raises(Conflict):
        world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)


def test_bad_code_is_refused_and_nothing_is_stored(world: World) -> None:
    """The screen's findings refuse the code, and the store stays empty."""
    with pytest.raises(ValidationFailed) as e:
        world.strategies.create(ALICE, "SampleCross", "import os\n" + TRADING_STRATEGY)
    assert 1 == e.value.findings[0].line
    assert 0 == world.strategies.list(ALICE).total


def test_code_over_the_size_limit_is_too_large(world: World) -> None:
    """The configured size limit applies before anything else."""
    with pytest.raises(TooLarge):
        world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY + "#" * 30_000)


def test_foreign_strategy_is_forbidden_and_unknown_is_not_found(world: World) -> None:
    """403 for someone else's strategy, 404 for none at all — for reads, edits and jobs."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    with pytest.raises(Forbidden):
        world.strategies.get(BOB, created.id)
    with pytest.raises(Forbidden):
        world.backtests.submit(BOB, world.request(created.id))
    with pytest.raises(NotFound):
        world.strategies.update(ALICE, "nope", description="x")


def test_submit_stores_a_queued_job_and_enqueues_only_its_id(world: World) -> None:
    """The job is stored queued with the resolved default data source; the queue gets the id."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    job = world.backtests.submit(ALICE, world.request(created.id))
    stored = world.backtests.get(ALICE, job.id)
    assert (JobStatus.QUEUED, 1, DataSource.SYNTHETIC) == (
        stored.status,
        stored.strategy_version,
        stored.request and stored.request.data_source,
    )
    assert (JobKind.BACKTEST, job.id) == world.queue.sent[-1]


def test_queue_down_at_submit_stores_nothing(world: World) -> None:
    """A broker outage is Unavailable (503) and leaves no half-made job behind."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    world.queue.down = True
    with pytest.raises(Unavailable):
        world.backtests.submit(ALICE, world.request(created.id))
    assert 0 == world.backtests.list(ALICE).total


def test_unknown_strategy_version_is_a_validation_error(world: World) -> None:
    """Asking for a version that does not exist names the field."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    with pytest.raises(ValidationFailed) as e:
        world.backtests.submit(ALICE, world.request(created.id, strategy_version=7))
    assert "strategy_version" == e.value.findings[0].field


def test_a_job_runs_the_version_asked_for_or_the_newest(world: World) -> None:
    """After an edit, no version means version 2; asking for 1 keeps the old code."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    world.strategies.update(ALICE, created.id, code=TRADING_STRATEGY + "# edited\n")
    newest = world.backtests.submit(ALICE, world.request(created.id))
    first = world.backtests.submit(ALICE, world.request(created.id, strategy_version=1))
    assert (2, 1) == (newest.strategy_version, first.strategy_version)
    with pytest.raises(ValidationFailed):
        world.backtests.submit(ALICE, world.request(created.id, strategy_version=3))


def test_cancel_queued_then_delete(world: World) -> None:
    """A queued job cancels at once; a second cancel conflicts; delete then removes it."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    job = world.hyperopts.submit(ALICE, HyperoptRequest(**world.request(created.id).model_dump(), epochs=3))
    assert JobStatus.CANCELLED == world.hyperopts.cancel(ALICE, job.id).status
    with pytest.raises(Conflict):
        world.hyperopts.cancel(ALICE, job.id)
    world.hyperopts.delete(ALICE, job.id)
    with pytest.raises(NotFound):
        world.hyperopts.get(ALICE, job.id)


def test_strategy_with_jobs_cannot_be_deleted(world: World) -> None:
    """Deleting a strategy would orphan its jobs' results, so it conflicts until they go."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    job = world.backtests.submit(ALICE, world.request(created.id))
    with pytest.raises(Conflict):
        world.strategies.delete(ALICE, created.id)
    world.backtests.cancel(ALICE, job.id)
    world.backtests.delete(ALICE, job.id)
    world.strategies.delete(ALICE, created.id)
    assert 0 == world.strategies.list(ALICE).total


def test_list_filters_by_status_and_strategy(world: World) -> None:
    """Listing shows only the caller's jobs, filtered as asked."""
    first = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    a = world.backtests.submit(ALICE, world.request(first.id))
    world.backtests.submit(ALICE, world.request(first.id))
    world.backtests.cancel(ALICE, a.id)
    assert [a.id] == [j.id for j in world.backtests.list(ALICE, status=JobStatus.CANCELLED).items]
    assert 2 == world.backtests.list(ALICE, strategy_id=first.id).total
    assert 0 == world.backtests.list(BOB).total


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pairs", ["ETH-BTC"]),
        ("timerange", "20180130-20180110"),
        ("timeframe", "7m"),
        ("stake_amount", -1),
        ("pairs", ["ETH/USDT"]),
        ("exchange", "Bin ance"),
    ],
)
def test_bad_requests_name_the_field(world: World, field: str, value: object) -> None:
    """Each bad field is refused by the request model, naming the field (by location or in the message)."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as e:
        world.request("s1", **{field: value})
    [error] = e.value.errors()
    assert field in error["loc"] or field in error["msg"]


def test_a_timerange_wholly_in_the_future_is_refused_before_anything_is_stored(world: World) -> None:
    """No candles exist for it yet: refused at submit naming the field, not failed later in a worker."""
    created = world.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
    with pytest.raises(ValidationFailed) as raised:
        world.backtests.submit(ALICE, world.request(created.id, timerange="20270101-"))
    assert ["timerange"] == [f.field for f in raised.value.findings]
    assert 0 == world.backtests.list(ALICE).total
