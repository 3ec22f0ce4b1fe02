"""Backtest use cases: the shared job ones plus reading the trades of a finished run."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import attrs

from gentrade_core.domain.backtest import Backtest, TradeRecord
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest
from gentrade_core.errors import Conflict
from gentrade_core.ports.repositories import Page
from gentrade_core.usecases.backtest_result import load_backtest_result
from gentrade_core.usecases.jobs import Jobs


@attrs.define
class Backtests(Jobs[Backtest, BacktestRequest]):
    kind: ClassVar[JobKind] = JobKind.BACKTEST
    make: ClassVar[Callable[..., Backtest | Hyperopt]] = Backtest

    def trades(
        self, principal: Principal, job_id: str, offset: int = 0, limit: int = 100
    ) -> Page[TradeRecord]:
        """The trades of a finished backtest, read from Freqtrade's own result file."""
        job = self.get(principal, job_id)
        if job.status is not JobStatus.FINISHED:
            raise Conflict(f"backtest {job_id!r} is {job.status.value}; trades exist once it has finished")
        _, trades = load_backtest_result(self.artifacts, job_id)
        return Page(items=trades[offset : offset + limit], total=len(trades), offset=offset, limit=limit)
