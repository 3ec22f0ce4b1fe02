"""
Synthesised ccxt markets, for candles that come without an exchange snapshot (a local folder,
synthetic data, no network).

Freqtrade refuses every entry whose stake is under the market's minimum order cost and then reports
0 trades with no error, so the minimum must fit the quote currency. Prices and amounts get fine
tick sizes (ccxt TICK_SIZE mode, as binance uses) so rounding barely moves results.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gentrade_core.domain.values import Pair

FEE = 0.001
TICK = 1e-8
_FIAT_LIKE = ("USDT", "USDC", "FDUSD", "BUSD", "TUSD", "DAI", "USD", "EUR", "GBP")
MIN_COST: dict[str, float] = {"BTC": 0.0001, "ETH": 0.001, "BNB": 0.01} | {q: 5.0 for q in _FIAT_LIKE}
"""Smallest order value per quote currency, close to binance's; unknown quotes get no minimum."""


def _no_bounds() -> dict[str, None]:
    return {"min": None, "max": None}


def spot_market(pair: Pair) -> dict[str, Any]:
    """The ccxt market structure of one spot pair."""
    if ":" in pair.symbol:
        raise ValueError(f"{pair.symbol} is a futures pair; only spot markets can be synthesised")
    market_id = f"{pair.base}{pair.quote}"
    return {
        "id": market_id,
        "lowercaseId": market_id.lower(),
        "symbol": pair.symbol,
        "base": pair.base,
        "quote": pair.quote,
        "baseId": pair.base,
        "quoteId": pair.quote,
        "settle": None,
        "settleId": None,
        "type": "spot",
        "subType": None,
        "spot": True,
        "margin": False,
        "swap": False,
        "future": False,
        "option": False,
        "index": None,
        "contract": False,
        "linear": None,
        "inverse": None,
        "contractSize": None,
        "expiry": None,
        "expiryDatetime": None,
        "strike": None,
        "optionType": None,
        "active": True,
        "taker": FEE,
        "maker": FEE,
        "percentage": True,
        "tierBased": False,
        "feeSide": "get",
        "precision": {"amount": TICK, "price": TICK, "cost": None, "base": TICK, "quote": TICK},
        "limits": {
            "leverage": _no_bounds(),
            "amount": {"min": TICK, "max": None},
            "price": {"min": TICK, "max": None},
            "cost": {"min": MIN_COST.get(pair.quote), "max": None},
        },
        "marginModes": {"cross": False, "isolated": False},
        "created": None,
        "info": {},
    }


def synthesize_markets(pairs: Sequence[Pair]) -> dict[str, Any]:
    """ccxt markets keyed by symbol, for Freqtrade's launcher to load instead of asking the exchange."""
    return {pair.symbol: spot_market(pair) for pair in pairs}
