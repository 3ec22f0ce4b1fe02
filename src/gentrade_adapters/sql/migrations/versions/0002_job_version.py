"""A version column on jobs for optimistic concurrency (claims, requeues and endings happen once).

Revision ID: 0002_job_version
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_job_version"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("backtests", "hyperopts")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
