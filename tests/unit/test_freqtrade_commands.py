"""The Freqtrade command lines of backtests and hyperopts, checked against Freqtrade's own parser."""

from __future__ import annotations

from typing import Any

import pytest

from gentrade_core.domain.requests import HyperoptRequest
from gentrade_core.domain.values import TimeRange
from gentrade_core.freqtrade.commands import backtest_args, hyperopt_args

DATA_DIR = "/cache/binance"
COMMON = (
    "--config", "config.json",
    "--userdir", ".",
    "--strategy", "SampleCross",
    "--strategy-path", "strategies",
    "--timerange", "20180110-20180130",
    "--datadir", DATA_DIR,
    "--no-color",
)  # fmt: skip


def hyperopt_request(**changes: Any) -> HyperoptRequest:
    fields: dict[str, Any] = {
        "strategy_id": "s1",
        "pairs": ["ETH/BTC"],
        "timerange": "20180110-20180130",
        "stake_currency": "BTC",
        "epochs": 5,
        "spaces": ["buy", "roi"],
        "loss": "SharpeHyperOptLoss",
    }
    return HyperoptRequest(**(fields | changes))


def freqtrade_parse(args: tuple[str, ...]) -> dict[str, Any]:
    arguments = pytest.importorskip("freqtrade.commands").Arguments
    return arguments(list(args)).get_parsed_arg()


def test_backtest_runs_afresh_and_exports_trades_into_the_job_directory() -> None:
    """Exactly the arguments after `freqtrade`; a TimeRange and its text give the same command."""
    expected = (
        "backtesting", *COMMON,
        "--export", "trades",
        "--backtest-directory", "backtest_results",
        "--cache", "none",
    )  # fmt: skip
    assert expected == backtest_args("SampleCross", "20180110-20180130", DATA_DIR)
    assert expected == backtest_args("SampleCross", TimeRange.parse("20180110-20180130"), DATA_DIR)


def test_hyperopt_names_epochs_spaces_loss_and_workers() -> None:
    """Exactly the arguments after `freqtrade`, with no --min-trades when the request sets none."""
    expected = (
        "hyperopt", *COMMON,
        "--epochs", "5",
        "--spaces", "buy", "roi",
        "--hyperopt-loss", "SharpeHyperOptLoss",
        "--job-workers", "2",
        "--disable-param-export",
    )  # fmt: skip
    assert expected == hyperopt_args("SampleCross", hyperopt_request(), DATA_DIR)


def test_hyperopt_passes_min_trades_and_worker_count() -> None:
    """Both end up in the command when given."""
    sut = hyperopt_args("SampleCross", hyperopt_request(min_trades=10), DATA_DIR, jobs=1)
    assert ("--job-workers", "1", "--disable-param-export", "--min-trades", "10") == sut[-5:]


def test_freqtrade_reads_the_backtest_command_as_meant() -> None:
    """Freqtrade 2026.9's parser maps every flag to the intended setting."""
    parsed = freqtrade_parse(backtest_args("SampleCross", "20180110-20180130", DATA_DIR))
    expected = {
        "command": "backtesting",
        "config": ["config.json"],
        "user_data_dir": ".",
        "strategy": "SampleCross",
        "strategy_path": "strategies",
        "timerange": "20180110-20180130",
        "datadir": DATA_DIR,
        "export": "trades",
        "exportdirectory": "backtest_results",
        "backtest_cache": "none",
    }
    assert expected == {key: parsed[key] for key in expected}


def test_freqtrade_reads_the_hyperopt_command_as_meant() -> None:
    """Freqtrade 2026.9's parser maps every hyperopt flag to the intended setting."""
    parsed = freqtrade_parse(hyperopt_args("SampleCross", hyperopt_request(min_trades=3), DATA_DIR))
    expected = {
        "command": "hyperopt",
        "epochs": 5,
        "spaces": ["buy", "roi"],
        "hyperopt_loss": "SharpeHyperOptLoss",
        "hyperopt_jobs": 2,
        "hyperopt_min_trades": 3,
        "disableparamexport": True,
        "print_colorized": False,
    }
    assert expected == {key: parsed[key] for key in expected}
