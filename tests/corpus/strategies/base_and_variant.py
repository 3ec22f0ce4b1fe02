# An EMA cross strategy and a faster variant of it, in one file. The variant inherits the timeframe
# and everything else it does not override.
import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame
from technical import qtpylib


class EmaCross(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "1h"
    startup_candle_count = 50
    minimal_roi = {"0": 0.05, "240": 0.02}
    stoploss = -0.08

    fast_period = 12
    slow_period = 26

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["ema_fast"] = ta.EMA(dataframe, timeperiod=self.fast_period)
        dataframe["ema_slow"] = ta.EMA(dataframe, timeperiod=self.slow_period)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_above(dataframe["ema_fast"], dataframe["ema_slow"]) & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_below(dataframe["ema_fast"], dataframe["ema_slow"]) & (dataframe["volume"] > 0),
            "exit_long",
        ] = 1
        return dataframe


class EmaCrossFast(EmaCross):
    """The same cross on shorter averages, with a tighter stoploss."""

    startup_candle_count = 20
    fast_period = 5
    slow_period = 13
    stoploss = -0.04
