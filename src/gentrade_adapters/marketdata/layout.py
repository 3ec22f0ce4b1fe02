"""Freqtrade's file names for candles, so Freqtrade reads what we write and we read what it writes."""

from __future__ import annotations

from pathlib import Path

from gentrade_core.domain.values import Pair, Timeframe

FORMAT = "feather"
OTHER_FORMATS = {"parquet": "parquet", "json": "json", "json.gz": "jsongz"}
"""File extension -> Freqtrade format name of the formats we only name in errors: runs read feather."""
MARKETS_FILE = "markets.json"
SYNTHETIC = "synthetic"
"""Cache folder of generated candles, in place of an exchange name so they never mix with real ones."""


def candle_file(directory: Path, pair: Pair, timeframe: Timeframe, fmt: str = FORMAT) -> Path:
    """`ETH/BTC`, `1M` -> `ETH_BTC-1Mo.feather` (Freqtrade spells months `Mo` in file names)."""
    return directory / f"{pair.file_stem}-{timeframe.value.replace('M', 'Mo')}.{fmt}"
