"""
Job rows to aggregates and back. Value objects are stored as JSON (attrs.asdict, pydantic
model_dump) and rebuilt, and so re-validated, on the way out.
"""

from __future__ import annotations

from typing import Any

import attrs

from gentrade_adapters.sql.rows import BacktestRow, HyperoptRow
from gentrade_core.domain.backtest import Backtest, BacktestSummary
from gentrade_core.domain.hyperopt import Hyperopt, HyperoptEpoch
from gentrade_core.domain.job import JobStatus
from gentrade_core.domain.requests import BacktestRequest, HyperoptRequest

JobRow = BacktestRow | HyperoptRow


def _asdict(value: Any) -> dict[str, Any] | None:
    return None if value is None else attrs.asdict(value)


def _write_common(row: JobRow, job: Backtest | Hyperopt) -> None:
    row.id = job.id
    row.owner_id = job.owner_id
    row.strategy_id = job.strategy_id
    row.strategy_version = job.strategy_version
    row.status = job.status.value
    row.request = job.request.model_dump(mode="json") if job.request else None
    row.created_at = job.created_at
    row.updated_at = job.updated_at
    row.started_at = job.started_at
    row.finished_at = job.finished_at
    row.heartbeat_at = job.heartbeat_at
    row.attempts = job.attempts
    row.error = job.error
    row.log_tail = list(job.log_tail)
    row.cancel_requested = job.cancel_requested


def write_backtest(row: BacktestRow, job: Backtest) -> None:
    _write_common(row, job)
    row.summary = _asdict(job.summary)


def write_hyperopt(row: HyperoptRow, job: Hyperopt) -> None:
    _write_common(row, job)
    row.epochs_done = job.epochs_done
    row.best = _asdict(job.best)


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
        request=None if row.request is None else BacktestRequest.model_validate(row.request),
        summary=None if row.summary is None else BacktestSummary(**row.summary),
    )


def to_hyperopt(row: HyperoptRow) -> Hyperopt:
    return Hyperopt(
        **_common(row),
        request=None if row.request is None else HyperoptRequest.model_validate(row.request),
        epochs_done=row.epochs_done,
        best=None if row.best is None else HyperoptEpoch(**row.best),
    )
