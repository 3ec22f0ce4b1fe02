"""Job overrides: an allow-list of run settings, each checked, held to Freqtrade's own schema."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from gentrade_core.domain.overrides import OrderTypes, RunOverrides
from gentrade_core.domain.requests import BacktestRequest
from gentrade_core.freqtrade.config import build_job_config

DATA_DIR = "/cache/binance"
JOB = {
    "strategy_id": "s1",
    "pairs": ["ETH/BTC"],
    "timerange": "20180110-20180130",
    "stake_currency": "BTC",
    "stake_amount": 0.01,
}
EVERY_SETTING = {
    "fee": 0.001,
    "minimal_roi": {"0": 0.1, "30": 0.02},
    "stoploss": -0.08,
    "trailing_stop": True,
    "trailing_stop_positive": 0.01,
    "trailing_stop_positive_offset": 0.02,
    "trailing_only_offset_is_reached": True,
    "use_exit_signal": False,
    "exit_profit_only": True,
    "exit_profit_offset": 0.01,
    "ignore_roi_if_entry_signal": True,
    "ignore_buying_expired_candle_after": 300,
    "position_adjustment_enable": True,
    "max_entry_position_adjustment": 2,
    "entry_pricing": {"price_side": "other", "order_book_top": 2, "price_last_balance": 0.5},
    "exit_pricing": {"price_side": "bid", "use_order_book": False},
    "unfilledtimeout": {"entry": 5, "exit": 5, "exit_timeout_count": 1, "unit": "minutes"},
    "order_types": {"entry": "limit", "exit": "market", "stoploss": "market", "stoploss_on_exchange": False},
    "order_time_in_force": {"entry": "GTC", "exit": "IOC"},
    "tradable_balance_ratio": 0.9,
    "available_capital": 1.0,
    "amend_last_stake_amount": True,
    "last_stake_amount_min_ratio": 0.4,
    "amount_reserve_percent": 0.05,
    "enable_protections": True,
    "position_stacking": False,
    "backtest_breakdown": ["day", "month"],
}
# Settings Freqtrade reads from its command line into the config, so its schema does not list them.
COMMAND_LINE_SETTINGS = {"enable_protections", "position_stacking"}


def request(overrides: dict[str, Any]) -> BacktestRequest:
    return BacktestRequest(**JOB, overrides=overrides)


@pytest.mark.parametrize(
    "key",
    [
        "logfile",
        "user_data_dir",
        "datadir",
        "db_url",
        "strategy_path",
        "export_directory",
        "exportfilename",
        "backtest_directory",
        "add_config_files",
        "api_server",
        "telegram",
        "webhook",
        "external_message_consumer",
        "dry_run",
        "trading_mode",
        "exchange",
        "pairlists",
        "freqai",
        "strategy",
        "recursive_strategy_search",
        "dataformat_ohlcv",
    ],
)
def test_paths_processes_and_services_are_refused_by_name(key: str) -> None:
    """Whatever could point a run at files, processes, services or real trading is not a run setting."""
    with pytest.raises(ValidationError) as raised:
        request({key: {"enabled": False} if key == "api_server" else "/tmp/x"})
    [error] = raised.value.errors()
    assert ("overrides",) == error["loc"]
    assert error["msg"].startswith(f"Value error, {key}: not a setting a job may override")


def test_every_refused_key_is_named_at_once() -> None:
    """A user fixing a request sees all of its problems in one answer."""
    with pytest.raises(ValidationError) as raised:
        request({"logfile": "/x", "datadir": "/y", "fee": 0.001})
    assert "datadir, logfile: not a setting" in raised.value.errors()[0]["msg"]


def test_allowed_settings_reach_the_config_as_given() -> None:
    """Each setting a user tunes lands in Freqtrade's config; what they left out is not invented."""
    config = build_job_config(request(EVERY_SETTING), "S", DATA_DIR)
    for key, value in EVERY_SETTING.items():
        if key in ("entry_pricing", "exit_pricing"):  # merged into the template's pricing
            assert value.items() <= config[key].items()
        else:
            assert value == config[key]
    # The template's pricing keys the user did not mention stay beside theirs.
    assert ({"enabled": False, "bids_to_ask_delta": 1}, 1) == (
        config["entry_pricing"]["check_depth_of_market"],
        config["exit_pricing"]["order_book_top"],
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fee": True}, "fee"),
        ({"fee": "0.001"}, "fee"),
        ({"fee": 0.5}, "fee"),
        ({"stoploss": 0}, "stoploss"),
        ({"stoploss": -1.5}, "stoploss"),
        ({"trailing_stop": 1}, "trailing_stop"),
        ({"trailing_stop": "true"}, "trailing_stop"),
        ({"minimal_roi": {"soon": 0.1}}, "minimal_roi"),
        ({"max_entry_position_adjustment": 1.5}, "max_entry_position_adjustment"),
        ({"order_types": {"entry": "limit"}}, "order_types"),
        ({"entry_pricing": {"price_side": "best"}}, "entry_pricing"),
        ({"entry_pricing": {"datadir": "/x"}}, "entry_pricing"),
        ({"unfilledtimeout": {"entry": 0}}, "unfilledtimeout"),
        ({"available_capital": float("inf")}, "available_capital"),
    ],
)
def test_each_setting_is_checked(overrides: dict[str, Any], field: str) -> None:
    """Wrong types, values Freqtrade would refuse and unknown nested keys are refused, naming the setting."""
    with pytest.raises(ValidationError) as raised:
        request(overrides)
    assert all(e["loc"][:2] == ("overrides", field) for e in raised.value.errors())


def _fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


def test_every_setting_is_one_freqtrade_knows() -> None:
    """Nothing on the allow-list is a key Freqtrade 2026.9 would ignore or refuse."""
    schema = pytest.importorskip("freqtrade.config_schema.config_schema").CONF_SCHEMA["properties"]
    assert set() == _fields(RunOverrides) - set(schema) - COMMAND_LINE_SETTINGS
    for section in ("entry_pricing", "exit_pricing", "unfilledtimeout", "order_types", "order_time_in_force"):
        model = RunOverrides.model_fields[section].annotation.__args__[0]  # type: ignore[union-attr]
        assert set() == _fields(model) - set(schema[section]["properties"]), section
    assert set(schema["order_types"]["required"]) == {
        n for n, f in OrderTypes.model_fields.items() if f.is_required()
    }


def test_a_config_with_every_setting_passes_freqtrades_schema() -> None:
    """The config built from allowed overrides validates against Freqtrade's own JSON schema."""
    validation = pytest.importorskip("freqtrade.configuration.config_validation")
    config = build_job_config(request(EVERY_SETTING), "S", DATA_DIR)
    validation.validate_config_schema(config)
