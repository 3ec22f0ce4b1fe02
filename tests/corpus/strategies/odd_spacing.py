# A working strategy that Freqtrade can never find: its resolver only opens a file that contains the
# class keyword, the name and the opening bracket exactly as it writes them, with no space between the
# name and the bracket, and this class line has one.
import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame


# fmt: off
class SpacedOut (IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "1h"
    startup_candle_count = 14
    minimal_roi = {"0": 0.03}
    stoploss = -0.05

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["cci"] = ta.CCI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["cci"] < -100) & (dataframe["volume"] > 0), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["cci"] > 100) & (dataframe["volume"] > 0), "exit_long"] = 1
        return dataframe
