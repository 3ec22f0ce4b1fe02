# Keltner channel bounce, with the module metadata many community strategies carry.
import logging

import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame
from technical import qtpylib

__author__ = "A. Trader"
__copyright__ = "Free for use"
__license__ = "MIT"
__version__ = "1.2"
__version_info__ = (1, 2, 0)
__maintainer__ = "A. Trader"
__email__ = "a.trader@example.com"
__status__ = "Production"

logger = logging.getLogger(__name__)


class KeltnerBounce(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "1h"
    startup_candle_count = 30
    minimal_roi = {"0": 0.05, "120": 0.02, "360": 0}
    stoploss = -0.08

    def bot_start(self, **kwargs) -> None:
        logger.info("KeltnerBounce %s by %s", __version__, __author__)

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        keltner = qtpylib.keltner_channel(dataframe, window=20, atrs=2)
        dataframe["kc_lower"] = keltner["lower"]
        dataframe["kc_mid"] = keltner["mid"]
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (qtpylib.crossed_above(dataframe["close"], dataframe["kc_lower"]))
            & (dataframe["rsi"] < 40)
            & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (qtpylib.crossed_above(dataframe["close"], dataframe["kc_mid"])) & (dataframe["volume"] > 0),
            "exit_long",
        ] = 1
        return dataframe
