"""
The runtime contract every `Runtime` adapter must pass: real Freqtrade runs on the shared 2018-01
binance data, offline, through the launcher and a synthesised markets snapshot.

`prepare_job` writes a job directory the way the worker does; other suites may reuse it.
"""

from __future__ import annotations

import json
import time
import uuid
from abc import ABC, abstractmethod
from pathlib import Path

import psutil
import pytest

from gentrade_core.domain.requests import BacktestRequest, HyperoptRequest, JobRequest
from gentrade_core.freqtrade import layout
from gentrade_core.freqtrade.commands import backtest_args, hyperopt_args
from gentrade_core.freqtrade.config import build_job_config
from gentrade_core.freqtrade.markets import synthesize_markets
from gentrade_core.freqtrade.results import (
    latest_backtest_zip_name,
    parse_backtest_result,
    parse_hyperopt_epochs,
    read_backtest_zip,
)
from gentrade_core.ports.runtime import RunHandle, RunSpec, RunState, Runtime
from tests.strategies_src import (
    BROKEN_MESSAGE,
    BROKEN_STRATEGY,
    DATA_DIR,
    HYPEROPT_STRATEGY,
    PAIRS,
    TIMERANGE,
    TRADING_STRATEGY,
)

RUN_MARKER = "GENTRADE_TEST_RUN"
"""Set in each run's environment so the test can find every process the run started."""
JOB_FIELDS = {"strategy_id": "s1", "pairs": list(PAIRS), "stake_currency": "BTC", "stake_amount": 0.01}


def prepare_job(workdir: Path, request: JobRequest, strategy_name: str, source: str) -> None:
    """Strategy file, config and markets snapshot in a fresh job directory."""
    (workdir / layout.STRATEGY_DIR).mkdir(parents=True)
    (workdir / layout.STRATEGY_DIR / f"{strategy_name}.py").write_text(source)
    config = build_job_config(request, strategy_name, DATA_DIR)
    (workdir / layout.CONFIG).write_text(json.dumps(config, indent=2))
    (workdir / layout.MARKETS).write_text(json.dumps(synthesize_markets(request.pair_values)))


def spec(workdir: Path, args: tuple[str, ...], marker: str = "") -> RunSpec:
    return RunSpec(
        name=workdir.name,
        args=args,
        workdir=str(workdir),
        data_dir=DATA_DIR,
        markets_file=layout.MARKETS,
        env={RUN_MARKER: marker or uuid.uuid4().hex},
    )


def backtest_spec(workdir: Path, strategy_name: str, source: str, timerange: str = TIMERANGE) -> RunSpec:
    prepare_job(workdir, BacktestRequest(timerange=timerange, **JOB_FIELDS), strategy_name, source)
    return spec(workdir, backtest_args(strategy_name, timerange, DATA_DIR))


def hyperopt_spec(workdir: Path, epochs: int, marker: str = "", timerange: str = TIMERANGE) -> RunSpec:
    request = HyperoptRequest(timerange=timerange, epochs=epochs, spaces=["buy"], **JOB_FIELDS)
    prepare_job(workdir, request, "SampleHyperopt", HYPEROPT_STRATEGY)
    return spec(workdir, hyperopt_args("SampleHyperopt", request, DATA_DIR), marker)


def marked_processes(marker: str) -> list[psutil.Process]:
    """Live (non-zombie) processes on this host whose environment carries the run's marker."""
    found: list[psutil.Process] = []
    for process in psutil.process_iter():
        try:
            if process.status() != psutil.STATUS_ZOMBIE and process.environ().get(RUN_MARKER) == marker:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


