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
    informative: tuple[tuple[str, str], ...] = (("BTC/USDT", "1h"), ("ETH/BTC", "15m"))
    """(pair, timeframe) candles a strategy reads besides `pairs`: another quote, other timeframes."""
    missing_informative: tuple[str, str] | None = ("NOPE/USDT", "1h")
    """Informative candles the source cannot serve, or None when it serves any."""

    @abstractmethod
    def create_market_data(self, tmp_path: Path) -> MarketData: ...

    @pytest.fixture
    def sut(self, tmp_path: Path) -> MarketData:
        return self.create_market_data(tmp_path)

    def request(
        self,
        timerange: str,
        pairs: tuple[str, ...] | None = None,
        startup: int = 0,
        informative: tuple[tuple[str, str], ...] = (),
    ) -> DataRequest:
        return DataRequest(
            exchange="binance",
            pairs=[Pair.parse(p) for p in pairs or self.pairs],
            timeframe=Timeframe.parse(self.timeframe),
            timerange=TimeRange.parse(timerange),
            source=self.source,
            startup_candles=startup,
            informative=[(Pair.parse(p), Timeframe.parse(tf)) for p, tf in informative],
        )

    def assert_covered(self, data_dir: str, pair: str, timeframe: str) -> None:
        """`data_dir` holds a readable Freqtrade file of the pair's candles spanning `covered`."""
        timerange, step = TimeRange.parse(self.covered), Timeframe(timeframe).delta
        frame = pd.read_feather(Path(data_dir) / f"{Pair(pair).file_stem}-{timeframe}.feather")
        assert list(frame.columns) == ["date", "open", "high", "low", "close", "volume"]
        assert timerange.start and timerange.end
        assert frame["date"].min() <= timerange.start + step
        assert frame["date"].max() >= timerange.end - step

    def test_files_for_every_pair_cover_the_range(self, sut: MarketData) -> None:
        """Each pair has a readable Freqtrade file in `data_dir` spanning the requested range."""
        report = sut.ensure(self.request(self.covered))
        for pair in self.pairs:
            self.assert_covered(report.data_dir, pair, self.timeframe)

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

    def test_informative_candles_sit_beside_the_main_ones(self, sut: MarketData) -> None:
        """Freqtrade reads informative data from the same `--datadir`: each combination is there, verified."""
        report = sut.ensure(self.request(self.covered, informative=self.informative))
        for pair, timeframe in self.informative:
            self.assert_covered(report.data_dir, pair, timeframe)

    def test_markets_include_informative_pairs(self, sut: MarketData) -> None:
        """Informative pairs, whatever their quote currency, get a ccxt market too."""
        report = sut.ensure(self.request(self.covered, informative=self.informative))
        assert {*self.pairs, *(pair for pair, _ in self.informative)} == set(report.markets)

    def test_informative_repeats_of_main_candles_change_nothing(self, sut: MarketData) -> None:
        """A strategy naming its own pairs and timeframe as informative data asks for nothing more."""
        repeats = tuple((pair, self.timeframe) for pair in self.pairs)
        assert sut.ensure(self.request(self.covered)) == sut.ensure(
            self.request(self.covered, informative=repeats)
        )

    def test_missing_informative_candles_fail_naming_them(self, sut: MarketData) -> None:
        """Informative candles the source cannot serve: named with their timeframe and why they are read."""
        if self.missing_informative is None:
            pytest.skip(f"the {self.source} source serves any informative pair")
        pair, timeframe = self.missing_informative
        with pytest.raises(MarketDataError) as raised:
            sut.ensure(self.request(self.covered, informative=(*self.informative, self.missing_informative)))
        message = str(raised.value)
        assert f"{pair} {timeframe}, which the strategy reads as informative data: " in message
        assert "ETH/BTC 15m" not in message

    def test_uncovered_informative_range_fails_naming_it(self, sut: MarketData) -> None:
        """Informative candles that do not cover the range are refused like the main ones, and say so."""
        with pytest.raises(MarketDataError) as raised:
            sut.ensure(self.request(self.uncovered, informative=self.informative))
        for pair, timeframe in self.informative:
            assert f"{pair} {timeframe}, which the strategy reads as informative data: " in str(raised.value)

    def test_futures_informative_pairs_are_refused(self, sut: MarketData) -> None:
        """Only spot candles are served; a futures pair from the strategy is named, not half served."""
        with pytest.raises(
            MarketDataError, match="BTC/USDT:USDT 1h, which the strategy reads as informative"
        ):
            sut.ensure(self.request(self.covered, informative=(("BTC/USDT:USDT", "1h"),)))
