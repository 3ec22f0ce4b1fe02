"""Every `CachedMarketData` source against the market data contract, plus what is special to each."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from gentrade_adapters.marketdata import CachedMarketData
from gentrade_adapters.marketdata.downloader import CommandResult, FreqtradeDownloader
from gentrade_adapters.marketdata.synthetic import synthetic_candles
from gentrade_core.domain.requests import DataSource
from gentrade_core.domain.values import Pair, Timeframe
from gentrade_core.freqtrade.markets import synthesize_markets
from gentrade_core.ports.market_data import MarketData, MarketDataError
from tests.contract.market_data_contract import MarketDataContract
from tests.strategies_src import DATA_DIR

SHARED_DATA = Path(DATA_DIR)


class FakeExchange:
    """Stands in for `freqtrade download-data` and the ccxt snapshot: lists `listed`, has 2018 only."""

    def __init__(self, listed: Sequence[str] = ("ETH/BTC", "LTC/BTC", "ADA/BTC")) -> None:
        self.listed = listed
        self.calls: list[list[str]] = []
        self.history = (datetime(2018, 1, 1, tzinfo=UTC), datetime(2018, 3, 1, tzinfo=UTC))

    def __call__(self, args: Sequence[str]) -> CommandResult:
        self.calls.append(list(args))
        if "download-data" not in args:
            Path(args[-1]).write_text(json.dumps(synthesize_markets([Pair(p) for p in self.listed])))
            return CommandResult(0, "")
        pairs = args[args.index("--pairs") + 1 : args.index("--timeframes")]
        timeframe = Timeframe(args[args.index("--timeframes") + 1])
        start, end = (
            datetime.strptime(d, "%Y%m%d").replace(tzinfo=UTC)
            for d in args[args.index("--timerange") + 1].split("-")
        )
        datadir = Path(args[args.index("--datadir") + 1])
        for pair in (Pair(p) for p in pairs if p in self.listed):
            frame = synthetic_candles(pair, timeframe, max(start, self.history[0]), min(end, self.history[1]))
            if len(frame):
                frame.to_feather(datadir / f"{pair.file_stem}-{timeframe}.feather")
        return CommandResult(0, "")


class TestLocalSource(MarketDataContract):
    source = DataSource.LOCAL

    def create_market_data(self, tmp_path: Path) -> MarketData:
        return CachedMarketData(tmp_path / "cache", SHARED_DATA)

    def test_reads_the_folder_in_place(self, sut: MarketData) -> None:
        """No copy: `data_dir` is the configured folder itself."""
        assert str(SHARED_DATA) == sut.ensure(self.request(self.covered)).data_dir

    def test_uses_the_exchange_subfolder_when_there_is_one(self, tmp_path: Path) -> None:
        """A folder laid out like Freqtrade's `data/` (`<exchange>/` inside) is read there."""
        nested = tmp_path / "data" / "binance"
        nested.mkdir(parents=True)
        (nested / "ETH_BTC-5m.feather").symlink_to(SHARED_DATA / "ETH_BTC-5m.feather")
        sut = CachedMarketData(tmp_path / "cache", tmp_path / "data")
        assert str(nested) == sut.ensure(self.request(self.covered, ("ETH/BTC",))).data_dir

    def test_without_a_folder_says_what_to_set(self, tmp_path: Path) -> None:
        """The local source without a configured folder points at GENTRADE_MARKET_DATA_DIR."""
        with pytest.raises(MarketDataError, match="GENTRADE_MARKET_DATA_DIR"):
            CachedMarketData(tmp_path).ensure(self.request(self.covered))

    def test_reports_gaps_as_warnings(self, sut: MarketData) -> None:
        """ADA/BTC's real gaps pass, with a warning that counts them."""
        report = sut.ensure(self.request(self.covered, ("ADA/BTC",)))
        assert any(w.startswith("ADA/BTC 5m: ") and "missing candles" in w for w in report.warnings)


