"""Strategy load checks (a job table), and Freqtrade parameter files kept with strategy versions.

Every version stored before this revision gets a queued check, so each one is checked once the
reaper sends the checks (at a worker's next round; at once where the queue lived in memory).

Revision ID: 0004_strategy_checks
Revises: 0003_job_slots
Create Date: 2026-12-01
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_strategy_checks"
down_revision = "0003_job_slots"
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)
TABLE = "strategy_checks"


def upgrade() -> None:
    with op.batch_alter_table("strategy_versions") as batch:
        batch.add_column(sa.Column("parameters", JSON))
    checks = op.create_table(
        TABLE,
        sa.Column("id", sa.String(64), nullable=False),
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
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("facts", JSON),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
    )
    op.create_index(f"ix_{TABLE}_owner_id_created_at", TABLE, ["owner_id", "created_at"])
    op.create_index(f"ix_{TABLE}_status_heartbeat_at", TABLE, ["status", "heartbeat_at"])
    op.create_index(f"ix_{TABLE}_strategy_id", TABLE, ["strategy_id"])
    _queue_checks_for_stored_versions(checks)


def _queue_checks_for_stored_versions(checks: sa.Table) -> None:
    versions = sa.table("strategy_versions", sa.column("strategy_id"), sa.column("number"))
    strategies = sa.table("strategies", sa.column("id"), sa.column("owner_id"))
    connection = op.get_bind()
    found = connection.execute(
        sa.select(versions.c.strategy_id, versions.c.number, strategies.c.owner_id).join(
            strategies, strategies.c.id == versions.c.strategy_id
        )
    ).all()
    now = datetime.now(UTC)
    rows = [
        {
            "id": uuid.uuid4().hex,
            "owner_id": owner_id,
            "strategy_id": strategy_id,
            "strategy_version": number,
            "status": "queued",
            "created_at": now,
            "attempts": 0,
            "log_tail": [],
            "cancel_requested": False,
            "version": 1,
        }
        for strategy_id, number, owner_id in found
    ]
    if rows:
        op.bulk_insert(checks, rows)


def downgrade() -> None:
    op.drop_table(TABLE)
    with op.batch_alter_table("strategy_versions") as batch:
        batch.drop_column("parameters")
