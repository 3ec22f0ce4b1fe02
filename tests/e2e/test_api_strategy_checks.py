"""
Load checks through the HTTP API with real Freqtrade: each stored version is loaded by Freqtrade
(`gentrade-probe`) on the in-process workers, and its facts or its reason show on the strategy; a
backtest fetches the informative candles Freqtrade says the strategy reads.

The market folder holds the shared 2018-01 Binance 5m candles plus 1h candles of ETH/BTC and
LTC/BTC resampled from them, so a strategy can read 1h informative data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from litestar.testing import TestClient

from gentrade_app.bootstrap import Services, build_services
from tests.e2e.conftest import wait_for
from tests.embedded import embedded_settings
from tests.strategies_src import DATA_DIR

Auth = Callable[[str], dict[str, str]]
pytestmark = pytest.mark.freqtrade

HOURLY = ("ETH_BTC", "LTC_BTC")
"""Pairs that also get 1h candles in the test's market folder."""

CHECKED_STRATEGY = """
from pandas import DataFrame

from freqtrade.strategy import DecimalParameter, IntParameter, IStrategy


class CheckedCross(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "5m"
    minimal_roi = {"0": 0.02}
    stoploss = -0.05
    startup_candle_count = 40

    buy_fast = IntParameter(5, 12, default=8, space="buy")
    sell_gap = DecimalParameter(0.0, 0.01, default=0.002, decimals=3, space="sell")

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["fast"] = dataframe["close"].ewm(span=self.buy_fast.value, adjust=False).mean()
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["close"] > dataframe["fast"], "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["close"] < dataframe["fast"] * (1 - self.sell_gap.value), "exit_long"] = 1
        return dataframe
"""

CHECKED_FACTS = {
    "timeframe": "5m",
    "can_short": False,
    "startup_candle_count": 40,
    "minimal_roi": {"0": 0.02},
    "stoploss": -0.05,
    "parameters": {
        "buy": [{"name": "buy_fast", "kind": "IntParameter", "default": 8, "optimize": True}],
        "sell": [{"name": "sell_gap", "kind": "DecimalParameter", "default": 0.002, "optimize": True}],
    },
    "informative": [],
}
"""What Freqtrade reports for CHECKED_STRATEGY."""

UNLOADABLE_STRATEGY = CHECKED_STRATEGY.replace(
    "    startup_candle_count = 40\n", "    startup_candle_count = 40\n    slow_span = undefined_span * 2\n"
)
"""Passes the code screen, but its class body raises NameError when Freqtrade imports it."""

INFORMATIVE_STRATEGY = '''
from pandas import DataFrame

from freqtrade.strategy import IStrategy, informative


class InformativeCross(IStrategy):
    """SampleCross's EMA cross, entering only once its 1h candles and LTC/BTC's 1h candles are there."""

    INTERFACE_VERSION = 3
    timeframe = "5m"
    minimal_roi = {"0": 0.02}
    stoploss = -0.03
    startup_candle_count = 30

    def informative_pairs(self):
        return [("LTC/BTC", "1h")]

    @informative("1h")
    def populate_indicators_1h(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["ema"] = dataframe["close"].ewm(span=3, adjust=False).mean()
        return dataframe

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["fast"] = dataframe["close"].ewm(span=8, adjust=False).mean()
        dataframe["slow"] = dataframe["close"].ewm(span=21, adjust=False).mean()
        dataframe["ltc_candles"] = len(self.dp.get_pair_dataframe("LTC/BTC", "1h"))
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        above = dataframe["fast"] > dataframe["slow"]
        crossed = above & ~above.shift(1, fill_value=True) & (dataframe["volume"] > 0)
        informed = (dataframe["ema_1h"] > 0) & (dataframe["ltc_candles"] > 0)
        dataframe.loc[crossed & informed, "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        below = dataframe["fast"] < dataframe["slow"]
        dataframe.loc[below & ~below.shift(1, fill_value=True), "exit_long"] = 1
        return dataframe
'''

