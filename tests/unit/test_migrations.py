"""The migrations build exactly the schema the row classes describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from gentrade_adapters.sql import downgrade, make_engine, upgrade
from gentrade_adapters.sql.rows import Base
from tests.pg import throwaway_database


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gentrade.db'}"
    else:
        with throwaway_database() as pg_url:
            yield pg_url


def schema_diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_matches_the_metadata(url: str) -> None:
    """Autogenerate finds nothing to add: no model change is missing a migration."""
    upgrade(url)
    assert schema_diff(url) == []


def test_downgrade_to_base_and_upgrade_again(url: str) -> None:
    """Every migration can be undone, and redone onto the emptied database."""
    upgrade(url)
    downgrade(url, "base")
    assert {"alembic_version"} == tables(url)
    upgrade(url)
    assert schema_diff(url) == []
    assert {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"} == tables(url)
