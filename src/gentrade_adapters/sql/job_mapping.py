"""
Job rows to aggregates and back. Value objects are stored as JSON (attrs.asdict, pydantic
model_dump) and rebuilt, and so re-validated, on the way out.
"""

from __future__ import annotations

from typing import Any

import attrs

from gentrade_adapters.sql.rows import BacktestRow, HyperoptRow, StrategyCheckRow
from gentrade_core.domain.backtest import Backtest, BacktestSummary
from gentrade_core.domain.hyperopt import Hyperopt, HyperoptEpoch
from gentrade_core.domain.job import JobStatus
from gentrade_core.domain.requests import BacktestRequest, HyperoptRequest
from gentrade_core.domain.strategy_check import StrategyCheck, StrategyFacts

JobRow = BacktestRow | HyperoptRow | StrategyCheckRow


def _asdict(value: Any) -> dict[str, Any] | None:
    return None if value is None else attrs.asdict(value)


def _common_columns(job: Backtest | Hyperopt | StrategyCheck) -> dict[str, Any]:
    return {
        "id": job.id,
        "owner_id": job.owner_id,
        "strategy_id": job.strategy_id,
        "strategy_version": job.strategy_version,
        "status": job.status.value,
        "request": job.request.as_stored() if not isinstance(job, StrategyCheck) and job.request else None,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
        "attempts": job.attempts,
        "error": job.error,
        "log_tail": list(job.log_tail),
        "cancel_requested": job.cancel_requested,
    }


def backtest_columns(job: Backtest) -> dict[str, Any]:
    """Every column but `version`, which the repository owns."""
    return _common_columns(job) | {"summary": _asdict(job.summary)}


def hyperopt_columns(job: Hyperopt) -> dict[str, Any]:
    return _common_columns(job) | {"epochs_done": job.epochs_done, "best": _asdict(job.best)}


def check_columns(job: StrategyCheck) -> dict[str, Any]:
    return _common_columns(job) | {"facts": job.facts.as_report() if job.facts else None}


def _common(row: JobRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "owner_id": row.owner_id,
        "strategy_id": row.strategy_id,
        "strategy_version": row.strategy_version,
        "status": JobStatus(row.status),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "heartbeat_at": row.heartbeat_at,
        "attempts": row.attempts,
        "error": row.error,
        "log_tail": list(row.log_tail),
        "cancel_requested": row.cancel_requested,
        "version": row.version,
    }


def to_backtest(row: BacktestRow) -> Backtest:
    return Backtest(
        **_common(row),
        request=None if row.request is None else BacktestRequest.from_stored(row.request),
        summary=None if row.summary is None else BacktestSummary(**row.summary),
    )


def to_hyperopt(row: HyperoptRow) -> Hyperopt:
    return Hyperopt(
        **_common(row),
        request=None if row.request is None else HyperoptRequest.from_stored(row.request),
        epochs_done=row.epochs_done,
        best=None if row.best is None else HyperoptEpoch(**row.best),
    )


def to_check(row: StrategyCheckRow) -> StrategyCheck:
    return StrategyCheck(
        **_common(row), facts=None if row.facts is None else StrategyFacts.from_report(row.facts)
    )
