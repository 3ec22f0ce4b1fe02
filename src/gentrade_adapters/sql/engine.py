"""Engines and sessions configured for how GenTrade uses them: many threads, SQLite or PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 10_000
SERVER_POOL_SIZE = 10


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and one writer work at once; SQLite leaves foreign keys off unless asked."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """
    An engine for `url` (`sqlite:///path.db`, `postgresql+psycopg://...`); `kwargs` go to
    `create_engine`. SQLite file connections may cross threads (the app's workers do). In-memory
    SQLite (`sqlite://`) is one shared connection, so it suits one thread only: tests, notebooks.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # SQLAlchemy keeps 5 idle connections by default: with more API threads than that busy at
        # once, every request beyond five would open a connection and close it again.
        server = {"pool_pre_ping": True, "pool_size": SERVER_POOL_SIZE, "max_overflow": SERVER_POOL_SIZE}
        return create_engine(parsed, **server | kwargs)
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if parsed.database in (None, "", ":memory:"):
        options["poolclass"] = StaticPool
    else:
        # SQLite connections are cheap; enough of them that the API's thread pool never waits.
        options |= {"pool_size": 20, "max_overflow": 40}
    engine = create_engine(parsed, **options | kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Loaded rows stay readable after commit: repositories map them to aggregates anyway."""
    return sessionmaker(engine, expire_on_commit=False)
