"""
Load checks against working fakes: every stored version gets a check job; a worker runs
`gentrade-probe` through the runtime and keeps its facts or its reason; backtests ask Freqtrade which
informative candles a strategy reads before fetching them.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from gentrade_adapters.files.artifacts import FilesystemArtifactStore
from gentrade_adapters.files.workspaces import FilesystemWorkspaceStore
from gentrade_adapters.memory import InMemoryStore, InMemoryUnitOfWork
from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest, DataSource
from gentrade_core.domain.strategy import Strategy
from gentrade_core.domain.strategy_check import LoadCheck, LoadStatus, Parameter, StrategyCheck, StrategyFacts
from gentrade_core.domain.values import Pair, Timeframe
from gentrade_core.freqtrade import layout
from gentrade_core.freqtrade.screen import ScreenPolicy
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.market_data import DataReport, DataRequest, MarketData
from gentrade_core.ports.runtime import RunHandle, RunSpec, RunState, Runtime
from gentrade_core.usecases.backtests import Backtests
from gentrade_core.usecases.job_store import JobStore
from gentrade_core.usecases.reaper import Reaper
from gentrade_core.usecases.run_job import JobRunner
from gentrade_core.usecases.strategies import Strategies
from tests.fakes import FakeQueue, SequentialIds, TickingClock
from tests.strategies_src import TRADING_STRATEGY

ALICE = Principal("alice")
FIXTURES = Path(__file__).parent.parent / "fixtures"

REPORT: dict[str, Any] = {
    "timeframe": "5m",
    "can_short": False,
    "startup_candle_count": 30,
    "minimal_roi": {"0": 0.02},
    "stoploss": -0.03,
    "parameters": {"buy": [{"name": "buy_drop", "kind": "IntParameter", "default": 5, "optimize": True}]},
    "informative": [],
}
"""What `gentrade-probe` writes for SampleCross (with a buy parameter added for the test)."""

INFORMATIVE_STRATEGY = TRADING_STRATEGY + "\n# reads informative candles through informative_pairs()\n"


@attrs.frozen
class Run:
    """One scripted Freqtrade run: files it writes into the job dir, lines it prints, how it exits."""

    files: Mapping[str, bytes] = attrs.field(factory=dict[str, bytes])
    lines: tuple[str, ...] = ()
    exit_code: int | None = 0
    on_start: Callable[[RunSpec], None] | None = None
    """Called as the run starts (a cancel asked through the API while it runs)."""


class ScriptedRun(RunHandle):
    """Ends at once with its exit code, or (exit code None) runs until cancelled."""

    def __init__(self, lines: tuple[str, ...], exit_code: int | None) -> None:
        self._lines, self._exit_code = lines, exit_code
        self._cancelled = threading.Event()
        self.cancelled = False

    def state(self) -> RunState:
        return RunState.RUNNING

    def logs(self) -> Iterator[str]:
        yield from self._lines
        if self._exit_code is None:
            self._cancelled.wait(10)

    def wait(self, timeout: float | None = None) -> int | None:
        if self._exit_code is None:
            self._cancelled.wait(timeout)
            return None
        return self._exit_code

    def cancel(self) -> None:
        self.cancelled = True
        self._cancelled.set()

    def cleanup(self) -> None:
        pass


@attrs.frozen
class Started:
    """A run as the runtime saw it start: its spec and the job dir's files at that moment."""

    spec: RunSpec
    files: dict[str, bytes]


class ScriptedFreqtrade(Runtime):
    """Plays the scripted runs in order, one per start, writing their files into `spec.workdir`."""

    def __init__(self) -> None:
        self.script: list[Run] = []
        self.started: list[Started] = []
        self.handles: list[ScriptedRun] = []

    def will(self, *runs: Run) -> None:
        self.script.extend(runs)

    def start(self, spec: RunSpec) -> RunHandle:
        workdir = Path(spec.workdir)
        seen = {str(p.relative_to(workdir)): p.read_bytes() for p in workdir.rglob("*") if p.is_file()}
        self.started.append(Started(spec, seen))
        run = self.script.pop(0)
        if run.on_start is not None:
            run.on_start(spec)
        for name, data in run.files.items():
            (workdir / name).parent.mkdir(parents=True, exist_ok=True)
            (workdir / name).write_bytes(data)
        handle = ScriptedRun(run.lines, run.exit_code)
        self.handles.append(handle)
        return handle

    @property
    def commands(self) -> list[str]:
        return [s.spec.args[0] for s in self.started]


