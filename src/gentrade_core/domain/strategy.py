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
    parameters: dict[str, Any] | None = None
    """Freqtrade's parameter file for the class (`<Name>.json`: hyperopt results), if it came with one."""


@attrs.frozen
class StrategyRef:
    """
    What a job submission checks about its strategy, without any code: who owns it, its name and
    its newest version. Versions are numbered 1, 2, ... with none ever removed.
    """

    id: str
    owner_id: str
    name: str
    latest_version: int

    def version_number(self, number: int | None) -> int:
        """`number` if the strategy has it, the newest for None; NotFound otherwise."""
        if number is None:
            return self.latest_version
        if 1 <= number <= self.latest_version:
            return number
        raise NotFound("strategy version", f"{self.id}@{number}")


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

    def ref(self) -> StrategyRef:
        return StrategyRef(self.id, self.owner_id, self.name, self.current_version)

    def add_version(
        self,
        code: str,
        at: datetime,
        origin: Origin = Origin.USER,
        parameters: dict[str, Any] | None = None,
    ) -> StrategyVersion:
        number = self.versions[-1].number + 1 if self.versions else 1
        version = StrategyVersion(number, code, at, origin, parameters)
        self.versions.append(version)
        self.updated_at = at
        return version
