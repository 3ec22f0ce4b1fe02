"""
Strategy sources for tests that run real Freqtrade on the shared 2018-01 binance 5m BTC data.

`TRADING_STRATEGY` trades on every one of those pairs (a fast/slow EMA cross, exits by ROI, stoploss
or the reverse cross); `HYPEROPT_STRATEGY` has a buy-space IntParameter; `BROKEN_STRATEGY` raises in
`populate_indicators`.
"""

from pathlib import Path

# `../shared` sits beside the repository, on developer machines and in CI alike.
DATA_DIR = str(Path(__file__).resolve().parents[2] / "shared" / "data" / "binance-spot-5m-2018-01")
PAIRS = ("ETH/BTC", "LTC/BTC")
TIMERANGE = "20180110-20180130"

TRADING_STRATEGY = '''
from pandas import DataFrame

from freqtrade.strategy import IStrategy


class SampleCross(IStrategy):
    """Enter when the 8-candle EMA crosses above the 21-candle EMA, exit on the reverse cross."""

    INTERFACE_VERSION = 3
    timeframe = "5m"
    minimal_roi = {"0": 0.02}
    stoploss = -0.03
    startup_candle_count = 30

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["fast"] = dataframe["close"].ewm(span=8, adjust=False).mean()
        dataframe["slow"] = dataframe["close"].ewm(span=21, adjust=False).mean()
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        above = dataframe["fast"] > dataframe["slow"]
        dataframe.loc[above & ~above.shift(1, fill_value=True) & (dataframe["volume"] > 0), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        below = dataframe["fast"] < dataframe["slow"]
        dataframe.loc[below & ~below.shift(1, fill_value=True), "exit_long"] = 1
        return dataframe
'''

HYPEROPT_STRATEGY = '''
from pandas import DataFrame

from freqtrade.strategy import IStrategy, IntParameter


class SampleHyperopt(IStrategy):
    """Buy when the close drops `buy_drop` tenths of a percent under its 20-candle mean."""

    INTERFACE_VERSION = 3
    timeframe = "5m"
    minimal_roi = {"0": 0.01}
    stoploss = -0.03
    startup_candle_count = 20

    buy_drop = IntParameter(2, 20, default=5, space="buy")

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["mean"] = dataframe["close"].rolling(20).mean()
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        limit = dataframe["mean"] * (1 - self.buy_drop.value / 1000)
        dataframe.loc[(dataframe["close"] < limit) & (dataframe["volume"] > 0), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["close"] > dataframe["mean"], "exit_long"] = 1
        return dataframe
'''

BROKEN_MESSAGE = "GenTrade test strategy is broken on purpose"

BROKEN_STRATEGY = f'''
from pandas import DataFrame

from freqtrade.strategy import IStrategy


class BrokenStrategy(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "5m"
    minimal_roi = {{"0": 0.01}}
    stoploss = -0.1

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        raise RuntimeError("{BROKEN_MESSAGE}")

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe
'''
