"""Runtimes: where Freqtrade runs (a local process here; containers and Jobs elsewhere)."""
