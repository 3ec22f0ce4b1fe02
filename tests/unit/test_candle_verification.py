"""The candle checks run before every backtest and hyperopt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gentrade_adapters.marketdata.files import write_candles
from gentrade_adapters.marketdata.synthetic import synthetic_candles
from gentrade_adapters.marketdata.verify import check_candles, verify_candles
from gentrade_adapters.marketdata.wanted import CandleSet
from gentrade_core.domain.values import Pair, Timeframe, TimeRange
from gentrade_core.ports.market_data import MarketDataError
from tests.strategies_src import DATA_DIR

SHARED_DATA = Path(DATA_DIR)
ETH = Pair("ETH/BTC")
FIVE = Timeframe("5m")
JANUARY = TimeRange.parse("20240102-20240110")


def candles(timerange: str = "20240101-20240111") -> pd.DataFrame:
    span = TimeRange.parse(timerange)
    assert span.start and span.end
    return synthetic_candles(ETH, FIVE, span.start, span.end)


def errors_of(frame: pd.DataFrame, timerange: TimeRange = JANUARY, startup: int = 0) -> str:
    return "; ".join(check_candles(frame, ETH, FIVE, timerange, startup).errors)


def test_clean_candles_pass() -> None:
    """Complete, consistent candles give neither errors nor warnings."""
    findings = check_candles(candles(), ETH, FIVE, JANUARY)
    assert (findings.errors, findings.warnings) == ((), ())


def test_duplicate_timestamps_are_an_error() -> None:
    """A repeated candle is refused, naming the pair, timeframe and where."""
    frame = candles()
    doubled = pd.concat([frame.iloc[:1000], frame.iloc[999:]], ignore_index=True)
    assert "ETH/BTC 5m: 1 duplicate timestamps (first at 2024-01-04 11:15)" in errors_of(doubled)


def test_unordered_timestamps_are_an_error() -> None:
    """Candles out of order are refused."""
    frame = candles()
    swapped = frame.iloc[[*range(999), 1000, 999, *range(1001, len(frame))]].reset_index(drop=True)
    assert "ETH/BTC 5m: 1 timestamps out of order" in errors_of(swapped)


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("low", 1e9, "candles with low above open or close"),
        ("high", 1e-9, "candles with high below open or close"),
        ("close", np.nan, "candles with missing values"),
        ("open", -1.0, "candles with prices <= 0"),
        ("volume", -5.0, "candles with negative volume"),
    ],
)
def test_insane_candles_are_an_error(column: str, value: float, problem: str) -> None:
    """Impossible OHLCV values are counted and refused."""
    frame = candles()
    frame.loc[[2000, 2500], column] = value
    assert f"ETH/BTC 5m: 2 {problem} (first at 2024-01-07 22:40)" in errors_of(frame)


def test_insane_candles_outside_the_range_are_ignored() -> None:
    """Only candles a run reads are checked: old junk in a local file does not block a backtest."""
    frame = candles()
    frame.loc[10, "high"] = 0.0
    assert errors_of(frame) == ""


def test_gaps_in_real_data_are_warnings() -> None:
    """ADA/BTC's 40 missing candles (5720 of 5760) are counted, not refused."""
    timerange = TimeRange.parse("20180111-20180130")
    warnings = verify_candles(SHARED_DATA, "binance", [CandleSet(FIVE, (Pair("ADA/BTC"),))], timerange)
    assert warnings == ("ADA/BTC 5m: 40 missing candles in 5 gaps, largest 33 after 2018-01-15 11:55",)


def test_late_start_is_an_error() -> None:
    """Candles that miss the whole first day of the range are refused."""
    late = TimeRange.parse("20231231-20240105")
    assert (
        errors_of(candles(), late)
    ) == "ETH/BTC 5m: candles start at 2024-01-01 00:00, after the requested start 2023-12-31 00:00"


def test_early_end_is_an_error() -> None:
    """Candles that miss the whole last day of the range are refused."""
    frame = candles("20240101-20240109")
    assert (
        errors_of(frame)
    ) == "ETH/BTC 5m: candles end at 2024-01-08 23:55, before the requested end 2024-01-10 00:00"


def test_coverage_needs_part_of_the_last_day() -> None:
    """Data may end inside the range's last day; ending before that day is refused."""
    frame = candles().set_index("date").loc["2024-01-02 00:05":"2024-01-09 23:55"].reset_index()
    assert errors_of(frame) == ""
    assert errors_of(frame.iloc[:-200]) == ""
    assert "candles end at 2024-01-08 23:55" in errors_of(frame[frame["date"] < "2024-01-09"])


def test_missing_startup_candles_are_a_warning() -> None:
    """Without enough candles before the start, Freqtrade starts later: warned, not refused."""
    frame = candles("20240101-20240111")
    findings = check_candles(frame, ETH, FIVE, JANUARY, startup_candles=400)
    assert findings.errors == ()
    assert findings.warnings == (
        "ETH/BTC 5m: only 288 of 400 startup candles before 2024-01-02 00:00; "
        "Freqtrade will start the backtest at 2024-01-02 09:20",
    )


