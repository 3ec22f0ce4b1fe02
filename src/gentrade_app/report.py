"""Terminal tables (job results, import reports) and the equity-curve chart for finished jobs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from rich.table import Table

from gentrade_core.domain.backtest import BacktestSummary, TradeRecord
from gentrade_core.domain.hyperopt import HyperoptEpoch
from gentrade_core.domain.strategy_check import LoadCheck, StrategyFacts
from gentrade_core.usecases.strategy_import import ImportOutcome


def summary_table(title: str, summary: BacktestSummary) -> Table:
    table = Table(title=title)
    table.add_column("metric")
    table.add_column("value", justify="right")
    rows = [
        ("trades", f"{summary.total_trades}"),
        ("profit", f"{summary.profit_percentage:.2f} % ({summary.profit_total_abs:.6g})"),
        ("avg profit / trade", f"{summary.avg_profit * 100:.2f} %"),
        ("win rate", f"{summary.win_rate * 100:.1f} %"),
        ("max drawdown", f"{summary.max_drawdown * 100:.2f} %"),
        ("sharpe", f"{summary.sharpe_ratio:.2f}" if summary.sharpe_ratio is not None else "-"),
        ("sortino", f"{summary.sortino_ratio:.2f}" if summary.sortino_ratio is not None else "-"),
        ("best pair", summary.best_pair or "-"),
        ("worst pair", summary.worst_pair or "-"),
        ("balance", f"{summary.starting_balance:.6g} -> {summary.final_balance:.6g}"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def best_epoch_table(title: str, best: HyperoptEpoch) -> Table:
    table = Table(title=title)
    table.add_column("epoch", justify="right")
    table.add_column("loss", justify="right")
    table.add_column("profit", justify="right")
    table.add_column("trades", justify="right")
    table.add_column("params")
    table.add_row(
        str(best.epoch),
        f"{best.loss:.5f}",
        f"{best.profit * 100:.2f} %",
        str(best.total_trades),
        ", ".join(f"{k}={v}" for k, v in best.params.items()),
    )
    return table


def load_check_line(facts: StrategyFacts) -> str:
    parameters = ", ".join(
        f"{space}: {' '.join(p.name for p in found)}" for space, found in facts.parameters.items() if found
    )
    return (
        f"load check passed: timeframe {facts.timeframe}, {facts.startup_candle_count} startup candles, "
        f"stoploss {facts.stoploss}, hyperoptable {parameters or 'none'}"
    )


def import_table(outcomes: list[ImportOutcome], loads: Mapping[str, LoadCheck]) -> Table:
    """One row per class; `loads` holds the load check of each strategy stored or found unchanged."""
    table = Table(title="import")
    for column in ("file", "strategy", "status", "version", "parameters", "load", "why"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        load = loads.get(o.strategy_id or "")
        why = [*o.reasons, *([load.reason] if load and load.reason else [])]
        table.add_row(
            o.file,
            o.strategy or "-",
            o.status.value,
            str(o.version or "-"),
            "yes" if o.parameters else "",
            load.status.value if load else "",
            "\n".join(why),
        )
    return table


def equity_chart(trades: list[TradeRecord], starting_balance: float, path: Path, title: str) -> Path:
    """Plot the balance after each closed trade and save a PNG."""
    import matplotlib  # heavy: loaded only when a chart is drawn

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    closed = sorted((t for t in trades if t.close_date), key=lambda t: t.close_date or "")
    times = [datetime.fromisoformat(str(t.close_date)) for t in closed]
    balance, curve = starting_balance, []
    for trade in closed:
        balance += trade.profit_abs
        curve.append(balance)
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.step(times, curve, where="post")  # pyright: ignore[reportArgumentType] - matplotlib takes datetimes
    ax.axhline(starting_balance, color="grey", linewidth=0.8, linestyle="--")
    ax.set_title(title)
    ax.set_ylabel("balance")
    fig.autofmt_xdate()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
