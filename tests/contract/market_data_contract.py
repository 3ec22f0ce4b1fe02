"""
What every `MarketData` source must do, as an importable base class: subclass it, implement
`create_market_data`, set the class attributes, and name the subclass `Test...`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import pandas as pd
import pytest

from gentrade_core.domain.requests import DataSource
from gentrade_core.domain.values import Pair, Timeframe, TimeRange
from gentrade_core.ports.market_data import DataRequest, MarketData, MarketDataError


class MarketDataContract(ABC):
    source: DataSource
    pairs: tuple[str, ...] = ("ETH/BTC", "LTC/BTC")
    timeframe = "5m"
    covered: str = "20180111-20180129"
    """A time range the source can serve for `pairs`."""
    uncovered: str = "20190101-20190201"
    """A time range the source cannot serve."""
    missing_pair: str | None = "NOPE/BTC"
    """A pair the source cannot serve, or None when it serves any pair."""

    @abstractmethod
    def create_market_data(self, tmp_path: Path) -> MarketData: ...

    @pytest.fixture
    def sut(self, tmp_path: Path) -> MarketData:
        return self.create_market_data(tmp_path)

    def request(self, timerange: str, pairs: tuple[str, ...] | None = None, startup: int = 0) -> DataRequest:
        return DataRequest(
            exchange="binance",
            pairs=[Pair.parse(p) for p in pairs or self.pairs],
            timeframe=Timeframe.parse(self.timeframe),
            timerange=TimeRange.parse(timerange),
            source=self.source,
            startup_candles=startup,
        )

    def test_files_for_every_pair_cover_the_range(self, sut: MarketData) -> None:
        """Each pair has a readable Freqtrade file in `data_dir` spanning the requested range."""
        timerange = TimeRange.parse(self.covered)
        report = sut.ensure(self.request(self.covered))
        for pair in self.pairs:
            path = Path(report.data_dir) / f"{Pair(pair).file_stem}-{self.timeframe}.feather"
            frame = pd.read_feather(path)
            assert list(frame.columns) == ["date", "open", "high", "low", "close", "volume"]
            assert timerange.start and timerange.end
            assert frame["date"].min() <= timerange.start + Timeframe(self.timeframe).delta
            assert frame["date"].max() >= timerange.end - Timeframe(self.timeframe).delta

    def test_markets_has_each_pair(self, sut: MarketData) -> None:
        """The markets snapshot holds a ccxt market for exactly the requested pairs."""
        report = sut.ensure(self.request(self.covered))
        assert set(self.pairs) == set(report.markets)
        for pair in self.pairs:
            assert pair == report.markets[pair]["symbol"]

    def test_missing_pair_fails_naming_it(self, sut: MarketData) -> None:
        """A pair the source cannot serve fails the whole request, and the message names it."""
        if self.missing_pair is None:
            pytest.skip(f"the {self.source} source serves any pair")
        with pytest.raises(MarketDataError, match=self.missing_pair):
            sut.ensure(self.request(self.covered, (*self.pairs, self.missing_pair)))

    def test_uncovered_range_fails_naming_pair_and_timeframe(self, sut: MarketData) -> None:
        """Candles that do not cover the range are refused with the pair and timeframe in the message."""
        with pytest.raises(MarketDataError) as raised:
            sut.ensure(self.request(self.uncovered))
        for pair in self.pairs:
            assert f"{pair} {self.timeframe}" in str(raised.value)

    def test_ensure_twice_gives_the_same_report(self, sut: MarketData) -> None:
        """A second request for the same candles is served from what the first one left."""
        first = sut.ensure(self.request(self.covered))
        assert first == sut.ensure(self.request(self.covered))
