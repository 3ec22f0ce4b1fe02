"""
The Freqtrade config of one job: base template -> exchange -> strategy -> job overrides.

Every job runs as a dry run with no way to reach out (no API server, Telegram, webhooks or
producers), and GenTrade owns the paths: user overrides (`RunOverrides`, an allow-list) may tune a
run, not escape it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, cast

from gentrade_core.domain.requests import BacktestRequest, JobRequest

DEFAULT_WALLET: dict[str, float] = {"BTC": 1.0, "ETH": 10.0, "BNB": 50.0}
"""Starting balance per stake currency when the request names none; others get 1000."""
FALLBACK_WALLET = 1000.0
TRADABLE_BALANCE_RATIO = 0.99
CHECK_PAIR = "ETH/BTC"
"""The one pair a load check's whitelist holds: `@informative` names and `informative_pairs()` that
follow the whitelist need one to say what they ask for."""


def deep_merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Merge mappings left to right; nested mappings merge, anything else (lists too) is replaced."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            current = merged.get(key)
            if isinstance(value, Mapping) and isinstance(current, dict):
                merged[key] = deep_merge(cast(dict[str, Any], current), cast(Mapping[str, Any], value))
            elif isinstance(value, Mapping):
                merged[key] = deep_merge(cast(Mapping[str, Any], value))
            else:
                merged[key] = copy.deepcopy(value)
    return merged


def default_wallet(request: JobRequest, max_open_trades: int) -> float:
    """A balance in the stake currency that can fund every trade slot at the requested stake."""
    if request.dry_run_wallet is not None:
        return request.dry_run_wallet
    wallet = DEFAULT_WALLET.get(request.stake_currency, FALLBACK_WALLET)
    if isinstance(request.stake_amount, float | int) and max_open_trades > 0:
        wallet = max(wallet, request.stake_amount * max_open_trades / TRADABLE_BALANCE_RATIO)
    return wallet


def base_template(request: JobRequest, strategy_name: str, data_dir: str) -> dict[str, Any]:
    """A complete spot dry-run config for Freqtrade 2026.9 backtesting and hyperopt."""
    max_open_trades = request.max_open_trades if request.max_open_trades is not None else len(request.pairs)
    return {
        "dry_run": True,
        "trading_mode": "spot",
        "margin_mode": "",
        "strategy": strategy_name,
        "timeframe": request.timeframe,
        "stake_currency": request.stake_currency,
        "stake_amount": request.stake_amount,
        "tradable_balance_ratio": TRADABLE_BALANCE_RATIO,
        "dry_run_wallet": default_wallet(request, max_open_trades),
        "max_open_trades": max_open_trades,
        "unfilledtimeout": {"entry": 10, "exit": 10, "exit_timeout_count": 0, "unit": "minutes"},
        "entry_pricing": {
            "price_side": "same",
            "use_order_book": True,
            "order_book_top": 1,
            "price_last_balance": 0.0,
            "check_depth_of_market": {"enabled": False, "bids_to_ask_delta": 1},
        },
        "exit_pricing": {"price_side": "same", "use_order_book": True, "order_book_top": 1},
        "exchange": {
            "name": request.exchange,
            "key": "",
            "secret": "",
            "ccxt_config": {},
            "ccxt_async_config": {},
            "pair_whitelist": list(request.pairs),
            "pair_blacklist": [],
        },
        "pairlists": [{"method": "StaticPairList"}],
        "bot_name": "gentrade",
        "user_data_dir": ".",
        "datadir": data_dir,
        "dataformat_ohlcv": "feather",
    }


def build_job_config(
    request: JobRequest,
    strategy_name: str,
    data_dir: str,
    *,
    base: Mapping[str, Any] | None = None,
    exchange: Mapping[str, Any] | None = None,
    strategy: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """
    The config.json of one job. `base` replaces the built-in template; `exchange` and `strategy`
    are trusted layers (operator settings, the strategy's stored config); the request's overrides
    come last, and hold only the settings `RunOverrides` allows.
    """
    template = base if base is not None else base_template(request, strategy_name, data_dir)
    return deep_merge(template, exchange or {}, strategy or {}, request.overrides.to_config())


def check_config(strategy_name: str) -> dict[str, Any]:
    """
    What a load check loads the strategy with: a job's config for one pair, with no timeframe so
    that the strategy's own is the one reported.
    """
    request = BacktestRequest(
        strategy_id="check", pairs=[CHECK_PAIR], stake_currency="BTC", timerange="20240101-"
    )
    config = base_template(request, strategy_name, data_dir=".")
    del config["timeframe"]
    return config
