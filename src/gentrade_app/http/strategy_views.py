"""What the strategy endpoints take and return: pydantic views (they also shape the OpenAPI schema)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import attrs
from pydantic import BaseModel, ConfigDict, Field

from gentrade_app.demo_strategy import DEMO_STRATEGY
from gentrade_core.domain.strategy import Strategy, StrategyVersion
from gentrade_core.domain.strategy_check import LoadCheck, StrategyFacts
from gentrade_core.usecases.strategies import MAX_DESCRIPTION, NOT_CHECKED
from gentrade_core.usecases.strategy_import import ImportOutcome, ImportStatus

Checks = Mapping[tuple[str, int], LoadCheck]
"""Load checks by (strategy id, version number), as `Strategies.checks` returns them."""

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
TEXT_PATTERN = r"^[^\x00]*$"
"""No NUL characters: PostgreSQL cannot store them in text, so no database takes them."""


class StrategyIn(BaseModel):
    # A working example, so generated clients (and Schemathesis's stateful runs) can create one.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "DemoEmaRsi", "code": DEMO_STRATEGY, "description": "EMA"}]},
    )

    name: str = Field(
        min_length=1, max_length=100, pattern=NAME_PATTERN, description="The IStrategy class name in the code"
    )
    code: str = Field(
        min_length=1,
        pattern=TEXT_PATTERN,
        description="Python source defining the IStrategy class; at most GENTRADE_MAX_CODE_BYTES bytes (413)",
    )
    description: str = Field(default="", max_length=MAX_DESCRIPTION, pattern=TEXT_PATTERN)


class StrategyUpdate(BaseModel):
    """Change the description and/or add a version of the code; the name cannot change."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100, pattern=NAME_PATTERN)
    code: str | None = Field(default=None, min_length=1, pattern=TEXT_PATTERN)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION, pattern=TEXT_PATTERN)


class ParameterOut(BaseModel):
    name: str
    kind: str = Field(description="Freqtrade's parameter class: IntParameter, DecimalParameter, ...")
    default: Any
    optimize: bool


class FactsOut(BaseModel):
    """What Freqtrade reported when it loaded the class."""

    timeframe: str | None
    can_short: bool
    startup_candle_count: int
    minimal_roi: dict[str, float]
    stoploss: float
    parameters: dict[str, list[ParameterOut]] = Field(description="Hyperoptable parameters by space")
    informative: list[tuple[str, str]] = Field(
        description="(pair, timeframe) candles it reads beyond a job's own, for a whitelist of ETH/BTC"
    )

    @classmethod
    def of(cls, facts: StrategyFacts) -> FactsOut:
        return cls.model_validate(attrs.asdict(facts))


class LoadCheckOut(BaseModel):
    status: Literal["pending", "passed", "failed"]
    reason: str | None = Field(description="Freqtrade's reason when the check failed")
    facts: FactsOut | None
    check_id: str | None
    checked_at: datetime | None

    @classmethod
    def of(cls, check: LoadCheck) -> LoadCheckOut:
        return cls(
            status=check.status.value,
            reason=check.reason,
            facts=FactsOut.of(check.facts) if check.facts else None,
            check_id=check.check_id,
            checked_at=check.checked_at,
        )


class ChecksOut(BaseModel):
    load: LoadCheckOut = Field(description="Freqtrade loads the class, through the configured runtime")

    @classmethod
    def of(cls, checks: Checks, strategy_id: str, version: int) -> ChecksOut:
        return cls(load=LoadCheckOut.of(checks.get((strategy_id, version), NOT_CHECKED)))


class VersionOut(BaseModel):
    number: int
    created_at: datetime
    origin: str
    code: str
    parameters: dict[str, Any] | None = Field(description="Freqtrade's parameter file for the class, if any")
    checks: ChecksOut

    @classmethod
    def of(cls, strategy_id: str, v: StrategyVersion, checks: Checks) -> VersionOut:
        return cls(
            number=v.number,
            created_at=v.created_at,
            origin=v.origin.value,
            code=v.code,
            parameters=v.parameters,
            checks=ChecksOut.of(checks, strategy_id, v.number),
        )


class StrategyOut(BaseModel):
    id: str
    name: str
    description: str
    current_version: int
    code: str
    created_at: datetime
    updated_at: datetime
    checks: ChecksOut = Field(description="The checks of the current version")

    @classmethod
    def of(cls, s: Strategy, checks: Checks) -> StrategyOut:
        return cls(
            id=s.id,
            name=s.name,
            description=s.description,
            current_version=s.current_version,
            code=s.current.code,
            created_at=s.created_at,
            updated_at=s.updated_at,
            checks=ChecksOut.of(checks, s.id, s.current_version),
        )


class ImportedOut(BaseModel):
    """What became of one strategy class of an import (or of a file no class could be read from)."""

    file: str
    status: Literal["stored", "unchanged", "refused"]
    strategy: str | None = Field(description="The class name, which is the strategy's name")
    strategy_id: str | None
    version: int | None = Field(description="The version stored, or the unchanged newest one")
    parameters: bool = Field(description="Whether Freqtrade's parameter file came with it")
    reasons: list[str] = Field(description="Why it was refused (the screen's findings), or what was not kept")

    @classmethod
    def of(cls, outcome: ImportOutcome) -> ImportedOut:
        return cls.model_validate(attrs.asdict(outcome) | {"reasons": list(outcome.reasons)})


class ImportReportOut(BaseModel):
    items: list[ImportedOut]
    stored: int
    unchanged: int
    refused: int

    @classmethod
    def of(cls, outcomes: Sequence[ImportOutcome]) -> ImportReportOut:
        counts = Counter(o.status for o in outcomes)
        return cls(
            items=[ImportedOut.of(o) for o in outcomes],
            stored=counts[ImportStatus.STORED],
            unchanged=counts[ImportStatus.UNCHANGED],
            refused=counts[ImportStatus.REFUSED],
        )
