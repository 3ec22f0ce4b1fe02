# Buy at local minima of a smoothed close, found with scipy.signal. The extrema need a few candles on
# their right, so they are shifted by that many candles to use only what was known at the time.
import numpy as np
import scipy.signal
from freqtrade.strategy import IStrategy
from pandas import DataFrame

ORDER = 5  # candles on each side of an extremum


class SwingExtrema(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "1h"
    startup_candle_count = 50
    minimal_roi = {"0": 0.06, "240": 0.02}
    stoploss = -0.07

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        smooth = dataframe["close"].rolling(5).mean().bfill().to_numpy()
        lows = scipy.signal.argrelextrema(smooth, np.less_equal, order=ORDER)[0]
        highs = scipy.signal.argrelextrema(smooth, np.greater_equal, order=ORDER)[0]
        dataframe["swing_low"] = 0
        dataframe["swing_high"] = 0
        dataframe.loc[dataframe.index[lows], "swing_low"] = 1
        dataframe.loc[dataframe.index[highs], "swing_high"] = 1
        dataframe["swing_low"] = dataframe["swing_low"].shift(ORDER).fillna(0)
        dataframe["swing_high"] = dataframe["swing_high"].shift(ORDER).fillna(0)
        dataframe["detrended"] = scipy.signal.detrend(dataframe["close"].to_numpy())
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["swing_low"] == 1) & (dataframe["volume"] > 0), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["swing_high"] == 1) & (dataframe["volume"] > 0), "exit_long"] = 1
        return dataframe
