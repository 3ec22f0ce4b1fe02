"""
Freqtrade's output (the backtest result zip, `.last_result.json`, the hyperopt `.fthypt` lines)
turned into domain values. Anything else is refused with `ResultFormatError` naming what is missing,
so a changed Freqtrade format fails loudly instead of storing zeros.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any, cast

from gentrade_core.domain.backtest import BacktestSummary, TradeRecord
from gentrade_core.domain.hyperopt import HyperoptEpoch


class ResultFormatError(ValueError):
    """The content is not a Freqtrade result in the format GenTrade reads."""


def _present(record: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in record:
        raise ResultFormatError(f"{where} has no {key!r}")
    return record[key]


def _as_number(value: Any) -> float | None:
    """JSON numbers only: `true` is not 1 here."""
    return None if isinstance(value, bool) or not isinstance(value, int | float) else float(value)


def _number(record: Mapping[str, Any], key: str, where: str) -> float:
    value = _as_number(_present(record, key, where))
    if value is None:
        raise ResultFormatError(f"{where}[{key!r}] is {record[key]!r}, not a number")
    return value


def _optional_number(record: Mapping[str, Any], key: str) -> float | None:
    """A figure Freqtrade may leave out, null or non-finite when there is too little to measure."""
    value = _as_number(record.get(key))
    return value if value is not None and math.isfinite(value) else None


def _text(record: Mapping[str, Any], key: str, where: str) -> str:
    value = _present(record, key, where)
    if not isinstance(value, str):
        raise ResultFormatError(f"{where}[{key!r}] is {value!r}, not text")
    return value


def _optional_text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) else None


def _list(record: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = _present(record, key, where)
    if not isinstance(value, list):
        raise ResultFormatError(f"{where}[{key!r}] is not a list")
    return cast(list[Any], value)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ResultFormatError(f"{where} is not a JSON object")
    return cast(Mapping[str, Any], value)


def read_backtest_zip(data: bytes) -> dict[str, Any]:
    """The result JSON inside a `backtest-result-<ts>.zip`: the `<stem>.json` every other member extends."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ResultFormatError("not a zip archive") from e
    with archive:
        names = archive.namelist()
        results = [n for n in names if n.endswith(".json") and all(o.startswith(n[:-5]) for o in names)]
        if len(results) != 1:
            raise ResultFormatError(f"no backtest result JSON among {names}")
        try:
            content = json.loads(archive.read(results[0]))
        except ValueError as e:
            raise ResultFormatError(f"{results[0]} is not JSON: {e}") from e
    return dict(_mapping(content, results[0]))


def latest_backtest_zip_name(last_result_json: Mapping[str, Any]) -> str:
    """The zip named by `.last_result.json`; a bare file name, so it cannot point outside the folder."""
    name = _text(last_result_json, "latest_backtest", ".last_result.json")
    if not name.endswith(".zip") or "/" in name or "\\" in name or name.startswith("."):
        raise ResultFormatError(f".last_result.json names {name!r}, not a result zip")
    return name


def _trade(record: Mapping[str, Any]) -> TradeRecord:
    where = "trade"
    return TradeRecord(
        pair=_text(record, "pair", where),
        open_date=_text(record, "open_date", where),
        close_date=_optional_text(record, "close_date"),
        open_rate=_number(record, "open_rate", where),
        close_rate=_optional_number(record, "close_rate"),
        amount=_number(record, "amount", where),
        stake_amount=_number(record, "stake_amount", where),
        profit_abs=_number(record, "profit_abs", where),
        profit_ratio=_number(record, "profit_ratio", where),
        exit_reason=_optional_text(record, "exit_reason"),
        is_short=bool(record.get("is_short", False)),
    )


def _best_and_worst_pair(stats: Mapping[str, Any], where: str) -> tuple[str | None, str | None]:
    """By total profit among the pairs that traded; Freqtrade's own `TOTAL` row is not a pair."""
    rows = [_mapping(row, "results_per_pair row") for row in _list(stats, "results_per_pair", where)]
    traded = [r for r in rows if r.get("key") != "TOTAL" and _number(r, "trades", "results_per_pair row") > 0]
    if not traded:
        return None, None
    ranked = sorted(traded, key=lambda row: _number(row, "profit_total", "results_per_pair row"))
    return _text(ranked[-1], "key", "results_per_pair row"), _text(ranked[0], "key", "results_per_pair row")


def parse_backtest_result(
    result: Mapping[str, Any], strategy_name: str
) -> tuple[BacktestSummary, list[TradeRecord]]:
    """The summary and closed trades of one strategy in a backtest result JSON."""
    strategies = _mapping(result.get("strategy"), "the result's 'strategy' section")
    if strategy_name not in strategies:
        raise ResultFormatError(f"no results for strategy {strategy_name!r}; found {sorted(strategies)}")
    where = f"results of {strategy_name}"
    stats = _mapping(strategies[strategy_name], where)
    profit_total = _number(stats, "profit_total", where)
    best_pair, worst_pair = _best_and_worst_pair(stats, where)
    summary = BacktestSummary(
        total_trades=int(_number(stats, "total_trades", where)),
        profit_total=profit_total,
        profit_total_abs=_number(stats, "profit_total_abs", where),
        profit_percentage=profit_total * 100,
        avg_profit=_number(stats, "profit_mean", where),
        max_drawdown=_number(stats, "max_drawdown_account", where),
        sharpe_ratio=_optional_number(stats, "sharpe"),
        sortino_ratio=_optional_number(stats, "sortino"),
        calmar_ratio=_optional_number(stats, "calmar"),
        win_rate=_number(stats, "winrate", where),
        wins=int(_number(stats, "wins", where)),
        draws=int(_number(stats, "draws", where)),
        losses=int(_number(stats, "losses", where)),
        best_pair=best_pair,
        worst_pair=worst_pair,
        starting_balance=_number(stats, "starting_balance", where),
        final_balance=_number(stats, "final_balance", where),
        market_change=_optional_number(stats, "market_change"),
        backtest_start=_text(stats, "backtest_start", where),
        backtest_end=_text(stats, "backtest_end", where),
    )
    return summary, [_trade(_mapping(t, "trade")) for t in _list(stats, "trades", where)]


def _epoch(record: Mapping[str, Any]) -> HyperoptEpoch:
    where = "hyperopt epoch"
    metrics = _mapping(record.get("results_metrics"), f"{where} 'results_metrics'")
    return HyperoptEpoch(
        epoch=int(_number(record, "current_epoch", where)),
        loss=_number(record, "loss", where),
        profit=_number(metrics, "profit_total", where),
        profit_abs=_number(metrics, "profit_total_abs", where),
        total_trades=int(_number(metrics, "total_trades", where)),
        params=dict(_mapping(record.get("params_dict"), f"{where} 'params_dict'")),
        is_best=bool(record.get("is_best", False)),
    )


def parse_hyperopt_epochs(lines: Iterable[str]) -> tuple[int, HyperoptEpoch | None]:
    """
    How many epochs a `.fthypt` holds and the best so far (the lowest loss Freqtrade marked best).

    The file is read while hyperopt writes it, so a last line that is not (yet) JSON is skipped;
    an unreadable line anywhere else is an error.
    """
    done, best, unreadable = 0, None, None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if unreadable is not None:
            raise ResultFormatError(f".fthypt line {unreadable} is not JSON")
        try:
            record = json.loads(line)
        except ValueError:
            unreadable = number
            continue
        epoch = _epoch(_mapping(record, f".fthypt line {number}"))
        done += 1
        if epoch.is_best and (best is None or epoch.loss <= best.loss):
            best = epoch
    return done, best
