"""
Hypothesis strategies shared by the test suite.

The name is Hypothesis's: "strategy" here means a generator of test data, not a Freqtrade strategy.
Freqtrade strategy sources the generators build on live next to them (`STRATEGY_SOURCE`).
"""

from __future__ import annotations

import ast
import keyword

from hypothesis import strategies as st

# A realistic strategy that the code screen accepts. Every statement starts on a line of its own, so
# any statement's first line is a place where another statement can be inserted.
STRATEGY_NAME = "RsiBollinger"
STRATEGY_SOURCE = '''\
# --- Do not remove these libs ---
import logging
from datetime import datetime
from functools import reduce

import numpy as np
import talib.abstract as ta
from pandas import DataFrame

import freqtrade.vendor.qtpylib.indicators as qtpylib
from freqtrade.persistence import Trade
from freqtrade.strategy import IntParameter, IStrategy, informative

logger = logging.getLogger(__name__)


class RsiBollinger(IStrategy):
    """
    Buy an oversold RSI cross below the lower Bollinger band; sell an overbought RSI cross.
    """

    INTERFACE_VERSION = 3
    timeframe = "15m"
    can_short: bool = False
    startup_candle_count: int = 50
    minimal_roi = {"0": 0.04, "30": 0.02}
    stoploss = -0.10
    trailing_stop = False

    buy_rsi = IntParameter(10, 40, default=30, space="buy")
    sell_rsi = IntParameter(60, 90, default=70, space="sell")

    def __init__(self, config: dict) -> None:
        super().__init__(config)
        self.custom_info: dict[str, float] = {}

    @informative("1h")
    def populate_indicators_1h(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["ema50"] = ta.EMA(dataframe, timeperiod=50)
        return dataframe

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe)
        bollinger = qtpylib.bollinger_bands(qtpylib.typical_price(dataframe), window=20, stds=2)
        dataframe["bb_lowerband"] = bollinger["lower"]
        dataframe["bb_middleband"] = bollinger["mid"]
        dataframe["log_return"] = np.log(dataframe["close"]).diff()
        logger.debug("indicators for %s", metadata["pair"])
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        conditions = []
        conditions.append(qtpylib.crossed_above(dataframe["rsi"], self.buy_rsi.value))
        conditions.append(dataframe["close"] < dataframe["bb_lowerband"])
        conditions.append(dataframe["volume"] > 0)
        if conditions:
            dataframe.loc[reduce(lambda x, y: x & y, conditions), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (qtpylib.crossed_above(dataframe["rsi"], self.sell_rsi.value)) & (dataframe["volume"] > 0),
            "exit_long",
        ] = 1
        return dataframe

    def custom_stoploss(
        self,
        pair: str,
        trade: "Trade",
        current_time: datetime,
        current_rate: float,
        current_profit: float,
        **kwargs,
    ) -> float:
        if current_profit > 0.05:
            return -0.02
        return self.stoploss
'''


def strategy_source(name: str = STRATEGY_NAME) -> str:
    """`STRATEGY_SOURCE` with its class renamed to `name`."""
    return STRATEGY_SOURCE.replace(f"class {STRATEGY_NAME}(", f"class {name}(", 1)


identifiers = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,30}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name)
)

# Modules a strategy may not import, and one allowed module that refused imports can hang off.
FORBIDDEN_MODULES = (
    "builtins",
    "code",
    "ctypes",
    "gc",
    "http",
    "importlib",
    "inspect",
    "io",
    "marshal",
    "multiprocessing",
    "os",
    "pathlib",
    "pickle",
    "requests",
    "shutil",
    "socket",
    "subprocess",
    "sys",
    "threading",
    "types",
    "urllib",
)


@st.composite
def forbidden_import_lines(draw: st.DrawFn) -> tuple[str, str]:
    """
    An import statement the screen must refuse, and a fragment its finding must contain.
    """
    module = draw(st.sampled_from(FORBIDDEN_MODULES))
    alias = draw(identifiers)
    forms = [
        (f"import {module}", repr(module)),
        (f"import {module} as {alias}", repr(module)),
        (f"import {module}.{alias}", repr(module)),
        (f"import numpy, {module}", repr(module)),
        (f"from {module} import {alias}", repr(module)),
        (f"from {module}.{alias} import {alias} as {alias}", repr(module)),
        (f"from {module} import *", repr(module)),
        (f"from . import {alias}", "relative import"),
        (f"from .{module} import {alias}", "relative import"),
        (f"from .. import {alias}", "relative import"),
        ("import logging.config", "'logging.config'"),
        ("from logging import config", "'config'"),
        ("from logging.config import dictConfig", "'logging.config'"),
        ("from logging import os", "'os'"),
        ("import numpy.ctypeslib", "'numpy.ctypeslib'"),
    ]
    return draw(st.sampled_from(forms))


def statement_starts(source: str) -> list[tuple[int, str]]:
    """
    Each place where a statement can be inserted: a 1-based line number and that line's indentation.

    That is the first line of every statement (of its first decorator, for decorated ones), and the
    line after the end of the source.
    """
    lines = source.splitlines()
    starts: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.stmt):
            decorators = getattr(node, "decorator_list", [])
            starts.add(min([node.lineno, *(d.lineno for d in decorators)]))
    places = [(n, lines[n - 1][: len(lines[n - 1]) - len(lines[n - 1].lstrip())]) for n in sorted(starts)]
    return [*places, (len(lines) + 1, "")]


@st.composite
def with_line_inserted(draw: st.DrawFn, source: str, statement: str) -> tuple[str, int]:
    """
    `source` with `statement` inserted before some statement, at its indentation; and the new line's
    number.
    """
    line, indent = draw(st.sampled_from(statement_starts(source)))
    lines = source.splitlines()
    lines.insert(line - 1, indent + statement)
    return "\n".join(lines) + "\n", line


@st.composite
def mangled_sources(draw: st.DrawFn, source: str) -> str:
    """
    `source` with a slice cut out and arbitrary text pasted in: mostly near-Python, sometimes valid.
    """
    start = draw(st.integers(0, len(source)))
    end = draw(st.integers(start, min(len(source), start + 200)))
    pasted = draw(st.text(max_size=50) | st.sampled_from(["(", ")", ":", "\n    ", "__class__", "\x00"]))
    return source[:start] + pasted + source[end:]
