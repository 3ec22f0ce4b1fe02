"""The Hyperopt aggregate: progress while it runs, the best epoch after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from gentrade_core.domain.job import Job, JobKind, JobStatus
from gentrade_core.domain.requests import HyperoptRequest


@attrs.frozen
class HyperoptEpoch:
    """One evaluated epoch; `profit` is total profit as a fraction."""

    epoch: int
    loss: float
    profit: float
    profit_abs: float
    total_trades: int
    params: dict[str, Any]
    is_best: bool = False


@attrs.define
class Hyperopt(Job):
    strategy_id: str = ""
    strategy_version: int = 1
    request: HyperoptRequest | None = None
    epochs_done: int = 0
    best: HyperoptEpoch | None = None
    kind: JobKind = attrs.field(init=False, default=JobKind.HYPEROPT)

    @property
    def progress(self) -> float:
        if self.status is JobStatus.FINISHED:
            return 100.0
        total = self.request.epochs if self.request else 0
        return round(min(100.0, 100.0 * self.epochs_done / total), 1) if total else 0.0

    def record_progress(self, epochs_done: int, best: HyperoptEpoch | None) -> None:
        self.epochs_done = max(self.epochs_done, epochs_done)
        if best is not None:
            self.best = best

    def finish(self, epochs_done: int, best: HyperoptEpoch | None, at: datetime) -> None:
        self._move(JobStatus.FINISHED, at)
        self.record_progress(epochs_done, best)