class RecordingMarketData(MarketData):
    """Candles said to be in one folder; keeps every request it gets."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.requests: list[DataRequest] = []

    def ensure(self, request: DataRequest) -> DataReport:
        self.requests.append(request)
        return DataReport(str(self.data_dir), {}, [])


def probe_report(**changes: Any) -> Run:
    """A probe that loads the strategy and writes its report."""
    return Run(files={layout.PROBE_REPORT: json.dumps({**REPORT, **changes}).encode()})


def backtest_result() -> Run:
    """`backtesting` writing a real SampleCross result (tests/fixtures) where Freqtrade does."""
    stem = "backtest-result-2026-11-21_23-36-21"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{stem}.json", (FIXTURES / "backtest_result_samplecross.json").read_bytes())
    results = layout.BACKTEST_RESULTS
    return Run(
        files={
            f"{results}/{stem}.zip": buffer.getvalue(),
            f"{results}/.last_result.json": json.dumps({"latest_backtest": f"{stem}.zip"}).encode(),
        }
    )


class World:
    def __init__(self, tmp_path: Path) -> None:
        store = InMemoryStore()
        self.uow = lambda: InMemoryUnitOfWork(store)
        clock, ids = TickingClock(), SequentialIds()
        self.queue = FakeQueue()
        self.artifacts = FilesystemArtifactStore(tmp_path / "jobs")
        self.strategies = Strategies(
            self.uow,
            clock,
            ids,
            FilesystemWorkspaceStore(tmp_path / "ws"),
            self.queue,
            self.artifacts,
            ScreenPolicy(max_bytes=20_000),
        )
        self.backtests = Backtests(self.uow, self.queue, self.artifacts, clock, ids, DataSource.LOCAL)
        self.runtime = ScriptedFreqtrade()
        self.market_data = RecordingMarketData(tmp_path / "candles")
        self.runner = JobRunner(
            uow=self.uow,
            clock=clock,
            market_data=self.market_data,
            runtime=self.runtime,
            artifacts=self.artifacts,
            heartbeat_seconds=0.05,
        )

    def create(self, code: str = TRADING_STRATEGY, parameters: dict[str, Any] | None = None) -> Strategy:
        return self.strategies.create(ALICE, "SampleCross", code, parameters=parameters)

    def check_of(self, strategy: Strategy, version: int | None = None) -> LoadCheck:
        return self.strategies.checks([strategy], every_version=True)[
            (strategy.id, version or strategy.current_version)
        ]

    def run_check(self, strategy: Strategy, *runs: Run) -> LoadCheck:
        self.runtime.will(*runs)
        check_id = self.check_of(strategy).check_id
        assert check_id is not None
        self.runner.run(JobKind.CHECK, check_id)
        return self.check_of(strategy)

    def stored_checks(self, strategy_id: str) -> list[StrategyCheck]:
        with self.uow() as uow:
            strategy = uow.strategies.get(strategy_id)
            versions = [(strategy_id, v.number) for v in strategy.versions] if strategy else []
            return list(uow.checks.for_versions(versions))

    def run_backtest(self, strategy: Strategy, *runs: Run) -> Backtest:
        request = BacktestRequest(
            strategy_id=strategy.id,
            pairs=["ETH/BTC", "LTC/BTC"],
            timeframe="5m",
            timerange="20180110-20180130",
            stake_currency="BTC",
            stake_amount=0.01,
        )
        job = self.backtests.submit(ALICE, request)
        self.runtime.started.clear()  # only the backtest's own runs are of interest
        self.runtime.will(*runs)
        self.runner.run(JobKind.BACKTEST, job.id)
        return self.backtests.get(ALICE, job.id)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


# Storing a version queues its check


def test_create_queues_one_check_that_is_pending(world: World) -> None:
    """A new strategy's version 1 has one stored check, sent to the queue, shown as pending."""
    strategy = world.create()
    [check] = world.stored_checks(strategy.id)
    assert [(JobKind.CHECK, check.id)] == world.queue.sent
    assert (JobStatus.QUEUED, 1) == (check.status, check.strategy_version)
    assert LoadCheck(LoadStatus.PENDING, check_id=check.id) == world.check_of(strategy)


