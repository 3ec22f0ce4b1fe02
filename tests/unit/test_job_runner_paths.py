"""A failed job shows no server path: not in its error, its log tail, nor its log file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gentrade_adapters.files.artifacts import FilesystemArtifactStore
from gentrade_adapters.files.workspaces import FilesystemWorkspaceStore
from gentrade_adapters.marketdata.cache import CachedMarketData
from gentrade_adapters.memory import InMemoryStore, InMemoryUnitOfWork
from gentrade_app.path_masks import base_path_mask
from gentrade_app.settings import Settings
from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest, DataSource
from gentrade_core.freqtrade import layout
from gentrade_core.freqtrade.screen import ScreenPolicy
from gentrade_core.ports.market_data import DataReport, DataRequest, MarketData
from gentrade_core.ports.runtime import RunHandle, RunSpec, RunState, Runtime
from gentrade_core.usecases.backtests import Backtests
from gentrade_core.usecases.run_job import JobRunner
from gentrade_core.usecases.strategies import Strategies
from tests.fakes import FakeQueue, SequentialIds, TickingClock
from tests.strategies_src import TRADING_STRATEGY

ALICE = Principal("alice")


class CandlesIn(MarketData):
    """Candles said to be in `data_dir`, with one warning naming a file there."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def ensure(self, request: DataRequest) -> DataReport:
        warning = f"gap of 3 candles in {self.data_dir}/ETH_BTC-5m.feather"
        return DataReport(str(self.data_dir), {}, [warning])


class FinishedRun(RunHandle):
    def __init__(self, lines: list[str], exit_code: int) -> None:
        self._lines, self._exit_code = lines, exit_code

    def state(self) -> RunState:
        return RunState.FAILED

    def logs(self) -> Iterator[str]:
        yield from self._lines

    def wait(self, timeout: float | None = None) -> int | None:
        return self._exit_code

    def cancel(self) -> None:
        pass

    def cleanup(self) -> None:
        pass


class CrashingFreqtrade(Runtime):
    """Freqtrade failing the way it does, its output naming the job dir, the candles, venv and stdlib."""

    def __init__(self, venv: Path) -> None:
        self.venv = venv

    def start(self, spec: RunSpec) -> RunHandle:
        packages = f"{self.venv}/lib/python3.11/site-packages"
        return FinishedRun(
            [
                f"freqtrade.resolvers - INFO - Using resolved strategy SampleCross from "
                f"'{spec.workdir}/strategies/SampleCross.py'...",
                f"freqtrade.data - INFO - Using data directory: {spec.data_dir} ...",
                "Traceback (most recent call last):",
                '  File "/usr/lib/python3.11/runpy.py", line 198, in _run_module_as_main',
                f'  File "{packages}/freqtrade/main.py", line 44, in main',
                f'  File "{spec.workdir}/strategies/SampleCross.py", line 12, in populate_indicators',
                f"FileNotFoundError: {spec.data_dir}/ETH_BTC-5m.feather",
            ],
            exit_code=2,
        )


