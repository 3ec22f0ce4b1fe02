# Passes the static screen, but its class body names a constant that was never defined: importing the
# file raises NameError, so Freqtrade skips it and reports that the class does not exist.
import talib.abstract as ta
from freqtrade.strategy import IntParameter, IStrategy
from pandas import DataFrame


class UndefinedDefault(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "1h"
    startup_candle_count = 14
    minimal_roi = {"0": 0.03}
    stoploss = -0.05

    buy_rsi = IntParameter(10, 40, default=RSI_DEFAULT, space="buy")  # noqa: F821  (never defined)

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["rsi"] < self.buy_rsi.value) & (dataframe["volume"] > 0), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["rsi"] > 70) & (dataframe["volume"] > 0), "exit_long"] = 1
        return dataframe
