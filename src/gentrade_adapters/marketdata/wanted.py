"""
Which candles a request needs: the job's pairs at its timeframe plus what the strategy reads as
informative data, grouped by timeframe (each timeframe has its own window and its own download).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from gentrade_adapters.marketdata.timegrid import fill_window
from gentrade_core.domain.values import Pair, Timeframe
from gentrade_core.ports.market_data import DataRequest, MarketDataError


def describe(pair: Pair, timeframe: Timeframe, informative: bool = False) -> str:
    """How messages name one pair's candles: `ETH/BTC 5m`, saying so when they are informative data."""
    name = f"{pair} {timeframe}"
    return f"{name}, which the strategy reads as informative data" if informative else name


@attrs.frozen
class CandleSet:
    """The pairs read at one timeframe: the job's own (`pairs`) and those only read as `informative` data."""

    timeframe: Timeframe
    pairs: tuple[Pair, ...] = ()
    informative: tuple[Pair, ...] = ()

    @property
    def every_pair(self) -> tuple[Pair, ...]:
        return (*self.pairs, *self.informative)

    def describe(self, pair: Pair) -> str:
        return describe(pair, self.timeframe, pair in self.informative)


def candle_sets(request: DataRequest) -> list[CandleSet]:
    """The main set first, then one per further timeframe; informative repeats of main candles are dropped."""
    extra: dict[Timeframe, list[Pair]] = {request.timeframe: []}
    for pair, timeframe in request.informative:
        pairs = extra.setdefault(timeframe, [])
        if pair not in pairs and (timeframe != request.timeframe or pair not in request.pairs):
            pairs.append(pair)
    main = tuple(request.pairs)
    sets = [CandleSet(tf, main if tf == request.timeframe else (), tuple(p)) for tf, p in extra.items()]
    _refuse_futures(sets)
    return sets


def _refuse_futures(sets: Sequence[CandleSet]) -> None:
    """Futures candles have another layout; informative pairs come from the strategy, not the checked job."""
    futures = [f"{c.describe(p)}: a futures pair, not spot" for c in sets for p in c.every_pair if p.settle]
    if futures:
        raise MarketDataError(f"{'; '.join(futures)}; only spot candles are served")


def every_pair(sets: Sequence[CandleSet]) -> list[Pair]:
    """Each pair of `sets` once, in request order."""
    return list(dict.fromkeys(pair for candles in sets for pair in candles.every_pair))


def fill_span(request: DataRequest, timeframe: Timeframe, now: datetime) -> tuple[datetime, datetime]:
    """
    The span a fetching source fills at `timeframe`. Freqtrade loads the startup candles in each
    timeframe's own candles; a timeframe shorter than the main one still gets the main startup time, so
    informative indicators have history wherever the main ones do.
    """
    lead = request.startup_candles * max(request.timeframe.delta, timeframe.delta)
    return fill_window(request.timerange, lead, now)
