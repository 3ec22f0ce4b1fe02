# Momentum scaled into [0, 1] over a rolling window with scikit-learn's MinMaxScaler.
import numpy as np
import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame
from sklearn.preprocessing import MinMaxScaler


def rolling_scaled(values: np.ndarray, window: int) -> np.ndarray:
    """Each value scaled against the `window` values ending at it (NaN until the window is full)."""
    scaled = np.full(len(values), np.nan)
    scaler = MinMaxScaler()
    for end in range(window, len(values) + 1):
        chunk = values[end - window : end].reshape(-1, 1)
        if np.isnan(chunk).any():
            continue
        scaled[end - 1] = scaler.fit_transform(chunk)[-1, 0]
    return scaled


class ScaledMomentum(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "1h"
    startup_candle_count = 60
    minimal_roi = {"0": 0.04}
    stoploss = -0.06

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        momentum = ta.MOM(dataframe, timeperiod=10)
        dataframe["mom_scaled"] = rolling_scaled(momentum.to_numpy(dtype=float), window=48)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["mom_scaled"] < 0.1) & (dataframe["volume"] > 0), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["mom_scaled"] > 0.9) & (dataframe["volume"] > 0), "exit_long"] = 1
        return dataframe
