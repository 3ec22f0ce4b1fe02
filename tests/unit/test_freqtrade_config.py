"""Building a job's Freqtrade config: the template, the merge order and the refused overrides."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gentrade_core.domain.requests import BacktestRequest
from gentrade_core.freqtrade.config import build_job_config, deep_merge

DATA_DIR = "/cache/binance"


def request(**changes: Any) -> BacktestRequest:
    fields: dict[str, Any] = {
        "strategy_id": "s1",
        "pairs": ["ETH/BTC", "LTC/BTC"],
        "timerange": "20180110-20180130",
        "stake_currency": "BTC",
        "stake_amount": 0.01,
    }
    return BacktestRequest(**(fields | changes))


def test_deep_merge_merges_nested_mappings_and_replaces_everything_else() -> None:
    """Nested dicts merge key by key; lists and scalars from a later layer replace earlier ones."""
    base = {"exchange": {"name": "binance", "pair_whitelist": ["A/B", "C/B"]}, "stake_amount": 1}
    layer = {"exchange": {"pair_whitelist": ["X/B"]}, "stake_amount": 2}
    expected = {"exchange": {"name": "binance", "pair_whitelist": ["X/B"]}, "stake_amount": 2}
    assert expected == deep_merge(base, layer)


def test_deep_merge_leaves_its_inputs_alone() -> None:
    """The result shares nothing mutable with the layers, so a template can be reused."""
    base = {"exchange": {"pair_whitelist": ["A/B"]}}
    merged = deep_merge(base, {"exchange": {"name": "x"}})
    merged["exchange"]["pair_whitelist"].append("C/B")
    assert {"exchange": {"pair_whitelist": ["A/B"]}} == base


json_keys = st.sampled_from(["a", "b", "c"])
json_trees = st.recursive(
    st.integers() | st.text(max_size=3), lambda inner: st.dictionaries(json_keys, inner, max_size=3)
)


@given(st.dictionaries(json_keys, json_trees, max_size=3), st.dictionaries(json_keys, json_trees, max_size=3))
def test_deep_merge_lets_the_last_layer_win_on_every_leaf(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    """Merging the second layer again changes nothing, and each of its leaves survives the merge."""
    merged = deep_merge(first, second)
    assert merged == deep_merge(merged, second)
    for key, value in second.items():
        if not isinstance(value, dict):
            assert value == merged[key]


def test_template_is_a_spot_dry_run_on_the_requested_pairs() -> None:
    """The base template names the strategy, the pairs, the data and the job dir as user data."""
    sut = build_job_config(request(), "SampleCross", DATA_DIR)
    assert (True, "spot", "SampleCross", "5m") == (
        sut["dry_run"],
        sut["trading_mode"],
        sut["strategy"],
        sut["timeframe"],
    )
    assert ("binance", ["ETH/BTC", "LTC/BTC"], "", "") == (
        sut["exchange"]["name"],
        sut["exchange"]["pair_whitelist"],
        sut["exchange"]["key"],
        sut["exchange"]["secret"],
    )
    assert ("BTC", 0.01, 2) == (sut["stake_currency"], sut["stake_amount"], sut["max_open_trades"])
    assert (DATA_DIR, ".", "feather") == (sut["datadir"], sut["user_data_dir"], sut["dataformat_ohlcv"])
    assert [{"method": "StaticPairList"}] == sut["pairlists"]
    assert set() == {"api_server", "telegram", "webhook", "external_message_consumer"} & set(sut)


@pytest.mark.freqtrade
def test_template_passes_freqtrades_own_schema() -> None:
    """Freqtrade 2026.9 validates the generated config without complaint."""
    validation = pytest.importorskip("freqtrade.configuration.config_validation")
    config = build_job_config(request(), "SampleCross", DATA_DIR)
    validation.validate_config_schema(config, preliminary=False)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 1.0),
        ({"stake_currency": "USDT", "pairs": ["BTC/USDT"], "stake_amount": 100}, 1000.0),
        ({"stake_amount": 2.0}, 2.0 * 2 / 0.99),
        ({"dry_run_wallet": 0.5}, 0.5),
    ],
)
def test_wallet_defaults_to_the_currency_and_covers_every_trade_slot(
    changes: dict[str, Any], expected: float
) -> None:
    """1 BTC or 1000 of a fiat-like stake, raised so every slot can open; an explicit wallet wins."""
    assert expected == pytest.approx(build_job_config(request(**changes), "S", DATA_DIR)["dry_run_wallet"])


def test_explicit_max_open_trades_replaces_the_pair_count() -> None:
    """The pair count is only the default."""
    assert 1 == build_job_config(request(max_open_trades=1), "S", DATA_DIR)["max_open_trades"]


def test_layers_apply_in_order_base_exchange_strategy_overrides() -> None:
    """Each layer overrides the ones before it, and nested keys not mentioned survive."""
    sut = build_job_config(
        request(overrides={"stoploss": -0.2, "entry_pricing": {"price_side": "other"}}),
        "S",
        DATA_DIR,
        exchange={"exchange": {"ccxt_config": {"a": 1, "c": 2}}, "stoploss": -0.05},
        strategy={"exchange": {"ccxt_config": {"b": 3, "c": 3}}, "stoploss": -0.1},
    )
    assert ({"a": 1, "b": 3, "c": 3}, -0.2, "binance", "other", True) == (
        sut["exchange"]["ccxt_config"],
        sut["stoploss"],
        sut["exchange"]["name"],
        sut["entry_pricing"]["price_side"],
        sut["entry_pricing"]["use_order_book"],
    )


def test_a_base_replaces_the_built_in_template() -> None:
    """An operator's own template is used as the first layer instead of the built-in one."""
    assert {"dry_run": True, "x": 1} == build_job_config(
        request(), "S", DATA_DIR, base={"dry_run": True, "x": 1}
    )
