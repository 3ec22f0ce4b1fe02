# A Stochastic RSI strategy that stops the bot when its indicators are missing, as some community
# strategies do with a bare exit().
import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class StochGuard(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "5m"
    startup_candle_count = 40
    minimal_roi = {"0": 0.03, "60": 0.01}
    stoploss = -0.05

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        stoch = ta.STOCHRSI(dataframe, timeperiod=14, fastk_period=3, fastd_period=3)
        dataframe["fastk"] = stoch["fastk"]
        dataframe["fastd"] = stoch["fastd"]
        dataframe["ema_slow"] = ta.EMA(dataframe, timeperiod=50)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        if "fastk" not in dataframe.columns:
            print(f"StochGuard: no stochastic RSI for {metadata['pair']}, stopping")
            exit()
        dataframe.loc[
            (dataframe["fastk"] < 20)
            & (dataframe["fastk"] > dataframe["fastd"])
            & (dataframe["close"] > dataframe["ema_slow"])
            & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["fastk"] > 80) & (dataframe["volume"] > 0), "exit_long"] = 1
        return dataframe
