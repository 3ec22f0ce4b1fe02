"""The `gentrade` command line, run as a user would run it: a real process."""

from __future__ import annotations

from pathlib import Path

import pytest

from gentrade_adapters.auth.local_tokens import LocalTokens
from tests.e2e.cli_process import SECRET, gentrade
from tests.strategies_src import HYPEROPT_STRATEGY, TIMERANGE, TRADING_STRATEGY


def test_token_create_prints_only_a_token_that_verifies(tmp_path: Path) -> None:
    """stdout is the token alone, so `T=$(gentrade token create --user alice)` works."""
    result = gentrade(tmp_path, "token", "create", "--user", "alice")
    assert 0 == result.returncode, result.stderr
    assert 1 == len(result.stdout.splitlines())
    assert "alice" == LocalTokens(SECRET).verify(result.stdout.strip()).user_id


def test_migrate_creates_the_database(tmp_path: Path) -> None:
    """`gentrade migrate` brings an empty data dir's database to the latest schema."""
    result = gentrade(tmp_path, "migrate")
    assert 0 == result.returncode, result.stderr
    assert (tmp_path / "data" / "gentrade.db").is_file()


@pytest.mark.freqtrade
def test_backtest_from_the_command_line(tmp_path: Path) -> None:
    """A file's strategy is stored and backtested; the summary table is printed; exit 0."""
    (tmp_path / "cross.py").write_text(TRADING_STRATEGY)
    result = gentrade(
        tmp_path,
        "backtest",
        "cross.py",
        "-p",
        "ETH/BTC",
        "--timerange",
        TIMERANGE,
        "--stake-currency",
        "BTC",
        "--stake-amount",
        "0.01",
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "trades" in result.stdout and "finished" in result.stdout


def test_backtest_with_a_bad_field_names_it_and_exits_2(tmp_path: Path) -> None:
    """Bad input is reported with the field and a non-zero exit, before anything runs."""
    (tmp_path / "cross.py").write_text(TRADING_STRATEGY)
    result = gentrade(
        tmp_path,
        "backtest",
        "cross.py",
        "-p",
        "ETH/BTC",
        "--timerange",
        "2018-01-10",
        "--stake-currency",
        "BTC",
    )
    assert 2 == result.returncode
    assert "timerange" in result.stderr


@pytest.mark.freqtrade
def test_demo_runs_offline_and_exits_0(tmp_path: Path) -> None:
    """The Quickstart's demo: a backtest and a hyperopt on synthetic data, a table and a chart."""
    result = gentrade(tmp_path, "demo", "--output", "out", timeout=900)
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "best epoch" in result.stdout
    assert (tmp_path / "out" / "equity.png").stat().st_size > 10_000


@pytest.mark.freqtrade
def test_hyperopt_from_the_command_line(tmp_path: Path) -> None:
    """A short hyperopt from a file finishes and prints its best epoch."""
    (tmp_path / "hyper.py").write_text(HYPEROPT_STRATEGY)
    result = gentrade(
        tmp_path,
        "hyperopt",
        "hyper.py",
        "-p",
        "ETH/BTC",
        "--timerange",
        "20180110-20180115",
        "--stake-currency",
        "BTC",
        "--stake-amount",
        "0.01",
        "--epochs",
        "3",
        "--spaces",
        "buy",
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "buy_drop=" in result.stdout  # the best epoch's parameters
