"""Candles in the shared cache, verified before any run uses them."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import attrs

from gentrade_core.domain.requests import DataSource
from gentrade_core.domain.values import Pair, Timeframe, TimeRange


class MarketDataError(Exception):
    """Candles are missing or unusable; the message names the pair, timeframe and what is wrong."""


@attrs.frozen
class DataRequest:
    exchange: str
    pairs: Sequence[Pair]
    timeframe: Timeframe
    timerange: TimeRange
    source: DataSource
    startup_candles: int = 0
    informative: Sequence[tuple[Pair, Timeframe]] = ()
    """Further (pair, timeframe) candles the strategy reads as informative data, in the same `data_dir`."""


@attrs.frozen
class DataReport:
    data_dir: str
    """The directory to pass as Freqtrade's `--datadir` (holds `<PAIR>-<tf>.feather`)."""
    markets: Mapping[str, Any]
    """ccxt market structures keyed by symbol, for every requested pair, informative ones included."""
    warnings: Sequence[str] = ()


class MarketData(Protocol):
    @abstractmethod
    def ensure(self, request: DataRequest) -> DataReport:
        """Make the candles available and verified, or raise `MarketDataError`."""