MISSING_INFORMATIVE_STRATEGY = '''
from pandas import DataFrame

from freqtrade.strategy import IStrategy


class MissingInformative(IStrategy):
    """Reads ZEC/BTC 1h, which the market folder does not hold (only its 5m candles)."""

    INTERFACE_VERSION = 3
    timeframe = "5m"
    minimal_roi = {"0": 0.02}
    stoploss = -0.03

    def informative_pairs(self):
        return [("ZEC/BTC", "1h")]

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe
'''


def hourly(five_minutes: pd.DataFrame) -> pd.DataFrame:
    """1h candles from 5m ones, whole hours only."""
    grouped = five_minutes.groupby(five_minutes["date"].dt.floor("1h"))
    candles = grouped.agg(
        open=("open", "first"),
        high=("high", "max"),
        low=("low", "min"),
        close=("close", "last"),
        volume=("volume", "sum"),
    )
    whole = candles[grouped.size() == 12]
    return whole.rename_axis("date").reset_index()


@pytest.fixture(scope="module")
def market_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("market")
    for source in Path(DATA_DIR).glob("*.feather"):
        (folder / source.name).symlink_to(source)
    for pair in HOURLY:
        hourly(pd.read_feather(folder / f"{pair}-5m.feather")).to_feather(folder / f"{pair}-1h.feather")
    return folder


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory, market_dir: Path) -> Iterator[Services]:
    """The conftest's embedded app, over the market folder with 1h candles."""
    settings = embedded_settings(tmp_path_factory.mktemp("gentrade"), heartbeat_seconds=0.5)
    built = build_services(settings.model_copy(update={"market_data_dir": market_dir}))
    yield built
    built.close()


@pytest.fixture(scope="module")
def alice(auth: Auth) -> dict[str, str]:
    return auth("alice")


def post(
    client: TestClient[Any], headers: dict[str, str], name: str, code: str, wait: bool
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/strategies",
        headers=headers,
        params={"wait_for_checks": "true"} if wait else {},
        json={"name": name, "code": code},
    )
    assert 201 == response.status_code, response.text
    return response.json()


@pytest.fixture(scope="module")
def checked(client: TestClient[Any], alice: dict[str, str]) -> dict[str, Any]:
    """CheckedCross, stored with `?wait_for_checks=true`."""
    return post(client, alice, "CheckedCross", CHECKED_STRATEGY, wait=True)


def test_a_working_strategy_passes_with_freqtrades_facts(checked: dict[str, Any]) -> None:
    """Waiting for the check answers `passed` with the timeframe, startup and parameters in the code."""
    load = checked["checks"]["load"]
    assert ("passed", None) == (load["status"], load["reason"])
    assert CHECKED_FACTS == load["facts"]
    assert load["check_id"] and load["checked_at"]


def load_check_once_done(
    client: TestClient[Any], path: str, headers: dict[str, str], timeout: float = 60
) -> dict[str, Any]:
    """Poll the strategy until its load check is no longer pending."""
    deadline = time.monotonic() + timeout
    while True:
        load: dict[str, Any] = client.get(path, headers=headers).json()["checks"]["load"]
        if load["status"] != "pending" or time.monotonic() > deadline:
            return load
        time.sleep(0.25)


def test_without_waiting_the_check_is_pending_then_passes(client: TestClient[Any], auth: Auth) -> None:
    """The answer comes before Freqtrade has loaded the class; reading the strategy later shows the pass."""
    h = auth("no-wait")
    created = post(client, h, "CheckedCross", CHECKED_STRATEGY, wait=False)
    assert "pending" == created["checks"]["load"]["status"]
    load = load_check_once_done(client, f"/api/v1/strategies/{created['id']}", h)
    assert ("passed", CHECKED_FACTS) == (load["status"], load["facts"])
    assert created["checks"]["load"]["check_id"] == load["check_id"]


def test_a_strategy_freqtrade_cannot_load_fails_with_freqtrades_reason(
    client: TestClient[Any], auth: Auth
) -> None:
    """Its class body raises NameError: failed, the reason naming the error once and Freqtrade's verdict."""
    created = post(client, auth("unloadable"), "CheckedCross", UNLOADABLE_STRATEGY, wait=True)
    load = created["checks"]["load"]
    assert ("failed", None) == (load["status"], load["facts"])
    reason = load["reason"]
    assert 1 == reason.count("name 'undefined_span' is not defined"), reason
    assert "Impossible to load Strategy 'CheckedCross'" in reason