class TestSyntheticSource(MarketDataContract):
    source = DataSource.SYNTHETIC
    uncovered = "20090101-20090201"
    """Before the generator's first candle (2010-01-04)."""
    missing_pair = None

    def create_market_data(self, tmp_path: Path) -> MarketData:
        return CachedMarketData(tmp_path / "cache")

    def test_writes_under_synthetic_in_the_cache(self, tmp_path: Path, sut: MarketData) -> None:
        """Generated candles live in `<cache>/synthetic`, apart from any exchange's real ones."""
        assert str(tmp_path / "cache" / "synthetic") == sut.ensure(self.request(self.covered)).data_dir

    def test_extending_the_range_keeps_existing_candles(self, sut: MarketData) -> None:
        """A longer request grows the cached file without changing candles already served."""
        report = sut.ensure(self.request("20240110-20240120"))
        path = Path(report.data_dir) / "ETH_BTC-5m.feather"
        before = pd.read_feather(path)
        sut.ensure(self.request("20240101-20240201", startup=50))
        after = pd.read_feather(path).set_index("date")
        pd.testing.assert_frame_equal(before.set_index("date"), after.loc[before["date"]])
        assert after.index[0] <= pd.Timestamp("2024-01-01", tz="UTC") - 50 * pd.Timedelta("5min")

    def test_concurrent_requests_leave_a_whole_file(self, tmp_path: Path) -> None:
        """Parallel `ensure` calls for the same pair all succeed and agree."""
        reports, errors = [], []

        def run(timerange: str) -> None:
            try:
                sut = CachedMarketData(tmp_path / "cache")
                reports.append(sut.ensure(self.request(timerange, ("ETH/BTC",))))
            except Exception as e:  # collected and asserted below
                errors.append(e)

        threads = [threading.Thread(target=run, args=(f"202401{d:02d}-20240301",)) for d in range(1, 9)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(reports) == 8
        assert [p for p in (tmp_path / "cache" / "synthetic").iterdir() if p.name.endswith(".tmp")] == []


class TestExchangeSourceWithFakeDownloads(MarketDataContract):
    source = DataSource.EXCHANGE

    @pytest.fixture
    def exchange(self) -> FakeExchange:
        return FakeExchange()

    @pytest.fixture
    def sut(self, tmp_path: Path, exchange: FakeExchange) -> MarketData:
        return CachedMarketData(tmp_path / "cache", downloader=FreqtradeDownloader(runner=exchange))

    def create_market_data(self, tmp_path: Path) -> MarketData:
        return CachedMarketData(tmp_path / "cache", downloader=FreqtradeDownloader(runner=FakeExchange()))

    def test_downloads_into_the_cache_and_keeps_the_snapshot(self, tmp_path: Path, sut: MarketData) -> None:
        """Candles and markets.json land in `<cache>/<exchange>`, the report holds only asked pairs."""
        report = sut.ensure(self.request(self.covered, ("ETH/BTC",)))
        folder = tmp_path / "cache" / "binance"
        assert str(folder) == report.data_dir
        assert {"ETH/BTC", "LTC/BTC", "ADA/BTC"} == set(json.loads((folder / "markets.json").read_text()))
        assert list(report.markets) == ["ETH/BTC"]

    def test_runs_freqtrade_download_data(
        self, tmp_path: Path, exchange: FakeExchange, sut: MarketData
    ) -> None:
        """The command is Freqtrade's own, writing feather into a scratch dir of the cache."""
        sut.ensure(self.request(self.covered, ("ETH/BTC",), startup=12))
        args = exchange.calls[0]
        assert args[1:4] == ["-m", "freqtrade", "download-data"]
        assert args[args.index("--timerange") + 1] == "20180110-20180129"
        assert args[args.index("--data-format-ohlcv") + 1] == "feather"
        assert "--prepend" not in args
        assert Path(args[args.index("--datadir") + 1]).parent == tmp_path / "cache" / "binance"

    def test_cached_candles_are_not_downloaded_again(self, exchange: FakeExchange, sut: MarketData) -> None:
        """One download serves every later request for the same or a shorter range."""
        sut.ensure(self.request(self.covered))
        calls = len(exchange.calls)
        sut.ensure(self.request("20180115-20180120"))
        assert calls == len(exchange.calls)

    def test_earlier_start_prepends(self, exchange: FakeExchange, sut: MarketData) -> None:
        """Asking for earlier candles than cached runs `download-data --prepend`."""
        sut.ensure(self.request("20180115-20180120"))
        sut.ensure(self.request("20180105-20180120"))
        assert "--prepend" in exchange.calls[-2]

    def test_failed_download_leaves_the_cache_alone(self, tmp_path: Path) -> None:
        """A failing Freqtrade run raises with its reason and writes nothing to the cache."""

        def failing(args: Sequence[str]) -> CommandResult:
            return CommandResult(2, "2026-01-01 - freqtrade - ERROR - Markets were not loaded.\n")

        sut = CachedMarketData(tmp_path / "cache", downloader=FreqtradeDownloader(runner=failing))
        with pytest.raises(MarketDataError, match="Markets were not loaded"):
            sut.ensure(self.request(self.covered))
        assert list((tmp_path / "cache" / "binance").iterdir()) == []


def test_real_download_without_network_fails_clearly(tmp_path: Path) -> None:
    """Real `freqtrade download-data` with no network: a message that says what to do instead."""
    request = TestExchangeSourceWithFakeDownloads().request("20180111-20180129", ("ETH/BTC",))
    with pytest.raises(MarketDataError) as raised:
        CachedMarketData(tmp_path / "cache").ensure(request)
    message = str(raised.value)
    assert message.startswith("could not download ETH/BTC 5m from binance: ")
    assert message.endswith("no network? use data_source 'local' or 'synthetic'")