def test_each_new_version_gets_its_own_check(world: World) -> None:
    """An edit of the code queues a check of version 2; a description-only edit queues none."""
    strategy = world.create()
    world.strategies.update(ALICE, strategy.id, description="just words")
    updated = world.strategies.update(ALICE, strategy.id, code=TRADING_STRATEGY + "# v2\n")
    checks = world.strategies.checks([updated], every_version=True)
    assert [1, 2] == sorted(c.strategy_version for c in world.stored_checks(strategy.id))
    assert 2 == len(world.queue.sent)
    assert checks[(strategy.id, 1)].check_id != checks[(strategy.id, 2)].check_id


def test_a_queue_that_is_down_still_stores_the_strategy_and_its_queued_check(world: World) -> None:
    """The check waits in the store, and the reaper sends it once the queue is back."""
    world.queue.down = True
    strategy = world.create()
    [check] = world.stored_checks(strategy.id)
    assert (1, JobStatus.QUEUED, []) == (world.strategies.list(ALICE).total, check.status, world.queue.sent)
    world.queue.down = False
    later = TickingClock(datetime(2026, 1, 2, tzinfo=UTC))
    Reaper(world.uow, later, world.queue).reap()
    assert [(JobKind.CHECK, check.id)] == world.queue.sent


# A worker runs the check


def test_a_probe_that_reports_passes_the_check_with_exactly_its_facts(world: World) -> None:
    """Exit 0 and a report: passed, with the report's facts, and the check id and time."""
    strategy = world.create()
    check = world.run_check(strategy, probe_report())
    expected = StrategyFacts(
        timeframe="5m",
        can_short=False,
        startup_candle_count=30,
        minimal_roi={"0": 0.02},
        stoploss=-0.03,
        parameters={"buy": [Parameter("buy_drop", "IntParameter", 5, True)]},
        informative=[],
    )
    assert (LoadStatus.PASSED, None, expected) == (check.status, check.reason, check.facts)
    assert check.checked_at is not None


def test_the_check_runs_gentrade_probe_on_the_stored_files(world: World) -> None:
    """
    The runtime gets `gentrade-probe` on the job's config (no timeframe, so the strategy's own is
    reported; ETH/BTC whitelisted), the strategy file and the version's parameter file.
    """
    parameters = {"strategy_name": "SampleCross", "params": {"buy": {"buy_drop": 7}}}
    strategy = world.create(parameters=parameters)
    world.run_check(strategy, probe_report())
    [started] = world.runtime.started
    assert ("gentrade-probe", "--config", "config.json") == started.spec.args[:3]
    config = json.loads(started.files[layout.CONFIG])
    assert (False, ["ETH/BTC"]) == ("timeframe" in config, config["exchange"]["pair_whitelist"])
    assert TRADING_STRATEGY.encode() == started.files["strategies/SampleCross.py"]
    assert parameters == json.loads(started.files["strategies/SampleCross.json"])
    assert {"ETH/BTC"} == set(json.loads(started.files[layout.MARKETS]))


def test_a_version_without_parameters_gets_no_parameter_file(world: World) -> None:
    """Freqtrade would read a stale `<Name>.json`; none is written when the version has none."""
    strategy = world.create()
    world.run_check(strategy, probe_report())
    assert "strategies/SampleCross.json" not in world.runtime.started[0].files


def log_line(second: int, level: str, message: str) -> str:
    return f"2026-01-01 10:00:{second:02d},{second * 7:03d} - freqtrade.resolvers - {level} - {message}"


def test_a_failing_probe_fails_the_check_with_the_warning_once_and_the_error(world: World) -> None:
    """Freqtrade repeats a warning per search path: the reason keeps it once, then the error."""
    warning = "Could not import /strategies/Helper.py due to 'No module named helper'"
    error = (
        "Impossible to load Strategy 'SampleCross'. This class does not exist or contains Python code errors."
    )
    lines = (
        log_line(1, "INFO", "Using resolved strategy path"),
        log_line(2, "WARNING", warning),
        log_line(3, "WARNING", warning),
        log_line(4, "WARNING", warning),
        log_line(5, "ERROR", error),
    )
    strategy = world.create()
    check = world.run_check(strategy, Run(lines=lines, exit_code=2))
    assert check.status is LoadStatus.FAILED
    reason = check.reason or ""
    header, *shown = reason.splitlines()
    timestamp = re.compile(r"^\S+ \S+ - ")
    assert "Freqtrade exited with code 2:" == header
    assert [
        f"freqtrade.resolvers - WARNING - {warning}",
        f"freqtrade.resolvers - ERROR - {error}",
    ] == [timestamp.sub("", line) for line in shown]