def test_a_new_version_gets_its_own_check(
    client: TestClient[Any], alice: dict[str, str], checked: dict[str, Any]
) -> None:
    """PUT new code: version 2 is checked on its own (its own facts), and each version lists its check."""
    code = CHECKED_STRATEGY.replace("startup_candle_count = 40", "startup_candle_count = 50")
    path = f"/api/v1/strategies/{checked['id']}"
    updated = client.put(path, headers=alice, params={"wait_for_checks": "true"}, json={"code": code})
    assert 200 == updated.status_code, updated.text
    load = updated.json()["checks"]["load"]
    assert (2, "passed", 50) == (
        updated.json()["current_version"],
        load["status"],
        load["facts"]["startup_candle_count"],
    )
    versions = client.get(f"{path}/versions", headers=alice).json()
    shown = [(v["number"], v["checks"]["load"]["status"], v["checks"]["load"]["check_id"]) for v in versions]
    assert [(1, "passed", checked["checks"]["load"]["check_id"]), (2, "passed", load["check_id"])] == shown
    assert [40, 50] == [v["checks"]["load"]["facts"]["startup_candle_count"] for v in versions]


def submit_backtest(client: TestClient[Any], headers: dict[str, str], strategy_id: str) -> str:
    body = {
        "strategy_id": strategy_id,
        "exchange": "binance",
        "pairs": ["ETH/BTC"],
        "timeframe": "5m",
        "timerange": "20180115-20180118",
        "stake_currency": "BTC",
        "stake_amount": 0.01,
        "dry_run_wallet": 0.1,
        "max_open_trades": 1,
    }
    accepted = client.post("/api/v1/backtests", headers=headers, json=body)
    assert 202 == accepted.status_code, accepted.text
    return f"/api/v1/backtests/{accepted.json()['id']}"


@pytest.fixture(scope="module")
def informative_backtests(client: TestClient[Any], alice: dict[str, str]) -> dict[str, tuple[str, str]]:
    """
    Both informative strategies stored without waiting and backtested at once (the two workers
    run the checks, then the backtests): (strategy path, backtest path) by strategy name.
    """
    jobs = {}
    for name, code in (
        ("InformativeCross", INFORMATIVE_STRATEGY),
        ("MissingInformative", MISSING_INFORMATIVE_STRATEGY),
    ):
        strategy_id = post(client, alice, name, code, wait=False)["id"]
        jobs[name] = (f"/api/v1/strategies/{strategy_id}", submit_backtest(client, alice, strategy_id))
    return jobs


def test_a_strategy_reading_informative_candles_backtests_with_them(
    client: TestClient[Any], alice: dict[str, str], informative_backtests: dict[str, tuple[str, str]]
) -> None:
    """
    `@informative("1h")` on its own pair and `informative_pairs()` naming LTC/BTC 1h: the check
    lists both, the backtest fetches both and trades (it enters only when both were loaded).
    """
    strategy, job = informative_backtests["InformativeCross"]
    finished = wait_for(client, job, alice, timeout=120)
    assert "finished" == finished["status"], finished["error"]
    assert finished["summary"]["total_trades"] > 0
    load = client.get(strategy, headers=alice).json()["checks"]["load"]
    assert ("passed", [["ETH/BTC", "1h"], ["LTC/BTC", "1h"]]) == (
        load["status"],
        load["facts"]["informative"],
    )


def test_a_missing_informative_pair_fails_the_backtest_naming_it(
    client: TestClient[Any], alice: dict[str, str], informative_backtests: dict[str, tuple[str, str]]
) -> None:
    """ZEC/BTC has no 1h candles: the backtest fails before Freqtrade runs, naming the pair and timeframe."""
    failed = wait_for(client, informative_backtests["MissingInformative"][1], alice, timeout=120)
    assert "failed" == failed["status"]
    assert "ZEC/BTC 1h, which the strategy reads as informative data" in failed["error"], failed["error"]
