"""
The `MarketData` adapter: one shared cache of candles, filled per `DataRequest.source`.

Layout under `cache_root` (Freqtrade's own, so its `--datadir` is one of these folders):
`<exchange>/<PAIR>-<tf>.feather` + `<exchange>/markets.json` (downloaded), `synthetic/<PAIR>-<tf>.feather`
(generated), `.locks/` (per-key writer locks). A local folder is read in place, never copied.
Informative candles live beside the main ones: Freqtrade reads both from the one `--datadir`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from gentrade_adapters.marketdata.downloader import FreqtradeDownloader
from gentrade_adapters.marketdata.exchange import fetch_from_exchange
from gentrade_adapters.marketdata.files import candle_span, locked, write_candles
from gentrade_adapters.marketdata.layout import SYNTHETIC, candle_file
from gentrade_adapters.marketdata.synthetic import synthetic_candles
from gentrade_adapters.marketdata.verify import verify_candles
from gentrade_adapters.marketdata.wanted import CandleSet, candle_sets, every_pair, fill_span
from gentrade_adapters.system import SystemClock
from gentrade_core.domain.requests import DataSource
from gentrade_core.domain.values import Pair, Timeframe
from gentrade_core.freqtrade.markets import synthesize_markets
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.market_data import DataReport, DataRequest, MarketData, MarketDataError

LOCKS = ".locks"


def _generate(
    lock_dir: Path, path: Path, pair: Pair, timeframe: Timeframe, start: datetime, end: datetime
) -> None:
    """Generate what the file lacks; old and new candles agree because generation is deterministic."""
    step = timeframe.delta
    with locked(lock_dir, [path.stem]):
        span = candle_span(path)
        if span and span[0] <= start and span[1] + step >= end:
            return
        first, stop = (min(start, span[0]), max(end, span[1] + step)) if span else (start, end)
        write_candles(synthetic_candles(pair, timeframe, first, stop), path)


class CachedMarketData(MarketData):
    """`local_dir` is the folder of the `local` source (GENTRADE_MARKET_DATA_DIR), if any."""

    def __init__(
        self,
        cache_root: Path,
        local_dir: Path | None = None,
        downloader: FreqtradeDownloader | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._root = Path(cache_root)
        self._local_dir = Path(local_dir) if local_dir else None
        self._downloader = downloader or FreqtradeDownloader()
        self._clock = clock or SystemClock()

    def ensure(self, request: DataRequest) -> DataReport:
        sets = candle_sets(request)
        if request.source is DataSource.LOCAL:
            data_dir, markets = self._local(request), synthesize_markets(every_pair(sets))
        elif request.source is DataSource.SYNTHETIC:
            data_dir, markets = self._synthetic(request, sets), synthesize_markets(every_pair(sets))
        else:
            data_dir = self._root / request.exchange
            markets = fetch_from_exchange(
                self._downloader,
                data_dir,
                self._root / LOCKS / request.exchange,
                request.exchange,
                [(candles, self._span(request, candles)) for candles in sets],
            )
        warnings = verify_candles(
            data_dir, request.exchange, sets, request.timerange, request.startup_candles
        )
        return DataReport(str(data_dir), markets, warnings)

    def _span(self, request: DataRequest, candles: CandleSet) -> tuple[datetime, datetime]:
        return fill_span(request, candles.timeframe, self._clock.now())

    def _local(self, request: DataRequest) -> Path:
        if self._local_dir is None:
            raise MarketDataError(
                "data_source 'local' needs a folder of Freqtrade candle files: set GENTRADE_MARKET_DATA_DIR"
            )
        nested = self._local_dir / request.exchange
        return nested if nested.is_dir() else self._local_dir

    def _synthetic(self, request: DataRequest, sets: Sequence[CandleSet]) -> Path:
        folder = self._root / SYNTHETIC
        for candles in sets:
            start, end = self._span(request, candles)
            for pair in candles.every_pair:
                path = candle_file(folder, pair, candles.timeframe)
                _generate(self._root / LOCKS / SYNTHETIC, path, pair, candles.timeframe, start, end)
        return folder
