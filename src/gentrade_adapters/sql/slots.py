"""
Job slots in the database every worker already shares, so the limit holds across processes and hosts.

Each limited kind has numbered rows 0..limit-1 (created on first use). Taking a slot is a
conditional UPDATE of one row "where it is free": SQLite runs writers one at a time and
PostgreSQL re-checks the condition after waiting on a concurrent writer's lock, so two workers can
never both win one row. Lease times come from the workers' clocks: keep them in sync (NTP) and
leases much longer than the skew.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, exc, insert, or_, select, update

from gentrade_adapters.sql.slot_rows import JobSlotRow
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.slots import JobSlots, SlotsUnavailable

P = ParamSpec("P")
R = TypeVar("R")
Slot = JobSlotRow


def _translated(method: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except exc.OperationalError as e:
            raise SlotsUnavailable(str(e.orig)) from e
        except exc.DBAPIError as e:
            if e.connection_invalidated:
                raise SlotsUnavailable(str(e.orig)) from e
            raise

    return wrapper


class SqlJobSlots(JobSlots):
    def __init__(self, engine: Engine, limits: Mapping[JobKind, int], clock: Clock) -> None:
        self._engine = engine
        self._limits = dict(limits)
        self._clock = clock
        self._rows_made: set[JobKind] = set()

    @_translated
    def acquire(self, kind: JobKind, job_id: str, lease_seconds: float) -> bool:
        if kind not in self._limits:
            return True
        self._make_rows(kind)
        now = self._clock.now()
        until = now + timedelta(seconds=lease_seconds)
        try:
            with self._engine.begin() as connection:
                # A write first: SQLite then holds the write lock for the whole transaction.
                mine = (Slot.kind == kind.value) & (Slot.holder == job_id)
                connection.execute(
                    update(Slot).where(mine, Slot.expires_at <= now).values(holder=None, expires_at=None)
                )
                if connection.scalar(select(Slot.slot).where(mine)) is not None:
                    return False
                return self._take_free_slot(connection, kind, job_id, now, until)
        except exc.IntegrityError:
            return False  # another delivery of this job took a slot meanwhile

    def _take_free_slot(
        self, connection: Connection, kind: JobKind, job_id: str, now: datetime, until: datetime
    ) -> bool:
        free = or_(Slot.holder.is_(None), Slot.expires_at <= now)
        for number in range(self._limits[kind]):
            taken = connection.execute(
                update(Slot)
                .where(Slot.kind == kind.value, Slot.slot == number, free)
                .values(holder=job_id, expires_at=until)
            )
            if taken.rowcount == 1:
                return True
        return False

    @_translated
    def renew(self, kind: JobKind, job_id: str, lease_seconds: float) -> bool:
        if kind not in self._limits:
            return True
        now = self._clock.now()
        with self._engine.begin() as connection:
            renewed = connection.execute(
                update(Slot)
                .where(Slot.kind == kind.value, Slot.holder == job_id, Slot.expires_at > now)
                .values(expires_at=now + timedelta(seconds=lease_seconds))
            )
            return renewed.rowcount == 1

    @_translated
    def release(self, kind: JobKind, job_id: str) -> None:
        if kind not in self._limits:
            return
        with self._engine.begin() as connection:
            connection.execute(
                update(Slot)
                .where(Slot.kind == kind.value, Slot.holder == job_id)
                .values(holder=None, expires_at=None)
            )

    def _make_rows(self, kind: JobKind) -> None:
        """Create the kind's free slot rows once; a row another worker made first is fine."""
        if kind in self._rows_made:
            return
        with self._engine.connect() as connection:
            existing = set(connection.scalars(select(Slot.slot).where(Slot.kind == kind.value)))
        for number in set(range(self._limits[kind])) - existing:
            try:
                with self._engine.begin() as connection:
                    connection.execute(insert(Slot).values(kind=kind.value, slot=number))
            except exc.IntegrityError:
                pass
        self._rows_made.add(kind)
