"""Settings come from GENTRADE_ variables and are made safe for Freqtrade's working directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from gentrade_app.settings import Settings
from gentrade_core.domain.requests import DataSource


def test_relative_dirs_become_absolute(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Freqtrade runs in each job's directory, so a relative data dir must not reach it as such."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GENTRADE_DATA_DIR", "state")
    monkeypatch.setenv("GENTRADE_MARKET_DATA_DIR", "candles")
    sut = Settings()
    assert (tmp_path / "state", tmp_path / "candles") == (sut.data_dir, sut.market_data_dir)


def test_default_data_source_follows_the_market_data_dir(tmp_path: Path) -> None:
    """`local` when a candle folder is configured, else `exchange`."""
    assert DataSource.LOCAL == Settings(data_dir=tmp_path, market_data_dir=tmp_path).default_data_source
    assert DataSource.EXCHANGE == Settings(data_dir=tmp_path).default_data_source


def test_sqlite_under_the_data_dir_by_default(tmp_path: Path) -> None:
    """With no database URL, state stays under the data dir."""
    assert f"sqlite:///{tmp_path / 'gentrade.db'}" == Settings(data_dir=tmp_path).sqlalchemy_url
