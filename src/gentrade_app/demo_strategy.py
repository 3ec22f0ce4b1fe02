"""The strategy the demo stores: an EMA crossover with an RSI filter and hyperoptable thresholds."""

DEMO_STRATEGY = """
from pandas import DataFrame
import talib.abstract as ta

from freqtrade.strategy import IStrategy, IntParameter


class DemoEmaRsi(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "5m"
    minimal_roi = {"0": 0.03, "60": 0.015, "180": 0.005}
    stoploss = -0.04
    startup_candle_count = 50

    buy_rsi = IntParameter(20, 60, default=45, space="buy")
    fast = IntParameter(5, 20, default=9, space="buy")

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        for period in range(5, 21):
            dataframe[f"ema_{period}"] = ta.EMA(dataframe, timeperiod=period)
        dataframe["ema_slow"] = ta.EMA(dataframe, timeperiod=40)
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        fast = dataframe[f"ema_{self.fast.value}"]
        cross_up = (fast > dataframe["ema_slow"]) & (fast.shift(1) <= dataframe["ema_slow"].shift(1))
        dataframe.loc[cross_up & (dataframe["rsi"] < self.buy_rsi.value + 20), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        fast = dataframe[f"ema_{self.fast.value}"]
        cross_down = (fast < dataframe["ema_slow"]) & (fast.shift(1) >= dataframe["ema_slow"].shift(1))
        dataframe.loc[cross_down, "exit_long"] = 1
        return dataframe
"""
