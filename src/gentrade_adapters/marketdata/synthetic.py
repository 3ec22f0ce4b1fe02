"""
Deterministic, realistic-looking candles for trying strategies without any data.

The price is a mean-reverting walk in log space at the level of chunks (about a week of candles each),
and a Brownian bridge with clustered, fat-tailed volatility and a daily rhythm between chunk ends.
Every chunk draws from its own seed (a stable hash of pair, timeframe and chunk number), so a candle
is the same whatever span is asked for: caches can be extended without rewriting history.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

import numpy as np
import pandas as pd

from gentrade_adapters.marketdata.timegrid import candle_index, candle_times
from gentrade_core.domain.values import Pair, Timeframe

DAILY_VOLATILITY = 0.04
LEVEL_SPREAD = 0.5
"""Standard deviation of the log price around the pair's level: prices stay within a few x of it."""
_FIAT_LIKE = frozenset({"USDT", "USDC", "FDUSD", "BUSD", "TUSD", "DAI", "USD", "EUR", "GBP"})
_LEVELS = {"BTC": (-2.0, -1.0), "ETH": (-3.0, -1.3), "BNB": (-3.0, -1.0)}
"""log10 price ranges per quote currency; fiat-like quotes get 10..50000, others 0.01..10."""
_BLOCK = 4096


def _rng(*key: object) -> np.random.Generator:
    digest = hashlib.blake2b("|".join(map(str, key)).encode(), digest_size=8).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))


def _level(pair: Pair) -> float:
    """The log price the pair hovers around, plausible for its quote currency."""
    low, high = (1.0, 4.7) if pair.quote in _FIAT_LIKE else _LEVELS.get(pair.quote, (-2.0, 1.0))
    return math.log(10 ** _rng(pair, "level").uniform(low, high))


def _chunk_size(timeframe: Timeframe) -> int:
    return int(np.clip(round(7 * 86400 / timeframe.seconds), 1, 1024))


def _chunk_ends(pair: Pair, timeframe: Timeframe, count: int, sigma: float) -> np.ndarray:
    """Log prices at the first `count + 1` chunk boundaries (an Ornstein-Uhlenbeck walk)."""
    size = _chunk_size(timeframe)
    step = sigma * math.sqrt(size)
    pull = min(step**2 / (2 * LEVEL_SPREAD**2), 0.5)
    blocks = range(count // _BLOCK + 1)
    noise = np.concatenate([_rng(pair, timeframe, "chunks", b).standard_normal((_BLOCK, 2)) for b in blocks])
    mean = _level(pair)
    ends = np.empty(count + 1)
    ends[0], regime = mean, 0.0
    for k in range(count):
        regime = 0.9 * regime + 0.15 * noise[k, 1]
        ends[k + 1] = ends[k] + pull * (mean - ends[k]) + step * math.exp(regime) * noise[k, 0]
    return ends


def _smoothed(noise: np.ndarray, alpha: float) -> np.ndarray:
    """An AR(1) path from 0 (stationary deviation sqrt(alpha / (2 - alpha))): volatility that clusters."""
    padded = pd.Series(np.concatenate(([0.0], noise)))
    return padded.ewm(alpha=alpha, adjust=False).mean().to_numpy()[1:]


def _chunk(pair: Pair, timeframe: Timeframe, k: int, start: float, end: float, sigma: float) -> pd.DataFrame:
    """One chunk of candles: a bridge from log price `start` to `end`."""
    size = _chunk_size(timeframe)
    rng = _rng(pair, timeframe, "candles", k)
    shocks = rng.standard_t(4, size) / math.sqrt(2)
    clustering = np.exp(2.5 * _smoothed(rng.standard_normal(size), 0.05))
    dates = candle_times(k * size, (k + 1) * size, timeframe)
    hours = np.asarray(dates.hour + dates.minute / 60, dtype="float64")
    rhythm = 1 + 0.35 * np.cos(2 * np.pi * (hours - 14.5) / 24)
    scale = sigma * clustering * rhythm
    walk = np.cumsum(scale * shocks)
    steps = np.arange(1, size + 1) / size
    closes = start + walk - steps * (walk[-1] - (end - start))
    opens = np.concatenate(([start], closes[:-1]))
    high = np.maximum(opens, closes) + np.abs(rng.standard_normal(size)) * scale * 0.6
    low = np.minimum(opens, closes) - np.abs(rng.standard_normal(size)) * scale * 0.6
    activity = rhythm * clustering * (1 + np.abs(closes - opens) / sigma) * rng.lognormal(0, 0.4, size)
    notional = 20 * math.exp(_level(pair)) * timeframe.seconds / 300
    return pd.DataFrame(
        {
            "date": dates,
            "open": np.exp(opens),
            "high": np.exp(high),
            "low": np.exp(low),
            "close": np.exp(closes),
            "volume": notional * activity / np.exp(closes),
        }
    )


def synthetic_candles(pair: Pair, timeframe: Timeframe, start: datetime, end: datetime) -> pd.DataFrame:
    """Candles opening in `[start, end)` (none before `timegrid.ORIGIN`), in Freqtrade's columns."""
    first, stop = (max(math.ceil(i), 0) for i in candle_index(pd.DatetimeIndex([start, end]), timeframe))
    if stop <= first:
        return _chunk(pair, timeframe, 0, 0.0, 0.0, 1.0).iloc[:0]
    size = _chunk_size(timeframe)
    sigma = DAILY_VOLATILITY * math.sqrt(timeframe.seconds / 86400)
    last_chunk = (stop - 1) // size
    ends = _chunk_ends(pair, timeframe, last_chunk + 1, sigma)
    chunks = [
        _chunk(pair, timeframe, k, ends[k], ends[k + 1], sigma) for k in range(first // size, last_chunk + 1)
    ]
    frame = pd.concat(chunks, ignore_index=True)
    offset = (first // size) * size
    return frame.iloc[first - offset : stop - offset].reset_index(drop=True)
