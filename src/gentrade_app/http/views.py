"""What the API returns about jobs, and pages: pydantic views (they also shape the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs
from pydantic import BaseModel

from gentrade_core.domain.backtest import Backtest, TradeRecord
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.ports.repositories import Page

T = TypeVar("T")


class ArtifactOut(BaseModel):
    name: str
    size: int


class Accepted(BaseModel):
    id: str
    status: str


class JobOut(BaseModel):
    id: str
    kind: str
    status: str
    strategy_id: str
    strategy_version: int
    request: dict[str, Any]
    created_at: datetime
    updated_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    error: str | None
    cancel_requested: bool
    summary: dict[str, Any] | None = None
    progress: float | None = None
    epochs_done: int | None = None
    best: dict[str, Any] | None = None

    @classmethod
    def of(cls, job: Backtest | Hyperopt) -> JobOut:
        common = _common(job)
        if isinstance(job, Hyperopt):
            best = attrs.asdict(job.best) if job.best else None
            return cls(**common, progress=job.progress, epochs_done=job.epochs_done, best=best)
        return cls(**common, summary=attrs.asdict(job.summary) if job.summary else None)


def _common(job: Backtest | Hyperopt) -> dict[str, Any]:
    return dict(
        id=job.id,
        kind=job.kind.value,
        status=job.status.value,
        strategy_id=job.strategy_id,
        strategy_version=job.strategy_version,
        request=job.request.as_stored() if job.request else {},
        created_at=job.created_at,
        updated_at=job.updated_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        attempts=job.attempts,
        error=job.error,
        cancel_requested=job.cancel_requested,
    )


class TradeOut(BaseModel):
    """A closed trade of a backtest; ratios are fractions."""

    pair: str
    open_date: str
    close_date: str | None
    open_rate: float
    close_rate: float | None
    amount: float
    stake_amount: float
    profit_abs: float
    profit_ratio: float
    exit_reason: str | None
    is_short: bool

    @classmethod
    def of(cls, trade: TradeRecord) -> TradeOut:
        return cls(**attrs.asdict(trade))


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int

    @classmethod
    def of(cls, page: Page[Any], convert: Any) -> PageOut[T]:
        return cls(
            items=[convert(i) for i in page.items], total=page.total, offset=page.offset, limit=page.limit
        )