def test_a_probe_that_writes_no_report_fails_the_check_saying_so(world: World) -> None:
    """Exit 0 without a report is not a pass: the reason says Freqtrade wrote no report."""
    strategy = world.create()
    check = world.run_check(strategy, Run())
    assert check.status is LoadStatus.FAILED
    assert (check.reason or "").startswith("Freqtrade loaded the strategy but wrote no report")


def test_an_unreadable_report_fails_the_check_saying_so(world: World) -> None:
    """A report missing fields is refused, not half-read."""
    strategy = world.create()
    check = world.run_check(strategy, Run(files={layout.PROBE_REPORT: b'{"timeframe": "5m"}'}))
    assert check.status is LoadStatus.FAILED
    assert "the strategy report is unreadable" in (check.reason or "")


def test_each_version_shows_its_own_check(world: World) -> None:
    """Version 1 passed and version 2 failed: each keeps its own; by default only the current shows."""
    strategy = world.create()
    world.run_check(strategy, probe_report())
    strategy = world.strategies.update(ALICE, strategy.id, code=TRADING_STRATEGY + "# v2\n")
    world.run_check(strategy, Run(lines=(log_line(1, "ERROR", "boom"),), exit_code=2))
    checks = world.strategies.checks([strategy], every_version=True)
    assert (LoadStatus.PASSED, LoadStatus.FAILED) == (
        checks[(strategy.id, 1)].status,
        checks[(strategy.id, 2)].status,
    )
    assert {(strategy.id, 2): checks[(strategy.id, 2)]} == world.strategies.checks([strategy])


def test_deleting_a_strategy_removes_its_checks_and_their_folders(world: World) -> None:
    """No check row and no check folder outlives the strategy."""
    strategy = world.create()
    world.run_check(strategy, probe_report())
    world.strategies.update(ALICE, strategy.id, code=TRADING_STRATEGY + "# v2\n")
    check_ids = [c.id for c in world.stored_checks(strategy.id)]
    folders = [Path(world.artifacts.job_dir(check_id)) for check_id in check_ids]
    assert [True, True] == [f.is_dir() for f in folders]
    world.strategies.delete(ALICE, strategy.id)
    assert ([], [False, False]) == (world.stored_checks(strategy.id), [f.exists() for f in folders])
    with world.uow() as uow:
        assert [None, None] == [uow.checks.get(check_id) for check_id in check_ids]


def test_wait_for_check_returns_as_soon_as_the_check_ends(world: World) -> None:
    """A worker finishing the check 0.3 s in ends a 30 s wait within a poll or two."""
    strategy = world.create()
    world.runtime.will(probe_report())
    check_id = world.check_of(strategy).check_id
    assert check_id is not None
    worker = threading.Timer(0.3, world.runner.run, (JobKind.CHECK, check_id))
    started = time.monotonic()
    worker.start()
    check = world.strategies.wait_for_check(strategy, timeout=30)
    waited = time.monotonic() - started
    worker.join()
    assert LoadStatus.PASSED == check.status
    assert 0.3 <= waited < 2


def test_wait_for_check_answers_pending_after_the_timeout(world: World) -> None:
    """With no worker, the wait ends at its timeout with the check still pending."""
    strategy = world.create()
    started = time.monotonic()
    check = world.strategies.wait_for_check(strategy, timeout=0.4)
    waited = time.monotonic() - started
    assert LoadStatus.PENDING == check.status
    assert 0.4 <= waited < 2


# Backtests fetch the informative candles the strategy reads


def test_a_strategy_reading_informative_candles_is_probed_with_the_jobs_config(world: World) -> None:
    """
    The check found informative candles, so Freqtrade loads the strategy with the backtest's config
    first; what that probe reports for the job's pairs is fetched, then the backtest runs.
    """
    strategy = world.create()
    world.run_check(strategy, probe_report(informative=[["BTC/USDT", "1h"]]))
    for_the_job = [["BTC/USDT", "1h"], ["ETH/BTC", "1h"], ["LTC/BTC", "1h"]]
    job = world.run_backtest(strategy, probe_report(informative=for_the_job), backtest_result())
    assert JobStatus.FINISHED == job.status, job.error
    assert ["gentrade-probe", "backtesting"] == world.runtime.commands
    probe = world.runtime.started[0]
    assert ["ETH/BTC", "LTC/BTC"] == json.loads(probe.files[layout.CONFIG])["exchange"]["pair_whitelist"]
    first, second = world.market_data.requests
    expected = [(Pair(p), Timeframe(tf)) for p, tf in for_the_job]
    assert ([], expected) == (list(first.informative), list(second.informative))
    assert (first.pairs, first.timeframe, first.startup_candles) == (
        second.pairs,
        second.timeframe,
        second.startup_candles,
    )


