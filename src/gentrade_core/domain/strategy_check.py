"""
The load check of a strategy version: Freqtrade loads the class, and what it reports is kept.

A check is a job like a backtest (queued, run by a worker through the configured runtime, reaped,
retried), so creating a strategy stays fast. `LoadCheck` is what a strategy's page shows for one
version: pending while the job waits or runs, then passed with Freqtrade's facts or failed with its
reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from gentrade_core.domain.job import Job, JobKind, JobStatus


@attrs.frozen
class Parameter:
    """A hyperoptable parameter as Freqtrade detects it."""

    name: str
    kind: str
    default: Any
    optimize: bool = True


@attrs.frozen
class StrategyFacts:
    """What Freqtrade reports once it has loaded the class."""

    timeframe: str | None
    can_short: bool
    startup_candle_count: int
    minimal_roi: dict[str, float]
    stoploss: float
    parameters: dict[str, list[Parameter]]
    """Hyperoptable parameters by space (`buy`, `sell`, `protection`, ...)."""
    informative: list[tuple[str, str]]
    """(pair, timeframe) candles the strategy reads beyond a job's own, for a one-pair whitelist."""

    @classmethod
    def from_report(cls, report: Mapping[str, Any]) -> StrategyFacts:
        """Rebuild from the probe's JSON report (or the stored copy); ValueError if it is malformed."""
        try:
            parameters: Mapping[str, Sequence[Mapping[str, Any]]] = report["parameters"]
            return cls(
                timeframe=report["timeframe"],
                can_short=bool(report["can_short"]),
                startup_candle_count=int(report["startup_candle_count"]),
                minimal_roi={str(k): float(v) for k, v in report["minimal_roi"].items()},
                stoploss=float(report["stoploss"]),
                parameters={space: [Parameter(**p) for p in found] for space, found in parameters.items()},
                informative=[(str(pair), str(tf)) for pair, tf in report["informative"]],
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ValueError(f"malformed strategy report: {type(e).__name__}: {e}") from e

    def as_report(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.define
class StrategyCheck(Job):
    strategy_id: str = ""
    strategy_version: int = 1
    facts: StrategyFacts | None = None
    kind: JobKind = attrs.field(init=False, default=JobKind.CHECK)

    def finish(self, facts: StrategyFacts, at: datetime) -> None:
        self._move(JobStatus.FINISHED, at)
        self.facts = facts


class LoadStatus(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


@attrs.frozen
class LoadCheck:
    """The outcome of the newest check of one version, as a strategy's page shows it."""

    status: LoadStatus
    reason: str | None = None
    facts: StrategyFacts | None = None
    check_id: str | None = None
    checked_at: datetime | None = None

    @classmethod
    def of(cls, check: StrategyCheck) -> LoadCheck:
        if check.status is JobStatus.FINISHED:
            return cls(LoadStatus.PASSED, None, check.facts, check.id, check.finished_at)
        if check.status.is_terminal:
            reason = check.error if check.status is JobStatus.FAILED else "the check was cancelled"
            return cls(LoadStatus.FAILED, reason, None, check.id, check.finished_at)
        return cls(LoadStatus.PENDING, check_id=check.id)

    @property
    def done(self) -> bool:
        return self.status is not LoadStatus.PENDING


def newest_checks(checks: Sequence[StrategyCheck]) -> dict[tuple[str, int], StrategyCheck]:
    """The newest check of each (strategy, version) among `checks`."""
    newest: dict[tuple[str, int], StrategyCheck] = {}
    for check in sorted(checks, key=lambda c: (c.created_at, c.id)):
        newest[(check.strategy_id, check.strategy_version)] = check
    return newest
