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
from gentrade_adapters.marketdata.files import write_candles
from gentrade_adapters.marketdata.synthetic import synthetic_candles
from gentrade_core.domain.requests import DataSource
from gentrade_core.domain.values import Pair, Timeframe, TimeRange
from gentrade_core.freqtrade.markets import synthesize_markets
from gentrade_core.ports.market_data import MarketData, MarketDataError
from tests.contract.market_data_contract import MarketDataContract
from tests.strategies_src import DATA_DIR

SHARED_DATA = Path(DATA_DIR)
EARLY_2018 = (datetime(2018, 1, 1, tzinfo=UTC), datetime(2018, 3, 1, tzinfo=UTC))
"""The span the shared candles, the local informative files and the fake exchange hold."""


def local_folder(tmp_path: Path, informative: Sequence[tuple[str, str]]) -> Path:
    """A local folder as users keep one: the shared 5m files plus informative candles at other timeframes."""
    folder = tmp_path / "market"
    folder.mkdir()
    for shared in SHARED_DATA.iterdir():
        (folder / shared.name).symlink_to(shared)
    for pair, timeframe in informative:
        candles = synthetic_candles(Pair(pair), Timeframe(timeframe), *EARLY_2018)
        write_candles(candles, folder / f"{Pair(pair).file_stem}-{timeframe}.feather")
    return folder


def first_date(data_dir: str, pair: str, timeframe: str) -> pd.Timestamp:
    return pd.Timestamp(
        pd.read_feather(Path(data_dir) / f"{Pair(pair).file_stem}-{timeframe}.feather")["date"].min()
    )


class FakeExchange:
    """Stands in for `freqtrade download-data` and the ccxt snapshot: lists `listed`, has 2018 only."""

    def __init__(self, listed: Sequence[str] = ("ETH/BTC", "LTC/BTC", "ADA/BTC", "BTC/USDT")) -> None:
        self.listed = listed
        self.calls: list[list[str]] = []
        self.history = EARLY_2018

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
        return CachedMarketData(tmp_path / "cache", local_folder(tmp_path, self.informative))

    def test_reads_the_folder_in_place(self, tmp_path: Path, sut: MarketData) -> None:
        """No copy: `data_dir` is the configured folder itself."""
        assert str(tmp_path / "market") == sut.ensure(self.request(self.covered)).data_dir

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

    def test_reports_gaps_in_informative_candles_as_warnings(self, sut: MarketData) -> None:
        """Real gaps in informative candles pass too, with a warning saying whose they are."""
        report = sut.ensure(self.request(self.covered, ("ETH/BTC",), informative=(("ADA/BTC", "5m"),)))
        informative = "ADA/BTC 5m, which the strategy reads as informative data: "
        assert any(w.startswith(informative) and "missing candles" in w for w in report.warnings)


class TestSyntheticSource(MarketDataContract):
    source = DataSource.SYNTHETIC
    uncovered = "20090101-20090201"
    """Before the generator's first candle (2010-01-04)."""
    missing_pair = None
    missing_informative = None

    def create_market_data(self, tmp_path: Path) -> MarketData:
        return CachedMarketData(tmp_path / "cache")

    def test_writes_under_synthetic_in_the_cache(self, tmp_path: Path, sut: MarketData) -> None:
        """Generated candles live in `<cache>/synthetic`, apart from any exchange's real ones."""
        assert str(tmp_path / "cache" / "synthetic") == sut.ensure(self.request(self.covered)).data_dir

    def test_informative_candles_are_deterministic(self, tmp_path: Path) -> None:
        """Two caches generate the same informative candles, so a rerun reads the same data."""
        request = self.request(self.covered, informative=self.informative)
        first, second = (CachedMarketData(tmp_path / name).ensure(request) for name in ("a", "b"))
        for pair, timeframe in self.informative:
            name = f"{Pair(pair).file_stem}-{timeframe}.feather"
            pd.testing.assert_frame_equal(
                pd.read_feather(Path(first.data_dir) / name), pd.read_feather(Path(second.data_dir) / name)
            )

    def test_informative_history_covers_the_startup(self, sut: MarketData) -> None:
        """Startup candles in the informative timeframe's own candles, and at least the main startup time."""
        start = TimeRange.parse(self.covered).start
        assert start
        informative = (("BTC/USDT", "1h"), ("ETH/BTC", "1m"))
        report = sut.ensure(self.request(self.covered, startup=30, informative=informative))
        assert first_date(report.data_dir, "BTC/USDT", "1h") <= start - 30 * Timeframe("1h").delta
        assert first_date(report.data_dir, "ETH/BTC", "1m") <= start - 30 * Timeframe(self.timeframe).delta

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
        assert {"ETH/BTC", "LTC/BTC", "ADA/BTC", "BTC/USDT"} == set(
            json.loads((folder / "markets.json").read_text())
        )
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

    def test_downloads_each_timeframe_with_its_own_pairs(
        self, exchange: FakeExchange, sut: MarketData
    ) -> None:
        """One `download-data` per timeframe, for just the pairs read at it, with that timeframe's startup."""
        sut.ensure(self.request(self.covered, ("ETH/BTC",), startup=48, informative=self.informative))
        asked = {
            args[args.index("--timeframes") + 1]: (
                args[args.index("--pairs") + 1 : args.index("--timeframes")],
                args[args.index("--timerange") + 1],
            )
            for args in exchange.calls
            if "download-data" in args
        }
        assert {
            "5m": (["ETH/BTC"], "20180110-20180129"),
            "1h": (["BTC/USDT"], "20180109-20180129"),
            "15m": (["ETH/BTC"], "20180110-20180129"),
        } == asked

    def test_cached_informative_candles_are_not_downloaded_again(
        self, exchange: FakeExchange, sut: MarketData
    ) -> None:
        """Informative candles join the cache like the main ones."""
        sut.ensure(self.request(self.covered, informative=self.informative))
        calls = len(exchange.calls)
        sut.ensure(self.request("20180115-20180120", informative=self.informative))
        assert calls == len(exchange.calls)

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
