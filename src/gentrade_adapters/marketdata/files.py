"""Candle files that readers never see half-written, and per-key locks for writers."""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pandas as pd

from gentrade_adapters.marketdata.verify import COLUMNS


def replace_atomically(source: Path, target: Path) -> None:
    """Move a finished file into place; a reader sees the old file or the new one, never a mix."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def scratch_path(target: Path) -> Path:
    """A unique file name beside `target` (same filesystem, so `os.replace` is atomic)."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")


def write_candles(frame: pd.DataFrame, target: Path) -> None:
    """Store candles as Freqtrade's feather handler does (its columns, lz4)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = scratch_path(target)
    try:
        candles = frame.reset_index(drop=True).loc[:, COLUMNS]
        candles.to_feather(scratch, compression="lz4", compression_level=9)
        replace_atomically(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)


def candle_span(path: Path) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last open time in a candle file, or None when it is missing or empty."""
    if not path.exists():
        return None
    dates = pd.to_datetime(pd.read_feather(path, columns=["date"])["date"], utc=True)
    return (dates.min(), dates.max()) if len(dates) else None


@contextmanager
def locked(lock_dir: Path, keys: Iterable[str]) -> Iterator[None]:
    """Hold exclusive `fcntl` locks on every key, taken in sorted order so writers cannot deadlock."""
    with ExitStack() as stack:
        for key in sorted(set(keys)):
            path = lock_dir / f"{key}.lock"
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = stack.enter_context(path.open("a"))
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
