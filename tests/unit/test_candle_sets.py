"""Which candles a request needs: the job's own and the strategy's informative ones, by timeframe."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gentrade_adapters.marketdata.wanted import CandleSet, candle_sets, every_pair, fill_span
from gentrade_core.domain.requests import DataSource
from gentrade_core.domain.values import Pair, Timeframe, TimeRange
from gentrade_core.ports.market_data import DataRequest, MarketDataError

ETH, LTC, BTC = Pair("ETH/BTC"), Pair("LTC/BTC"), Pair("BTC/USDT")
FIVE, HOUR, MINUTE = Timeframe("5m"), Timeframe("1h"), Timeframe("1m")
NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


def request(*informative: tuple[Pair, Timeframe], startup: int = 0) -> DataRequest:
    return DataRequest(
        exchange="binance",
        pairs=[ETH, LTC],
        timeframe=FIVE,
        timerange=TimeRange.parse("20240110-20240120"),
        source=DataSource.SYNTHETIC,
        startup_candles=startup,
        informative=informative,
    )


def test_without_informative_data_there_is_one_set() -> None:
    """A plain request needs its pairs at its timeframe."""
    assert [CandleSet(FIVE, (ETH, LTC))] == candle_sets(request())


def test_informative_candles_are_grouped_by_timeframe_after_the_main_ones() -> None:
    """Each further timeframe gets one set; repeats of main candles and of each other are dropped."""
    sut = candle_sets(request((BTC, HOUR), (ETH, FIVE), (BTC, FIVE), (ETH, HOUR), (BTC, HOUR)))
    assert [CandleSet(FIVE, (ETH, LTC), (BTC,)), CandleSet(HOUR, (), (BTC, ETH))] == sut
    assert [ETH, LTC, BTC] == every_pair(sut)


def test_messages_say_which_candles_are_informative() -> None:
    """A main pair read at another timeframe is informative data there, and only there."""
    main, hourly = candle_sets(request((ETH, HOUR)))
    assert ("ETH/BTC 5m", "ETH/BTC 1h, which the strategy reads as informative data") == (
        main.describe(ETH),
        hourly.describe(ETH),
    )


def test_futures_informative_pairs_are_refused() -> None:
    """Spot candles only: a futures pair from the strategy is named with its timeframe."""
    with pytest.raises(MarketDataError) as raised:
        candle_sets(request((Pair("BTC/USDT:USDT"), HOUR)))
    assert str(raised.value) == (
        "BTC/USDT:USDT 1h, which the strategy reads as informative data: a futures pair, not spot; "
        "only spot candles are served"
    )


@pytest.mark.parametrize(
    ("timeframe", "start"),
    [
        (FIVE, datetime(2024, 1, 9, 20, tzinfo=UTC)),
        (HOUR, datetime(2024, 1, 8, tzinfo=UTC)),
        (MINUTE, datetime(2024, 1, 9, 20, tzinfo=UTC)),
    ],
)
def test_startup_reaches_back_by_the_longer_timeframe(timeframe: Timeframe, start: datetime) -> None:
    """48 startup candles: Freqtrade reads 48 hours of 1h candles; 1m ones still cover the main 4 hours."""
    assert (start, datetime(2024, 1, 20, tzinfo=UTC)) == fill_span(request(startup=48), timeframe, NOW)
