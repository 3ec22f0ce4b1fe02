"""Synthesised ccxt markets: shaped as ccxt expects, with order minimums that fit the quote currency."""

from __future__ import annotations

import pytest

from gentrade_core.domain.values import Pair
from gentrade_core.freqtrade.markets import synthesize_markets

PAIRS = [Pair("ETH/BTC"), Pair("BTC/USDT"), Pair("ABC/XYZ")]


def test_one_active_spot_market_per_pair() -> None:
    """Keyed by symbol, spot, active, with base and quote split out."""
    sut = synthesize_markets(PAIRS)
    assert ["ETH/BTC", "BTC/USDT", "ABC/XYZ"] == list(sut)
    assert ("ETHBTC", "ETH", "BTC", "spot", True, True, False) == tuple(
        sut["ETH/BTC"][k] for k in ("id", "base", "quote", "type", "spot", "active", "contract")
    )


@pytest.mark.parametrize(
    ("pair", "stake", "minimum"),
    [("ETH/BTC", 0.01, 0.0001), ("BTC/USDT", 10.0, 5.0), ("ABC/XYZ", 0.0001, None)],
)
def test_minimum_order_cost_fits_the_quote_currency(pair: str, stake: float, minimum: float | None) -> None:
    """A 0.01 BTC stake clears the BTC minimum (a USDT-sized 5 would refuse every trade); unknown
    quotes get no minimum rather than a wrong one."""
    cost = synthesize_markets([Pair(pair)])[pair]["limits"]["cost"]["min"]
    assert minimum == cost
    assert cost is None or stake > cost


def test_futures_pairs_are_refused() -> None:
    """Only spot markets are synthesised; a contract needs real exchange metadata."""
    with pytest.raises(ValueError, match="futures"):
        synthesize_markets([Pair("ETH/USDT:USDT")])


def test_ccxt_binance_accepts_the_markets_in_tick_size_mode() -> None:
    """ccxt rounds with the tick sizes and charges the 0.1 % fee in what is received, as binance does."""
    ccxt = pytest.importorskip("ccxt")
    exchange = ccxt.binance()
    exchange.set_markets(synthesize_markets(PAIRS))
    assert ccxt.TICK_SIZE == exchange.precisionMode
    assert "0.12345678" == exchange.amount_to_precision("ETH/BTC", 0.123456789)
    fee = exchange.calculate_fee("ETH/BTC", "limit", "buy", 1.0, 0.05, "taker")
    assert (0.001, "ETH") == (fee["rate"], fee["currency"])
    assert {"BTC", "ETH", "USDT", "ABC", "XYZ"} <= set(exchange.currencies)
