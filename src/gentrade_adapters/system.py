"""The real clock and id generator."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from gentrade_core.ports.clock import Clock, IdGenerator


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class UuidIds(IdGenerator):
    def new_id(self) -> str:
        return uuid.uuid4().hex