@pytest.mark.freqtrade
class RuntimeContract(ABC):
    @abstractmethod
    def make_runtime(self) -> Runtime: ...

    def processes_left(self, marker: str) -> list[psutil.Process]:
        """What of a run still lives; runtimes whose processes are not on this host override this."""
        return marked_processes(marker)

    @pytest.fixture(autouse=True)
    def _needs_data(self) -> None:
        if not Path(DATA_DIR).is_dir():
            pytest.skip(f"the shared market data {DATA_DIR} is not on this machine")

    def run_to_end(self, handle: RunHandle, timeout: float = 300) -> tuple[int | None, list[str]]:
        lines = list(handle.logs())
        return handle.wait(timeout), lines

    def test_backtest_on_real_data_trades_and_exports_a_result(self, tmp_path: Path) -> None:
        """SampleCross trades on ETH/BTC + LTC/BTC offline; the zip named in .last_result.json parses."""
        sut = self.make_runtime().start(backtest_spec(tmp_path, "SampleCross", TRADING_STRATEGY))
        code, lines = self.run_to_end(sut)
        sut.cleanup()
        assert (0, RunState.SUCCEEDED) == (code, sut.state()), "\n".join(lines[-30:])
        results = tmp_path / layout.BACKTEST_RESULTS
        name = latest_backtest_zip_name(json.loads((results / ".last_result.json").read_text()))
        summary, trades = parse_backtest_result(
            read_backtest_zip((results / name).read_bytes()), "SampleCross"
        )
        assert summary.total_trades > 0
        assert summary.total_trades == len(trades)
        assert {"ETH/BTC", "LTC/BTC"} == {t.pair for t in trades}

    def test_short_hyperopt_writes_its_epochs(self, tmp_path: Path) -> None:
        """Five epochs over a buy-space IntParameter land in hyperopt_results/ with a best epoch."""
        sut = self.make_runtime().start(hyperopt_spec(tmp_path, epochs=5, timerange="20180110-20180115"))
        code, lines = self.run_to_end(sut)
        sut.cleanup()
        assert 0 == code, "\n".join(lines[-30:])
        [fthypt] = (tmp_path / layout.HYPEROPT_RESULTS).glob("*.fthypt")
        done, best = parse_hyperopt_epochs(fthypt.read_text().splitlines())
        assert 5 == done
        assert best is not None and "buy_drop" in best.params

    def test_a_strategy_that_raises_fails_with_freqtrades_error_in_the_logs(self, tmp_path: Path) -> None:
        """The exit code is non-zero, the state FAILED, and the strategy's exception is in the output."""
        sut = self.make_runtime().start(backtest_spec(tmp_path, "BrokenStrategy", BROKEN_STRATEGY))
        code, lines = self.run_to_end(sut)
        sut.cleanup()
        assert (True, RunState.FAILED) == (code != 0, sut.state())
        assert any(BROKEN_MESSAGE in line for line in lines), "\n".join(lines[-30:])

    def test_cancel_stops_the_run_and_everything_it_started(self, tmp_path: Path) -> None:
        """Cancelled mid-hyperopt (workers running), the run ends within 5 s and no process is left."""
        marker = uuid.uuid4().hex
        sut = self.make_runtime().start(hyperopt_spec(tmp_path, epochs=500, marker=marker))
        next(iter(sut.logs()))
        deadline = time.monotonic() + 90
        while len(self.processes_left(marker)) < 2 and time.monotonic() < deadline and sut.wait(0.5) is None:
            pass
        assert sut.wait(0) is None, "the hyperopt ended before it could be cancelled"
        started = time.monotonic()
        sut.cancel()
        assert sut.wait(5) is not None
        assert time.monotonic() - started < 5
        assert RunState.CANCELLED == sut.state()
        sut.cleanup()
        assert [] == self.processes_left(marker)

    def test_logs_arrive_while_the_run_is_going(self, tmp_path: Path) -> None:
        """The first line is readable before the run ends, and the rest follows to the end."""
        sut = self.make_runtime().start(
            backtest_spec(tmp_path, "SampleCross", TRADING_STRATEGY, "20180110-20180112")
        )
        lines = sut.logs()
        first = next(lines)
        running_at_first_line = sut.state()
        rest = list(lines)
        assert 0 == sut.wait(60)
        sut.cleanup()
        assert RunState.RUNNING == running_at_first_line
        assert any("SampleCross" in line for line in [first, *rest])
