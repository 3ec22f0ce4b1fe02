"""The Strategy aggregate: a Freqtrade `IStrategy` class and its versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from gentrade_core.errors import NotFound


class Origin(StrEnum):
    USER = "user"
    COMPILED = "compiled-from-spec"
    LLM = "llm"


@attrs.frozen
class StrategyVersion:
    number: int
    code: str
    created_at: datetime
    origin: Origin = Origin.USER


@attrs.define
class Strategy:
    """
    A user's strategy. `name` is the `IStrategy` subclass name in every version's code.

    Versions are append-only: an edit adds a version, so every job can name the exact code it ran.
    """

    id: str
    owner_id: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    versions: list[StrategyVersion] = attrs.field(factory=list[StrategyVersion])
    spec: dict[str, Any] | None = None

    @property
    def current(self) -> StrategyVersion:
        return self.versions[-1]

    @property
    def current_version(self) -> int:
        return self.current.number

    def version(self, number: int | None) -> StrategyVersion:
        if number is None:
            return self.current
        for v in self.versions:
            if v.number == number:
                return v
        raise NotFound("strategy version", f"{self.id}@{number}")

    def add_version(self, code: str, at: datetime, origin: Origin = Origin.USER) -> StrategyVersion:
        number = self.versions[-1].number + 1 if self.versions else 1
        version = StrategyVersion(number=number, code=code, created_at=at, origin=origin)
        self.versions.append(version)
        self.updated_at = at
        return version
