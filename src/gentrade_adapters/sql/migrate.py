"""
Create and change the schema with the Alembic migrations shipped inside this package.

The Alembic config is built in code, so this works from an installed wheel with no alembic.ini.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(database: str | Engine) -> Config:
    """
    `database` is a URL or an engine (pass the engine for in-memory SQLite, whose data lives only
    as long as its connection). Either travels in `attributes`: ini options would choke on a `%`.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database"] = database
    return config


def upgrade(database: str | Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(database), revision)


def downgrade(database: str | Engine, revision: str) -> None:
    command.downgrade(alembic_config(database), revision)
