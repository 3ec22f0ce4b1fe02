"""
The `exchange` source: download what the cache lacks and keep the exchange's markets snapshot.

Freqtrade writes candle files in place, so it downloads into a scratch copy of the pairs' files and
the results are moved back atomically, under the pairs' locks: a backtest reading the cache meanwhile
sees whole files, and a failed download leaves the cache as it was.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from gentrade_adapters.marketdata.downloader import FreqtradeDownloader
from gentrade_adapters.marketdata.files import candle_span, locked, replace_atomically, scratch_path
from gentrade_adapters.marketdata.layout import MARKETS_FILE, candle_file
from gentrade_core.domain.values import Pair, Timeframe, TimeRange
from gentrade_core.ports.market_data import DataRequest, MarketDataError


def _short(
    pairs: Sequence[Pair], folder: Path, timeframe: Timeframe, start: datetime, end: datetime
) -> tuple[list[Pair], list[Pair]]:
    """Pairs whose cached candles miss the start (to prepend) and those missing the end (to append)."""
    early: list[Pair] = []
    late: list[Pair] = []
    for pair in pairs:
        span = candle_span(candle_file(folder, pair, timeframe))
        if span and span[0] > start:
            early.append(pair)
        if not span or span[1] + timeframe.delta < end:
            late.append(pair)
    return early, late


def _download(
    downloader: FreqtradeDownloader,
    folder: Path,
    request: DataRequest,
    window: TimeRange,
    pairs: Sequence[Pair],
    prepend: bool,
) -> None:
    staging = folder / f".download-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        for pair in pairs:
            cached = candle_file(folder, pair, request.timeframe)
            if cached.exists():
                shutil.copy2(cached, candle_file(staging, pair, request.timeframe))
        downloader.download(request.exchange, pairs, request.timeframe, window, staging, prepend)
        for pair in pairs:
            fetched = candle_file(staging, pair, request.timeframe)
            if fetched.exists():
                replace_atomically(fetched, candle_file(folder, pair, request.timeframe))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read_markets(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open() as f:
        return json.load(f)


def _capture(downloader: FreqtradeDownloader, exchange: str, target: Path) -> dict[str, Any]:
    scratch = scratch_path(target)
    try:
        downloader.capture_markets(exchange, scratch)
        replace_atomically(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    return _read_markets(target)


def fetch_from_exchange(
    downloader: FreqtradeDownloader,
    folder: Path,
    lock_dir: Path,
    request: DataRequest,
    window: tuple[datetime, datetime],
) -> Mapping[str, Any]:
    """Complete the cached candles of `request` and return the markets snapshot of its pairs."""
    start, end = window
    span = TimeRange(start, end)
    keys = [candle_file(folder, pair, request.timeframe).stem for pair in request.pairs]
    with locked(lock_dir, [*keys, MARKETS_FILE]):
        early, late = _short(request.pairs, folder, request.timeframe, start, end)
        if early:
            _download(downloader, folder, request, span, early, prepend=True)
        if late:
            _download(downloader, folder, request, span, late, prepend=False)
        markets = _read_markets(folder / MARKETS_FILE)
        if early or late or any(p.symbol not in markets for p in request.pairs):
            markets = _capture(downloader, request.exchange, folder / MARKETS_FILE)
    unlisted = [p.symbol for p in request.pairs if p.symbol not in markets]
    if unlisted:
        snapshot = folder / MARKETS_FILE
        raise MarketDataError(f"{', '.join(unlisted)} not listed on {request.exchange} (markets {snapshot})")
    return {p.symbol: markets[p.symbol] for p in request.pairs}