def test_startup_candles_that_eat_the_range_are_an_error() -> None:
    """When startup candles would consume the whole range, nothing is left to test."""
    short = TimeRange.parse("20240102-20240103")
    assert "nothing of the time range" in errors_of(candles(), short, startup=600)


def test_missing_file_names_pair_exchange_and_folder(tmp_path: Path) -> None:
    """No file for a pair: the message says which pair, timeframe, exchange and folder."""
    with pytest.raises(MarketDataError) as raised:
        verify_candles(tmp_path, "binance", [CandleSet(FIVE, (ETH, Pair("LTC/BTC")))], JANUARY)
    assert str(raised.value) == (
        f"ETH/BTC 5m: no candles for binance in {tmp_path}; LTC/BTC 5m: no candles for binance in {tmp_path}"
    )


def test_missing_informative_file_says_the_strategy_reads_it(tmp_path: Path) -> None:
    """No file for informative candles: named with their timeframe and as the strategy's informative data."""
    sets = [CandleSet(FIVE, (ETH,)), CandleSet(Timeframe("1h"), (), (Pair("BTC/USDT"),))]
    write_candles(candles(), tmp_path / "ETH_BTC-5m.feather")
    with pytest.raises(MarketDataError) as raised:
        verify_candles(tmp_path, "binance", sets, JANUARY)
    assert str(raised.value) == (
        f"BTC/USDT 1h, which the strategy reads as informative data: no candles for binance in {tmp_path}"
    )


def test_problems_of_every_timeframe_are_reported_together(tmp_path: Path) -> None:
    """One error lists the main and the informative problems, so one run shows everything to fix."""
    sets = [CandleSet(FIVE, (ETH,)), CandleSet(Timeframe("1h"), (), (ETH,))]
    with pytest.raises(MarketDataError) as raised:
        verify_candles(tmp_path, "binance", sets, JANUARY)
    assert str(raised.value).count("no candles for binance") == 2


def test_informative_findings_say_what_late_data_does() -> None:
    """Freqtrade merges informative candles as they are: late ones leave indicators short, not the run."""
    frame = candles("20240101-20240111")
    findings = check_candles(frame, ETH, FIVE, JANUARY, startup_candles=400, informative=True)
    assert findings.warnings == (
        "ETH/BTC 5m, which the strategy reads as informative data: only 288 of 400 startup candles "
        "before 2024-01-02 00:00; informative indicators are incomplete until 2024-01-02 09:20",
    )


def test_other_format_gets_a_conversion_hint(tmp_path: Path) -> None:
    """A json file where feather is expected: the error says how to convert it."""
    (tmp_path / "ETH_BTC-5m.json").write_text("[]")
    with pytest.raises(MarketDataError, match="--format-from json --format-to feather"):
        verify_candles(tmp_path, "binance", [CandleSet(FIVE, (ETH,))], JANUARY)


def test_data_starting_inside_the_first_day_covers_it_with_a_warning() -> None:
    """Day-granular ranges: data beginning at 04:55 on the start day is accepted and reported."""
    frame = candles().set_index("date").loc["2024-01-02 04:55":].reset_index()
    found = check_candles(frame, ETH, FIVE, JANUARY, 0)
    assert ((), True) == (found.errors, any("start at 2024-01-02 04:55" in w for w in found.warnings))


def test_open_ended_range_checks_only_the_given_end() -> None:
    """`20240102-` needs candles from the start on, and no particular end."""
    assert errors_of(candles(), TimeRange.parse("20240102-")) == ""


@settings(max_examples=25, deadline=None)
@given(
    base=st.sampled_from(["ETH", "ADA", "SOL", "X1"]),
    quote=st.sampled_from(["BTC", "USDT", "ETH", "EUR", "BNB", "TRY"]),
    timeframe=st.sampled_from(["1m", "5m", "15m", "1h", "4h", "1d"]),
    day=st.dates(min_value=pd.Timestamp("2012-01-01").date(), max_value=pd.Timestamp("2030-01-01").date()),
    days=st.integers(min_value=1, max_value=20),
)
def test_synthetic_candles_always_pass(base: str, quote: str, timeframe: str, day, days: int) -> None:
    """Whatever the pair, timeframe and range, generated candles verify without errors or gaps."""
    pair, tf = Pair(f"{base}/{quote}"), Timeframe(timeframe)
    span = TimeRange.parse(f"{day:%Y%m%d}-{day + timedelta(days=days):%Y%m%d}")
    assert span.start and span.end
    frame = synthetic_candles(pair, tf, span.start, span.end)
    findings = check_candles(frame, pair, tf, span)
    assert (findings.errors, findings.warnings) == ((), ())
