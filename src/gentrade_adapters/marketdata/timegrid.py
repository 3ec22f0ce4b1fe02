"""
The candle grid: which open times a timeframe has, and the window a request needs.

Weeks start on Monday and months on the 1st, as ccxt rounds them; everything else is aligned to the
Unix epoch, which `ORIGIN` (a Monday) also is.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from gentrade_core.domain.values import Timeframe, TimeRange

ORIGIN = datetime(2010, 1, 4, tzinfo=UTC)
"""The first candle the generator can make; also index 0 of every grid."""
_ORIGIN = pd.Timestamp(ORIGIN)


def _months(timeframe: Timeframe) -> int | None:
    return int(timeframe.value[:-1]) if timeframe.value.endswith("M") else None


def candle_index(dates: pd.Series | pd.DatetimeIndex, timeframe: Timeframe) -> np.ndarray:
    """Position of each open time on the grid (fractional when off-grid), counted from `ORIGIN`."""
    index = pd.DatetimeIndex(dates)
    months = _months(timeframe)
    if months is not None:
        since = (index.year - ORIGIN.year) * 12 + index.month - 1
        return np.asarray(since, dtype="float64") / months
    return np.asarray((index - _ORIGIN) / pd.Timedelta(seconds=timeframe.seconds), dtype="float64")


def candle_times(first: int, stop: int, timeframe: Timeframe) -> pd.DatetimeIndex:
    """Open times of grid candles `first <= i < stop`."""
    months = _months(timeframe)
    if months is not None:
        offsets = [pd.DateOffset(months=int(i) * months) for i in range(first, stop)]
        return pd.DatetimeIndex([_ORIGIN.replace(day=1) + o for o in offsets]).as_unit("ns")
    step = pd.Timedelta(seconds=timeframe.seconds)
    return pd.date_range(_ORIGIN + first * step, periods=max(stop - first, 0), freq=step, unit="ns")


def needed_window(
    timerange: TimeRange, timeframe: Timeframe, startup_candles: int
) -> tuple[datetime | None, datetime | None]:
    """The span of candles a run reads: the startup candles before `start`, up to `end`."""
    start = timerange.start - startup_candles * timeframe.delta if timerange.start else None
    return start, timerange.end


def fill_window(timerange: TimeRange, lead: timedelta, now: datetime) -> tuple[datetime, datetime]:
    """
    The span a source that must pick one fills: `lead` before the start, open ends run to today's
    midnight, 30 days.
    """
    end = timerange.end or now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = timerange.start or end - timedelta(days=30)
    return start - lead, end
