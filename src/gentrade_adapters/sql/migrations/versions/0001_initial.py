"""Strategies with their versions, backtests, hyperopts and workspaces.

Revision ID: 0001
Revises:
Create Date: 2026-05-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def _job_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("owner_id", sa.String(128), nullable=False),
        sa.Column("strategy_id", sa.String(64), nullable=False),
        sa.Column("strategy_version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("request", JSON),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP),
        sa.Column("started_at", TIMESTAMP),
        sa.Column("finished_at", TIMESTAMP),
        sa.Column("heartbeat_at", TIMESTAMP),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("log_tail", JSON, nullable=False),
        sa.Column("cancel_requested", sa.Boolean, nullable=False),
    ]


def _create_job_table(name: str, *extra: sa.Column[object]) -> None:
    op.create_table(name, *_job_columns(), *extra, sa.PrimaryKeyConstraint("id", name=f"pk_{name}"))
    op.create_index(f"ix_{name}_owner_id_created_at", name, ["owner_id", "created_at"])
    op.create_index(f"ix_{name}_status_heartbeat_at", name, ["status", "heartbeat_at"])
    op.create_index(f"ix_{name}_strategy_id", name, ["strategy_id"])


def upgrade() -> None:
    op.create_table(
        "strategies",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("owner_id", sa.String(128), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("spec", JSON),
        sa.PrimaryKeyConstraint("id", name="pk_strategies"),
        sa.UniqueConstraint("owner_id", "name", name="uq_strategies_owner_id_name"),
    )
    op.create_index("ix_strategies_owner_id_created_at", "strategies", ["owner_id", "created_at"])
    op.create_table(
        "strategy_versions",
        sa.Column("strategy_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("origin", sa.String(32), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("strategy_id", "number", name="pk_strategy_versions"),
        sa.ForeignKeyConstraint(
            ["strategy_id"],
            ["strategies.id"],
            name="fk_strategy_versions_strategy_id_strategies",
            ondelete="CASCADE",
        ),
    )
    _create_job_table("backtests", sa.Column("summary", JSON))
    _create_job_table(
        "hyperopts",
        sa.Column("epochs_done", sa.Integer, nullable=False),
        sa.Column("best", JSON),
    )
    op.create_table(
        "workspaces",
        sa.Column("owner_id", sa.String(128), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("owner_id", name="pk_workspaces"),
    )


def downgrade() -> None:
    for table in ("workspaces", "hyperopts", "backtests", "strategy_versions", "strategies"):
        op.drop_table(table)
