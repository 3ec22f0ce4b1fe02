# A futures-style mean reversion strategy that goes long and short, with leverage.
from datetime import datetime

import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class MeanRevertLongShort(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "1h"
    can_short = True
    startup_candle_count = 30
    minimal_roi = {"0": 0.04, "120": 0.015}
    stoploss = -0.06

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        dataframe["sma"] = ta.SMA(dataframe, timeperiod=24)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["rsi"] < 25) & (dataframe["close"] < dataframe["sma"]) & (dataframe["volume"] > 0),
            ["enter_long", "enter_tag"],
        ] = (1, "oversold")
        dataframe.loc[
            (dataframe["rsi"] > 75) & (dataframe["close"] > dataframe["sma"]) & (dataframe["volume"] > 0),
            ["enter_short", "enter_tag"],
        ] = (1, "overbought")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["rsi"] > 55) & (dataframe["volume"] > 0), "exit_long"] = 1
        dataframe.loc[(dataframe["rsi"] < 45) & (dataframe["volume"] > 0), "exit_short"] = 1
        return dataframe

    def leverage(
        self,
        pair: str,
        current_time: datetime,
        current_rate: float,
        proposed_leverage: float,
        max_leverage: float,
        entry_tag: str | None,
        side: str,
        **kwargs,
    ) -> float:
        return min(2.0, max_leverage)
