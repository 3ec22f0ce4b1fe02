# A 5m strategy that trades with the hourly trend of each whitelisted pair and of the market (BTC/USDT).
import talib.abstract as ta
from freqtrade.strategy import IStrategy, merge_informative_pair
from pandas import DataFrame

INFORMATIVE_TIMEFRAME = "1h"
MARKET_PAIR = "BTC/USDT"


class MarketTrend(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "5m"
    startup_candle_count = 60
    minimal_roi = {"0": 0.02, "60": 0.01}
    stoploss = -0.05

    def informative_pairs(self):
        pairs = [(pair, INFORMATIVE_TIMEFRAME) for pair in self.dp.current_whitelist()]
        pairs.append((MARKET_PAIR, INFORMATIVE_TIMEFRAME))
        return pairs

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)

        hourly = self.dp.get_pair_dataframe(pair=metadata["pair"], timeframe=INFORMATIVE_TIMEFRAME)
        hourly["ema_50"] = ta.EMA(hourly, timeperiod=50)
        dataframe = merge_informative_pair(
            dataframe, hourly, self.timeframe, INFORMATIVE_TIMEFRAME, ffill=True
        )

        market = self.dp.get_pair_dataframe(pair=MARKET_PAIR, timeframe=INFORMATIVE_TIMEFRAME)
        market["market_up"] = (market["close"] > ta.EMA(market, timeperiod=24)).astype(int)
        market = market[["date", "market_up"]]
        dataframe = merge_informative_pair(
            dataframe,
            market,
            self.timeframe,
            INFORMATIVE_TIMEFRAME,
            ffill=True,
            append_timeframe=False,
            suffix="market",
        )
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["close"] > dataframe["ema_50_1h"])
            & (dataframe["market_up_market"] == 1)
            & (dataframe["rsi"] < 35)
            & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["rsi"] > 70) & (dataframe["volume"] > 0), "exit_long"] = 1
        return dataframe
