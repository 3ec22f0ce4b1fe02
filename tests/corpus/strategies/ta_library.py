# Trend following with the "ta" indicator library (not TA-Lib).
import ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame
from ta.momentum import RSIIndicator
from ta.trend import ADXIndicator, EMAIndicator


class TaTrend(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "5m"
    startup_candle_count = 100
    minimal_roi = {"0": 0.02, "30": 0.01}
    stoploss = -0.04

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        adx = ADXIndicator(dataframe["high"], dataframe["low"], dataframe["close"], window=14)
        dataframe["adx"] = adx.adx()
        dataframe["ema_fast"] = EMAIndicator(dataframe["close"], window=12).ema_indicator()
        dataframe["ema_slow"] = EMAIndicator(dataframe["close"], window=48).ema_indicator()
        dataframe["rsi"] = RSIIndicator(dataframe["close"], window=14).rsi()
        dataframe["bb_low"] = ta.volatility.bollinger_lband(dataframe["close"], window=20, window_dev=2)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["adx"] > 25)
            & (dataframe["ema_fast"] > dataframe["ema_slow"])
            & (dataframe["rsi"] < 60)
            & (dataframe["low"] > dataframe["bb_low"])
            & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["ema_fast"] < dataframe["ema_slow"]) & (dataframe["volume"] > 0), "exit_long"
        ] = 1
        return dataframe
