"""
The `job_slots` table behind `SqlJobSlots`: one row per numbered slot of a limited kind.

Numbered rows make taking a slot one conditional UPDATE of one row, which both SQLite and
PostgreSQL do atomically; counting holders and inserting would race between two workers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gentrade_adapters.sql.rows import ID, Base


class JobSlotRow(Base):
    __tablename__ = "job_slots"
    # A job holds at most one slot, even when two deliveries of it race (NULLs never collide).
    __table_args__ = (UniqueConstraint("kind", "holder"),)

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    slot: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    holder: Mapped[str | None] = mapped_column(ID)
    expires_at: Mapped[datetime | None]
