"""
A throwaway PostgreSQL database per test module. Outside CI a missing server skips the tests;
under CI=true it fails them, so a broken service cannot pass unnoticed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

UNDER_CI = os.environ.get("CI", "").lower() in ("true", "1")
ADMIN_URL = os.environ.get("GENTRADE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Yield the URL of a new empty database; drop it afterwards, even if connections linger."""
    if not UNDER_CI:
        pytest.importorskip("psycopg")
    # No pooling: a connection must not outlive a server restart that a test may cause.
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"gentrade_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as e:
        admin.dispose()
        if UNDER_CI:
            raise
        pytest.skip(f"PostgreSQL is not reachable at {ADMIN_URL}: {e.orig}")
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
