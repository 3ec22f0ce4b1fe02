"""`gentrade demo`: the whole path on synthetic data, with no network and no services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from gentrade_app.bootstrap import Services, build_services
from gentrade_app.demo_strategy import DEMO_STRATEGY
from gentrade_app.report import best_epoch_table, equity_chart, load_check_line, summary_table
from gentrade_app.settings import Settings
from gentrade_app.waiting import wait_with_progress
from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest, DataSource, HyperoptRequest

DEMO_USER = Principal("demo")
_JOB: dict[str, Any] = dict(
    exchange="binance",
    pairs=["BTC/USDT", "ETH/USDT", "SOL/USDT"],
    timeframe="5m",
    timerange="20250101-20250201",
    stake_currency="USDT",
    stake_amount=100,
    dry_run_wallet=1000,
    max_open_trades=3,
    data_source=DataSource.SYNTHETIC,
)


def run_demo(output: Path, console: Console) -> int:
    """Returns the process exit code: 0 when both jobs finished."""
    services = build_services(Settings(data_dir=output / "data"))
    try:
        strategy = services.strategies.put_code(DEMO_USER, DEMO_STRATEGY, "EMA crossover with an RSI filter")
        console.print(f"stored strategy {strategy.name} (version {strategy.current_version})")
        with console.status("Freqtrade is loading it (the load check)"):
            check = services.strategies.wait_for_check(strategy, services.settings.check_wait_seconds)
        if check.facts is None:
            console.print(f"[red]load check {check.status.value}[/red]: {check.reason}")
            return 1
        console.print(load_check_line(check.facts))

        submitted = services.backtests.submit(DEMO_USER, BacktestRequest(strategy_id=strategy.id, **_JOB))
        backtest = wait_with_progress(services.backtests, DEMO_USER, submitted.id, "backtest")
        if not _report_backtest(services, backtest, output, console):
            return 1

        submitted = services.hyperopts.submit(
            DEMO_USER,
            HyperoptRequest(strategy_id=strategy.id, epochs=10, spaces=["buy"], min_trades=20, **_JOB),
        )
        hyperopt = wait_with_progress(services.hyperopts, DEMO_USER, submitted.id, "hyperopt (10 epochs)")
        if not isinstance(hyperopt, Hyperopt) or hyperopt.best is None:
            console.print(f"[red]hyperopt {hyperopt.status.value}[/red]: {hyperopt.error}")
            return 1
        console.print(best_epoch_table("hyperopt: best epoch", hyperopt.best))
        return 0
    finally:
        services.close()


def _report_backtest(services: Services, job: Backtest, output: Path, console: Console) -> bool:
    if job.summary is None:
        console.print(f"[red]backtest {job.status.value}[/red]: {job.error}")
        return False
    console.print(summary_table(f"backtest {job.id}", job.summary))
    trades = services.backtests.trades(DEMO_USER, job.id, limit=100_000).items
    chart = equity_chart(
        list(trades),
        job.summary.starting_balance,
        output / "equity.png",
        f"{job.summary.backtest_start} to {job.summary.backtest_end}",
    )
    console.print(f"equity curve: {chart}")
    return True
