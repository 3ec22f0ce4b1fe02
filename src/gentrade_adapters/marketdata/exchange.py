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
from gentrade_adapters.marketdata.wanted import CandleSet, every_pair
from gentrade_core.domain.values import Pair, Timeframe, TimeRange
from gentrade_core.ports.market_data import MarketDataError

Span = tuple[datetime, datetime]


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
    exchange: str,
    timeframe: Timeframe,
    window: TimeRange,
    pairs: Sequence[Pair],
    prepend: bool,
) -> None:
    staging = folder / f".download-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        for pair in pairs:
            cached = candle_file(folder, pair, timeframe)
            if cached.exists():
                shutil.copy2(cached, candle_file(staging, pair, timeframe))
        downloader.download(exchange, pairs, timeframe, window, staging, prepend)
        for pair in pairs:
            fetched = candle_file(staging, pair, timeframe)
            if fetched.exists():
                replace_atomically(fetched, candle_file(folder, pair, timeframe))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _complete(
    downloader: FreqtradeDownloader, folder: Path, exchange: str, candles: CandleSet, span: Span
) -> bool:
    """Download what the cache lacks of one timeframe's candles; True when anything was fetched."""
    early, late = _short(candles.every_pair, folder, candles.timeframe, *span)
    for pairs, prepend in ((early, True), (late, False)):
        if pairs:
            _download(downloader, folder, exchange, candles.timeframe, TimeRange(*span), pairs, prepend)
    return bool(early or late)


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
    exchange: str,
    spans: Sequence[tuple[CandleSet, Span]],
) -> Mapping[str, Any]:
    """Complete the cached candles of every set over its span; return the markets snapshot of their pairs."""
    sets = [candles for candles, _ in spans]
    pairs = every_pair(sets)
    keys = [candle_file(folder, pair, c.timeframe).stem for c in sets for pair in c.every_pair]
    # Every lock at once, in `locked`'s order: writers of overlapping requests cannot deadlock.
    with locked(lock_dir, [*keys, MARKETS_FILE]):
        fetched = [_complete(downloader, folder, exchange, candles, span) for candles, span in spans]
        markets = _read_markets(folder / MARKETS_FILE)
        if any(fetched) or any(p.symbol not in markets for p in pairs):
            markets = _capture(downloader, exchange, folder / MARKETS_FILE)
    unlisted = [
        f"{c.describe(p)}: not listed on {exchange}"
        for c in sets
        for p in c.every_pair
        if p.symbol not in markets
    ]
    if unlisted:
        raise MarketDataError(f"{'; '.join(unlisted)} (markets {folder / MARKETS_FILE})")
    return {p.symbol: markets[p.symbol] for p in pairs}
