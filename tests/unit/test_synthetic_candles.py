"""The synthetic candle generator: deterministic, plausible, and readable by Freqtrade."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gentrade_adapters.marketdata.files import write_candles
from gentrade_adapters.marketdata.synthetic import synthetic_candles
from gentrade_core.domain.values import Pair, Timeframe

START = datetime(2024, 1, 1, tzinfo=UTC)
END = datetime(2024, 2, 1, tzinfo=UTC)


@settings(max_examples=20, deadline=None)
@given(
    pair=st.sampled_from(["ETH/BTC", "BTC/USDT", "DOGE/EUR"]),
    timeframe=st.sampled_from(["5m", "1h", "1d", "1w"]),
    cut=st.integers(min_value=1, max_value=400),
)
def test_a_candle_does_not_depend_on_the_span_asked_for(pair: str, timeframe: str, cut: int) -> None:
    """A sub-span gives exactly the same candles as the matching slice of a longer span."""
    tf = Timeframe(timeframe)
    whole = synthetic_candles(Pair(pair), tf, START, END)
    part = synthetic_candles(Pair(pair), tf, START + cut * pd.Timedelta(hours=1), END)
    pd.testing.assert_frame_equal(whole[whole["date"].isin(part["date"])].reset_index(drop=True), part)


def test_pairs_and_timeframes_get_different_candles() -> None:
    """The seed is the pair and timeframe: two pairs do not share a path."""
    eth = synthetic_candles(Pair("ETH/BTC"), Timeframe("5m"), START, END)
    ltc = synthetic_candles(Pair("LTC/BTC"), Timeframe("5m"), START, END)
    assert not eth["close"].equals(ltc["close"])


@pytest.mark.parametrize(("quote", "low", "high"), [("BTC", 0.003, 0.3), ("USDT", 3, 150_000)])
def test_price_level_fits_the_quote(quote: str, low: float, high: float) -> None:
    """BTC-quoted pairs trade around 0.01-0.1, USDT-quoted ones around 10-50000."""
    for base in ("ETH", "ADA", "XRP", "DOT", "SOL"):
        frame = synthetic_candles(Pair(f"{base}/{quote}"), Timeframe("1h"), START, END)
        assert low < frame["close"].median() < high
        assert (frame["volume"] > 0).all()


def test_nothing_before_the_origin() -> None:
    """The generator starts in 2010; earlier spans are empty, with Freqtrade's columns."""
    early = datetime(2009, 1, 1, tzinfo=UTC)
    frame = synthetic_candles(Pair("ETH/BTC"), Timeframe("1h"), early, early.replace(month=2))
    assert list(frame.columns) == ["date", "open", "high", "low", "close", "volume"]
    assert len(frame) == 0


def test_freqtrade_loads_a_synthetic_file(tmp_path: Path) -> None:
    """Freqtrade's own loader reads the file we write, candle for candle."""
    from freqtrade.data.history import load_pair_history

    frame = synthetic_candles(Pair("ETH/BTC"), Timeframe("5m"), START, END)
    write_candles(frame, tmp_path / "ETH_BTC-5m.feather")
    loaded = load_pair_history(
        pair="ETH/BTC", timeframe="5m", datadir=tmp_path, data_format="feather", fill_up_missing=False
    )
    assert len(frame) == len(loaded)
    assert (frame["date"].to_numpy() == loaded["date"].dt.as_unit("ns").to_numpy()).all()
    pd.testing.assert_frame_equal(frame.drop(columns="date"), loaded.drop(columns="date"))