def test_a_strategy_without_informative_candles_runs_freqtrade_once(world: World) -> None:
    """A passed check with none, and code without the word: no probe, one data request."""
    strategy = world.create()
    world.run_check(strategy, probe_report())
    job = world.run_backtest(strategy, backtest_result())
    assert JobStatus.FINISHED == job.status, job.error
    assert ["backtesting"] == world.runtime.commands
    [request] = world.market_data.requests
    assert [] == list(request.informative)


def test_the_startup_candles_come_from_the_check(world: World) -> None:
    """Freqtrade's own count (say a parameter sets it) wins over what the code screen read."""
    strategy = world.create()
    world.run_check(strategy, probe_report(startup_candle_count=200))
    world.run_backtest(strategy, backtest_result())
    assert [200] == [r.startup_candles for r in world.market_data.requests]


def test_code_naming_informative_is_probed_while_its_check_is_pending(world: World) -> None:
    """No passed check yet: the word `informative` in the code is reason enough to ask Freqtrade."""
    strategy = world.create(INFORMATIVE_STRATEGY)
    job = world.run_backtest(strategy, probe_report(informative=[["ETH/BTC", "1h"]]), backtest_result())
    assert JobStatus.FINISHED == job.status, job.error
    assert ["gentrade-probe", "backtesting"] == world.runtime.commands
    assert [[], [(Pair("ETH/BTC"), Timeframe("1h"))]] == [
        list(r.informative) for r in world.market_data.requests
    ]


def test_a_probe_that_finds_no_informative_candles_fetches_nothing_more(world: World) -> None:
    """The probe says none after all: one data request, then the backtest."""
    strategy = world.create(INFORMATIVE_STRATEGY)
    job = world.run_backtest(strategy, probe_report(informative=[]), backtest_result())
    assert JobStatus.FINISHED == job.status, job.error
    assert 1 == len(world.market_data.requests)


def test_a_probe_failing_during_a_backtest_fails_the_job_with_freqtrades_reason(world: World) -> None:
    """The strategy cannot be loaded with the job's config: failed, saying so, and no backtest runs."""
    strategy = world.create(INFORMATIVE_STRATEGY)
    error = log_line(1, "ERROR", "Impossible to load Strategy 'SampleCross'.")
    job = world.run_backtest(strategy, Run(lines=(error,), exit_code=2))
    assert JobStatus.FAILED == job.status
    assert (job.error or "").startswith(
        "Freqtrade could not load the strategy. Freqtrade exited with code 2:"
    )
    assert error in (job.error or "")
    assert ["gentrade-probe"] == world.runtime.commands


def test_a_cancel_while_the_probe_runs_cancels_the_job(world: World) -> None:
    """The probe is stopped at the next heartbeat, and the backtest never starts."""
    strategy = world.create(INFORMATIVE_STRATEGY)

    def cancel_through_the_api(spec: RunSpec) -> None:
        world.backtests.cancel(ALICE, spec.labels["gentrade.job.id"])

    job = world.run_backtest(strategy, Run(exit_code=None, on_start=cancel_through_the_api))
    assert JobStatus.CANCELLED == job.status
    assert (["gentrade-probe"], [True]) == (
        world.runtime.commands,
        [h.cancelled for h in world.runtime.handles],
    )


# The reaper


class ManualClock(Clock):
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


def test_the_reaper_requeues_a_stale_check_like_any_job() -> None:
    """A check whose worker died goes back to queued and is sent again as a check."""
    store = InMemoryStore()
    uow = lambda: InMemoryUnitOfWork(store)  # noqa: E731
    clock, queue = ManualClock(), FakeQueue()
    with uow() as u:
        u.checks.add(StrategyCheck(id="c1", owner_id="alice", created_at=clock.now(), strategy_id="s1"))
        u.commit()
    assert JobStore(uow, clock).claim(JobKind.CHECK, "c1") is not None
    clock.at += timedelta(seconds=61)
    report = Reaper(uow, clock, queue, timedelta(seconds=60), timedelta(minutes=10), 3).reap()
    with uow() as u:
        check = u.checks.get("c1")
    assert (["c1"], [(JobKind.CHECK, "c1")]) == (report.requeued, queue.sent)
    assert check is not None and (JobStatus.QUEUED, 1) == (check.status, check.attempts)
