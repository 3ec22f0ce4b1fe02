# Bollinger bands and RSI with hyperoptable thresholds in the buy and sell spaces.
import talib.abstract as ta
from freqtrade.strategy import BooleanParameter, DecimalParameter, IntParameter, IStrategy
from pandas import DataFrame
from technical import qtpylib


class BandsHyperopt(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "1h"
    startup_candle_count = 40
    minimal_roi = {"0": 0.05, "180": 0.02}
    stoploss = -0.09

    buy_rsi = IntParameter(10, 40, default=30, space="buy")
    buy_bb_factor = DecimalParameter(0.95, 1.02, default=0.99, decimals=3, space="buy")
    buy_rsi_enabled = BooleanParameter(default=True, space="buy")
    sell_rsi = IntParameter(60, 90, default=70, space="sell")
    sell_bb_factor = DecimalParameter(0.98, 1.05, default=1.0, decimals=3, space="sell", optimize=False)

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        bollinger = qtpylib.bollinger_bands(qtpylib.typical_price(dataframe), window=20, stds=2)
        dataframe["bb_lower"] = bollinger["lower"]
        dataframe["bb_upper"] = bollinger["upper"]
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        conditions = (dataframe["close"] < dataframe["bb_lower"] * self.buy_bb_factor.value) & (
            dataframe["volume"] > 0
        )
        if self.buy_rsi_enabled.value:
            conditions &= dataframe["rsi"] < self.buy_rsi.value
        dataframe.loc[conditions, "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["close"] > dataframe["bb_upper"] * self.sell_bb_factor.value)
            & (dataframe["rsi"] > self.sell_rsi.value)
            & (dataframe["volume"] > 0),
            "exit_long",
        ] = 1
        return dataframe
