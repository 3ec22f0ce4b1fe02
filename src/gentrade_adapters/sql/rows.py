"""
The tables, as row classes separate from the domain: the mapping modules turn rows into aggregates.

The schema itself is created only by the Alembic migrations; this metadata must match them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from gentrade_adapters.sql.types import JsonDoc, UtcDateTime

ID = String(64)

# Deterministic constraint names, so later migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JsonDoc, list[str]: JsonDoc}


class StrategyRow(Base):
    __tablename__ = "strategies"
    __table_args__ = (UniqueConstraint("owner_id", "name"), Index(None, "owner_id", "created_at"))

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    spec: Mapped[dict[str, Any] | None]
    versions: Mapped[list[StrategyVersionRow]] = relationship(
        order_by="StrategyVersionRow.number", cascade="all, delete-orphan"
    )


class StrategyVersionRow(Base):
    __tablename__ = "strategy_versions"

    strategy_id: Mapped[str] = mapped_column(
        ID, ForeignKey("strategies.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    parameters: Mapped[dict[str, Any] | None]


class WorkspaceRow(Base):
    __tablename__ = "workspaces"

    owner_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime]


class JobColumns:
    """
    What backtests, hyperopts and strategy checks share. No foreign key to strategies: the use case refuses to
    delete a strategy that has jobs, and the in-memory fake behaves the same without one.
    """

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(128))
    strategy_id: Mapped[str] = mapped_column(ID, index=True)
    strategy_version: Mapped[int]
    status: Mapped[str] = mapped_column(String(32))
    request: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    attempts: Mapped[int]
    error: Mapped[str | None] = mapped_column(Text)
    log_tail: Mapped[list[str]]
    cancel_requested: Mapped[bool]
    version: Mapped[int] = mapped_column(server_default="1")

    @declared_attr.directive
    @classmethod
    def __mapper_args__(cls) -> dict[str, Any]:
        # Every UPDATE carries `WHERE version = <read>`: a save from a stale copy fails.
        return {"version_id_col": cls.version}

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Index, ...]:
        # Listing (owner, newest first) and the reaper (status, heartbeat) are the hot queries.
        return (Index(None, "owner_id", "created_at"), Index(None, "status", "heartbeat_at"))


class BacktestRow(JobColumns, Base):
    __tablename__ = "backtests"

    summary: Mapped[dict[str, Any] | None]


class HyperoptRow(JobColumns, Base):
    __tablename__ = "hyperopts"

    epochs_done: Mapped[int]
    best: Mapped[dict[str, Any] | None]


class StrategyCheckRow(JobColumns, Base):
    __tablename__ = "strategy_checks"

    facts: Mapped[dict[str, Any] | None]


# Row classes kept in their own modules register on the same metadata here, so the migrations
# and their no-diff test always see them (a module import, so either import order works).
import gentrade_adapters.sql.slot_rows  # noqa: E402, F401
