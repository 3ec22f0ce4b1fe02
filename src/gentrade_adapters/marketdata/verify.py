"""
The checks every candle file passes before a run reads it, so a job fails with a reason instead of
Freqtrade silently trimming, skipping or filling data. Vectorised: a year of 1m candles is ~0.5M rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from gentrade_adapters.marketdata.layout import OTHER_FORMATS, candle_file
from gentrade_adapters.marketdata.timegrid import candle_index, needed_window
from gentrade_adapters.marketdata.wanted import CandleSet, describe
from gentrade_core.domain.values import Pair, Timeframe, TimeRange
from gentrade_core.ports.market_data import MarketDataError

COLUMNS = ["date", "open", "high", "low", "close", "volume"]


@attrs.frozen
class Findings:
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _at(moment: datetime | pd.Timestamp) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _count(mask: Any, dates: pd.Series, what: str) -> list[str]:
    """`n <what> (first at <date>)` when any row of the boolean `mask` matches."""
    hits = int(mask.sum())
    return [f"{hits} {what} (first at {_at(dates.loc[mask].iloc[0])})"] if hits else []


def _between(dates: pd.Series, low: datetime | None, high: datetime | None) -> pd.Series:
    """`low <= date < high`, an open end matching everything."""
    mask = pd.Series(True, index=dates.index)
    if low:
        mask &= dates >= low
    if high:
        mask &= dates < high
    return mask


def _late(moment: datetime | pd.Timestamp, informative: bool) -> str:
    """What late data leads to: Freqtrade trims the main candles but merges informative ones as they are."""
    if informative:
        return f"informative indicators are incomplete until {_at(moment)}"
    return f"Freqtrade will start the backtest at {_at(moment)}"


def _sanity(frame: pd.DataFrame, dates: pd.Series) -> list[str]:
    steps = dates.diff()
    o, h, low, c, v = (frame[col] for col in COLUMNS[1:])
    prices = frame[["open", "high", "low", "close"]]
    return [
        *_count(steps == pd.Timedelta(0), dates, "duplicate timestamps"),
        *_count(steps < pd.Timedelta(0), dates, "timestamps out of order"),
        *_count(frame[COLUMNS[1:]].isna().any(axis=1), dates, "candles with missing values"),
        *_count((prices <= 0).any(axis=1), dates, "candles with prices <= 0"),
        *_count(v < 0, dates, "candles with negative volume"),
        *_count(low > np.minimum(o, c), dates, "candles with low above open or close"),
        *_count(h < np.maximum(o, c), dates, "candles with high below open or close"),
    ]


def _coverage(
    dates: pd.Series, timeframe: Timeframe, timerange: TimeRange, startup: int, informative: bool
) -> tuple[list[str], list[str]]:
    first, last, step = dates.min(), dates.max(), timeframe.delta
    start, end = timerange.start, timerange.end
    errors: list[str] = []
    warnings: list[str] = []
    if not _between(dates, start, end).any():
        errors.append(f"no candles inside the time range {timerange} (they run {_at(first)} to {_at(last)})")
    # Time ranges are whole days: data that begins or ends inside the boundary day still covers it
    # (with a warning), as Freqtrade runs from the first candle it has.
    slack = max(step, pd.Timedelta(days=1) - step)
    if start and first > start + slack:
        errors.append(f"candles start at {_at(first)}, after the requested start {_at(start)}")
    elif start and first > start + step:
        warnings.append(
            f"candles start at {_at(first)}, after the requested start {_at(start)}; "
            f"{_late(first, informative)}"
        )
    elif start and startup and first > start - startup * step:
        begins = first + startup * step
        have = max(int((start - first) / step), 0)
        if end and begins >= end:
            errors.append(
                f"needs {startup} startup candles before {_at(start)} but candles start at {_at(first)}, "
                f"which leaves nothing of the time range"
            )
        else:
            warnings.append(
                f"only {have} of {startup} startup candles before {_at(start)}; {_late(begins, informative)}"
            )
    if end and last < end - slack:
        errors.append(f"candles end at {_at(last)}, before the requested end {_at(end)}")
    elif end and last < end - step:
        warnings.append(f"candles end at {_at(last)}, before the requested end {_at(end)}")
    return errors, warnings


def _gaps(dates: pd.Series, timeframe: Timeframe) -> list[str]:
    ordered = dates.drop_duplicates().sort_values()
    steps = np.diff(candle_index(ordered, timeframe))
    missing = np.rint(steps - 1).clip(min=0).astype("int64")
    if not missing.any():
        return []
    widest = int(missing.argmax())
    return [
        f"{int(missing.sum())} missing candles in {int((missing > 0).sum())} gaps, "
        f"largest {int(missing[widest])} after {_at(ordered.iloc[widest])}"
    ]


def check_candles(
    frame: pd.DataFrame,
    pair: Pair,
    timeframe: Timeframe,
    timerange: TimeRange,
    startup_candles: int = 0,
    informative: bool = False,
) -> Findings:
    """Problems (errors) and oddities (warnings) of one pair's candles, each prefixed `<describe(...)>: `."""
    name = describe(pair, timeframe, informative)
    absent = [col for col in COLUMNS if col not in frame.columns]
    if absent or frame.empty:
        problem = f"no column {', '.join(absent)}" if absent else "no candles"
        return Findings(errors=(f"{name}: {problem}",))
    dates = pd.to_datetime(frame["date"], utc=True)
    errors, warnings = _coverage(dates, timeframe, timerange, startup_candles, informative)
    low, high = needed_window(timerange, timeframe, startup_candles)
    used = _between(dates, low - timeframe.delta if low else None, high + timeframe.delta if high else None)
    window = frame.loc[used].reset_index(drop=True)
    window_dates = dates.loc[used].reset_index(drop=True)
    errors += _sanity(window, window_dates)
    warnings += _gaps(window_dates, timeframe)
    return Findings(tuple(f"{name}: {e}" for e in errors), tuple(f"{name}: {w}" for w in warnings))


