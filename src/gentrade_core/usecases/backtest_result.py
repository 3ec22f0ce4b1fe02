"""Reading a job's backtest result from the files Freqtrade left in its directory."""

from __future__ import annotations

import json

from gentrade_core.domain.backtest import BacktestSummary, TradeRecord
from gentrade_core.freqtrade import layout
from gentrade_core.freqtrade.results import latest_backtest_zip_name, parse_backtest_result, read_backtest_zip
from gentrade_core.ports.storage import ArtifactStore


def load_backtest_result(artifacts: ArtifactStore, job_id: str) -> tuple[BacktestSummary, list[TradeRecord]]:
    """
    Follow Freqtrade's `.last_result.json` pointer to its result zip and parse it; raises
    `ArtifactNotFound` when Freqtrade wrote none.
    """
    results = f"{layout.BACKTEST_RESULTS}/"
    pointer = json.loads(artifacts.read(job_id, f"{results}.last_result.json"))
    result = read_backtest_zip(artifacts.read(job_id, results + latest_backtest_zip_name(pointer)))
    return parse_backtest_result(result, next(iter(result.get("strategy", {})), ""))  # one strategy a run
