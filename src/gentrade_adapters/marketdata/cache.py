"""
The `MarketData` adapter: one shared cache of candles, filled per `DataRequest.source`.

Layout under `cache_root` (Freqtrade's own, so its `--datadir` is one of these folders):
`<exchange>/<PAIR>-<tf>.feather` + `<exchange>/markets.json` (downloaded), `synthetic/<PAIR>-<tf>.feather`
(generated), `.locks/` (per-key writer locks). A local folder is read in place, never copied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from gentrade_adapters.marketdata.downloader import FreqtradeDownloader
from gentrade_adapters.marketdata.exchange import fetch_from_exchange
from gentrade_adapters.marketdata.files import candle_span, locked, write_candles
from gentrade_adapters.marketdata.layout import SYNTHETIC, candle_file
from gentrade_adapters.marketdata.synthetic import synthetic_candles
from gentrade_adapters.marketdata.timegrid import fill_window
from gentrade_adapters.marketdata.verify import verify_candles
from gentrade_adapters.system import SystemClock
from gentrade_core.domain.requests import DataSource
from gentrade_core.domain.values import Pair
from gentrade_core.freqtrade.markets import synthesize_markets
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.market_data import DataReport, DataRequest, MarketData, MarketDataError

LOCKS = ".locks"


def _synthesized(pairs: Sequence[Pair]) -> Mapping[str, Any]:
    try:
        return synthesize_markets(pairs)
    except ValueError as e:
        raise MarketDataError(str(e)) from e


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
        if request.source is DataSource.LOCAL:
            data_dir, markets = self._local(request), _synthesized(request.pairs)
        elif request.source is DataSource.SYNTHETIC:
            data_dir, markets = self._synthetic(request), _synthesized(request.pairs)
        else:
            data_dir = self._root / request.exchange
            markets = fetch_from_exchange(
                self._downloader,
                data_dir,
                self._root / LOCKS / request.exchange,
                request,
                self._window(request),
            )
        warnings = verify_candles(
            data_dir,
            request.exchange,
            request.pairs,
            request.timeframe,
            request.timerange,
            request.startup_candles,
        )
        return DataReport(str(data_dir), markets, warnings)

    def _window(self, request: DataRequest) -> tuple[datetime, datetime]:
        return fill_window(request.timerange, request.timeframe, request.startup_candles, self._clock.now())

    def _local(self, request: DataRequest) -> Path:
        if self._local_dir is None:
            raise MarketDataError(
                "data_source 'local' needs a folder of Freqtrade candle files: set GENTRADE_MARKET_DATA_DIR"
            )
        nested = self._local_dir / request.exchange
        return nested if nested.is_dir() else self._local_dir

    def _synthetic(self, request: DataRequest) -> Path:
        """Generate what the cache lacks; old and new candles agree because generation is deterministic."""
        folder = self._root / SYNTHETIC
        start, end = self._window(request)
        step = request.timeframe.delta
        for pair in request.pairs:
            path = candle_file(folder, pair, request.timeframe)
            with locked(self._root / LOCKS / SYNTHETIC, [path.stem]):
                span = candle_span(path)
                if span and span[0] <= start and span[1] + step >= end:
                    continue
                first, stop = (min(start, span[0]), max(end, span[1] + step)) if span else (start, end)
                write_candles(synthetic_candles(pair, request.timeframe, first, stop), path)
        return folder