def _missing_file(data_dir: Path, exchange: str, pair: Pair, timeframe: Timeframe) -> str:
    message = f"no candles for {exchange} in {data_dir}"
    for extension, source in OTHER_FORMATS.items():
        other = candle_file(data_dir, pair, timeframe, extension)
        if other.exists():
            return (
                f"{message} (found {other.name}; only feather is read, convert it with "
                f"`freqtrade convert-data --format-from {source} --format-to feather`)"
            )
    return message


def _check_file(
    data_dir: Path, exchange: str, candles: CandleSet, pair: Pair, timerange: TimeRange, startup_candles: int
) -> Findings:
    timeframe, name = candles.timeframe, candles.describe(pair)
    path = candle_file(data_dir, pair, timeframe)
    if not path.exists():
        return Findings(errors=(f"{name}: {_missing_file(data_dir, exchange, pair, timeframe)}",))
    try:
        frame = pd.read_feather(path)
    except (OSError, ValueError) as e:
        return Findings(errors=(f"{name}: cannot read {path}: {e}",))
    return check_candles(frame, pair, timeframe, timerange, startup_candles, pair in candles.informative)


def verify_candles(
    data_dir: Path, exchange: str, sets: Sequence[CandleSet], timerange: TimeRange, startup_candles: int = 0
) -> tuple[str, ...]:
    """Warnings about usable candles; raises `MarketDataError` listing every problem of every pair."""
    errors: list[str] = []
    warnings: list[str] = []
    for candles in sets:
        for pair in candles.every_pair:
            found = _check_file(data_dir, exchange, candles, pair, timerange, startup_candles)
            errors += found.errors
            warnings += found.warnings
    if errors:
        raise MarketDataError("; ".join(errors))
    return tuple(warnings)
