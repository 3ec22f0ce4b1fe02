"""The migrations build exactly the schema the row classes describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from gentrade_adapters.sql import SqlUnitOfWork, downgrade, make_engine, make_session_factory, upgrade
from gentrade_adapters.sql.rows import Base
from gentrade_core.domain.job import JobStatus
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


BEFORE_CHECKS = "0003_job_slots"


def store_strategy_with_two_versions(url: str) -> None:
    """What a database from before load checks holds: alice's strategy s1, versions 1 and 2."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO strategies (id, owner_id, name, description, created_at, updated_at) "
                    "VALUES ('s1', 'alice', 'SampleCross', '', :at, :at)"
                ),
                {"at": at},
            )
            for number in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO strategy_versions (strategy_id, number, code, origin, created_at) "
                        "VALUES ('s1', :number, :code, 'user', :at)"
                    ),
                    {"number": number, "code": f"# version {number}", "at": at},
                )
    finally:
        engine.dispose()


def columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_upgrade_queues_a_check_for_every_stored_version(url: str) -> None:
    """
    Versions stored before load checks existed each get a queued check (owner, strategy and
    version right), readable through the repository; their parameter files are none.
    """
    upgrade(url, BEFORE_CHECKS)
    store_strategy_with_two_versions(url)
    upgrade(url)
    engine = make_engine(url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            checks = uow.checks.for_versions([("s1", 1), ("s1", 2)])
            strategy = uow.strategies.get("s1")
    finally:
        engine.dispose()
    assert [("alice", "s1", 1, JobStatus.QUEUED, 0), ("alice", "s1", 2, JobStatus.QUEUED, 0)] == sorted(
        (c.owner_id, c.strategy_id, c.strategy_version, c.status, c.attempts) for c in checks
    )
    assert 2 == len({c.id for c in checks})
    assert strategy is not None
    assert [(1, None), (2, None)] == [(v.number, v.parameters) for v in strategy.versions]


def test_downgrade_drops_the_checks_and_keeps_the_strategies(url: str) -> None:
    """Back to 0003: no check table and no parameter column, while strategies and versions stay."""
    upgrade(url, BEFORE_CHECKS)
    store_strategy_with_two_versions(url)
    upgrade(url)
    downgrade(url, BEFORE_CHECKS)
    assert "strategy_checks" not in tables(url)
    assert "parameters" not in columns(url, "strategy_versions")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT strategy_id, number FROM strategy_versions")).all()
    finally:
        engine.dispose()
    assert [("s1", 1), ("s1", 2)] == sorted(tuple(row) for row in kept)
