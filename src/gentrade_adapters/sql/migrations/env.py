"""Alembic's entry point: migrate the URL or engine that `migrate.alembic_config` passed in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from gentrade_adapters.sql.engine import make_engine
from gentrade_adapters.sql.rows import Base


def run_migrations(engine: Engine) -> None:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        )
        with context.begin_transaction():
            context.run_migrations()


database = context.config.attributes["database"]
if isinstance(database, Engine):
    run_migrations(database)
else:
    owned = make_engine(database)
    try:
        run_migrations(owned)
    finally:
        owned.dispose()
