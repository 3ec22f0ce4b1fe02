# Passes the static screen, but defines no entry signal: Freqtrade refuses to load a strategy without
# populate_entry_trend (or the older populate_buy_trend).
import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class ExitOnly(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "5m"
    minimal_roi = {"0": 0.01}
    stoploss = -0.02

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["willr"] = ta.WILLR(dataframe, timeperiod=14)
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["willr"] > -20) & (dataframe["volume"] > 0), "exit_long"] = 1
        return dataframe
