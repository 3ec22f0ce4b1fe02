"""Alembic migrations; run them with `gentrade_adapters.sql.migrate`, never `create_all`."""
