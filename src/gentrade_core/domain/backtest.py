"""The Backtest aggregate and the summary parsed from Freqtrade's results."""

from __future__ import annotations

from datetime import datetime

import attrs

from gentrade_core.domain.job import Job, JobKind, JobStatus
from gentrade_core.domain.requests import BacktestRequest


@attrs.frozen
class BacktestSummary:
    """The headline figures of one backtest; ratios are fractions (0.05 = 5 %)."""

    total_trades: int
    profit_total: float
    profit_total_abs: float
    profit_percentage: float
    avg_profit: float
    max_drawdown: float
    sharpe_ratio: float | None
    sortino_ratio: float | None
    calmar_ratio: float | None
    win_rate: float
    wins: int
    draws: int
    losses: int
    best_pair: str | None
    worst_pair: str | None
    starting_balance: float
    final_balance: float
    market_change: float | None
    backtest_start: str
    backtest_end: str


@attrs.frozen
class TradeRecord:
    """One closed trade of a backtest."""

    pair: str
    open_date: str
    close_date: str | None
    open_rate: float
    close_rate: float | None
    amount: float
    stake_amount: float
    profit_abs: float
    profit_ratio: float
    exit_reason: str | None
    is_short: bool = False


@attrs.define
class Backtest(Job):
    strategy_id: str = ""
    strategy_version: int = 1
    request: BacktestRequest | None = None
    summary: BacktestSummary | None = None
    kind: JobKind = attrs.field(init=False, default=JobKind.BACKTEST)

    def finish(self, summary: BacktestSummary, at: datetime) -> None:
        self._move(JobStatus.FINISHED, at)
        self.summary = summary
