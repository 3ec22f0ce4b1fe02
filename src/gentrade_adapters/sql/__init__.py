"""
The SQL adapter: SQLAlchemy 2 over SQLite (embedded) or PostgreSQL (hosted).

Row classes are separate from the domain; the schema comes only from the Alembic migrations.
"""

from gentrade_adapters.sql.engine import make_engine, make_session_factory
from gentrade_adapters.sql.migrate import downgrade, upgrade
from gentrade_adapters.sql.unit_of_work import SqlUnitOfWork

__all__ = ["SqlUnitOfWork", "downgrade", "make_engine", "make_session_factory", "upgrade"]
