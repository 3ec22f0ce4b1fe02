"""The settings API tests run under: the embedded defaults, over the shared real candles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gentrade_app.settings import Settings
from tests.strategies_src import DATA_DIR


def embedded_settings(data_dir: Path, **changes: Any) -> Settings:
    return Settings(
        data_dir=data_dir,
        market_data_dir=Path(DATA_DIR),
        max_code_bytes=50_000,
        token_secret="x" * 40,
        **changes,
    )
