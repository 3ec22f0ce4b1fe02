"""Candles for backtests: a shared on-disk cache fed by a local folder, a generator or the exchange."""

from gentrade_adapters.marketdata.cache import CachedMarketData

__all__ = ["CachedMarketData"]
