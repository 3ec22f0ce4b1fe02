# The hourly RSI and EMA of the traded pair, added with Freqtrade's @informative decorator.
import talib.abstract as ta
from freqtrade.strategy import IStrategy, informative
from pandas import DataFrame
from technical import qtpylib


class HourlyRsi(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "5m"
    startup_candle_count = 30
    minimal_roi = {"0": 0.02}
    stoploss = -0.04

    @informative("1h")
    def populate_indicators_1h(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        dataframe["ema_20"] = ta.EMA(dataframe, timeperiod=20)
        return dataframe

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["rsi_1h"] > 50)
            & (dataframe["close"] > dataframe["ema_20_1h"])
            & (qtpylib.crossed_above(dataframe["rsi"], 30))
            & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["rsi"] > 75) & (dataframe["volume"] > 0), "exit_long"] = 1
        return dataframe
