"""Leased job slots: a distributed limit on how many jobs of a kind run at once.

Revision ID: 0003_job_slots
Revises: 0002_job_version
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_job_slots"
down_revision = "0002_job_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_slots",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("slot", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("holder", sa.String(64)),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("kind", "slot", name="pk_job_slots"),
        sa.UniqueConstraint("kind", "holder", name="uq_job_slots_kind_holder"),
    )


def downgrade() -> None:
    op.drop_table("job_slots")