class World:
    def __init__(self, tmp_path: Path, market_data: MarketData, runtime: Runtime) -> None:
        store = InMemoryStore()
        uow = lambda: InMemoryUnitOfWork(store)  # noqa: E731
        clock, ids, queue = TickingClock(), SequentialIds(), FakeQueue()
        self.settings = Settings(
            data_dir=tmp_path / "gentrade", market_data_dir=tmp_path / "market", runtime="local"
        )
        self.artifacts = FilesystemArtifactStore(self.settings.data_dir / "jobs")
        workspaces = FilesystemWorkspaceStore(self.settings.data_dir / "workspaces")
        self.strategies = Strategies(
            uow, clock, ids, workspaces, queue, self.artifacts, ScreenPolicy(max_bytes=20_000)
        )
        self.backtests = Backtests(uow, queue, self.artifacts, clock, ids, DataSource.LOCAL)
        self.runner = JobRunner(
            uow=uow,
            clock=clock,
            market_data=market_data,
            runtime=runtime,
            artifacts=self.artifacts,
            heartbeat_seconds=0.05,
            paths=base_path_mask(self.settings),
        )

    def run_backtest(self) -> Backtest:
        strategy = self.strategies.create(ALICE, "SampleCross", TRADING_STRATEGY)
        request = BacktestRequest(
            strategy_id=strategy.id,
            pairs=["ETH/BTC"],
            timeframe="5m",
            timerange="20180110-20180130",
            stake_currency="BTC",
            stake_amount=0.01,
        )
        job = self.backtests.submit(ALICE, request)
        self.runner.run(JobKind.BACKTEST, job.id)
        return self.backtests.get(ALICE, job.id)

    def shown(self, job: Backtest) -> dict[str, str]:
        """Everything the API shows of the job as text."""
        return {
            "error": job.error or "",
            "log_tail": "\n".join(job.log_tail),
            "log": self.artifacts.read(job.id, layout.LOG).decode() if job.log_tail else "",
        }


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    """A folder name no label contains, so finding it in a text means a path leaked."""
    return tmp_path / "server-only"


def test_freqtrades_failure_shows_only_labelled_paths(tmp: Path) -> None:
    """Error, tail and log file name `./strategies/...`, `<market data>/...` and module paths only."""
    candles = tmp / "gentrade" / "market-data" / "binance"
    world = World(tmp, CandlesIn(candles), CrashingFreqtrade(tmp / ".venv"))
    job = world.run_backtest()
    assert JobStatus.FAILED == job.status
    shown = world.shown(job)
    assert {"error": False, "log_tail": False, "log": False} == {k: str(tmp) in v for k, v in shown.items()}
    assert [
        "freqtrade.resolvers - INFO - Using resolved strategy SampleCross from "
        "'./strategies/SampleCross.py'...",
        "freqtrade.data - INFO - Using data directory: <market data> ...",
        "Traceback (most recent call last):",
        '  File "<python>/runpy.py", line 198, in _run_module_as_main',
        '  File "freqtrade/main.py", line 44, in main',
        '  File "./strategies/SampleCross.py", line 12, in populate_indicators',
        "FileNotFoundError: <market data>/ETH_BTC-5m.feather",
    ] == job.log_tail
    assert (
        "WARNING data: gap of 3 candles in <market data>/ETH_BTC-5m.feather\n"
        + "\n".join(job.log_tail)
        + "\n"
        == shown["log"]
    )
    assert shown["error"].endswith("FileNotFoundError: <market data>/ETH_BTC-5m.feather")


def test_missing_local_candles_name_the_market_folder_by_its_label(tmp: Path) -> None:
    """The data check fails before Freqtrade runs; its message names `<market data>`, not the folder."""
    (tmp / "market").mkdir(parents=True)
    market_data = CachedMarketData(tmp / "gentrade" / "market-data", tmp / "market")
    world = World(tmp, market_data, CrashingFreqtrade(tmp / ".venv"))
    job = world.run_backtest()
    assert (JobStatus.FAILED, False) == (job.status, str(tmp) in (job.error or ""))
    assert "ETH/BTC 5m" in (job.error or "")
    assert "<market data>" in (job.error or "")


class BrokenRuntime(Runtime):
    """A runtime bug: an unexpected exception whose message names the job directory."""

    def start(self, spec: RunSpec) -> RunHandle:
        raise OSError(f"cannot open {spec.workdir}/{layout.MARKETS}")


def test_an_internal_error_names_the_job_directory_by_its_label(tmp: Path) -> None:
    """Even an unexpected crash stores a masked message (the server's own log keeps the real one)."""
    world = World(tmp, CandlesIn(tmp / "candles"), BrokenRuntime())
    job = world.run_backtest()
    assert (JobStatus.FAILED, "internal error: OSError: cannot open ./markets.json") == (
        job.status,
        job.error,
    )
