"""Backtest and hyperopt endpoints: the same shape, two kinds of job."""

from __future__ import annotations

import mimetypes
from typing import Any, ClassVar

from litestar import Controller, Response, delete, get, post
from litestar.params import Parameter

from gentrade_app.bootstrap import Services
from gentrade_app.http.views import Accepted, JobOut, PageOut, TradeOut
from gentrade_core.domain.job import JobStatus
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest, HyperoptRequest
from gentrade_core.usecases.jobs import Jobs

PAGE_LIMIT = Parameter(default=50, ge=1, le=500)


class _JobController(Controller):
    """Routes every kind shares; subclasses set `kind_attr` and add the typed POST."""

    kind_attr: ClassVar[str]

    def jobs(self, services: Services) -> Jobs[Any, Any]:
        return getattr(services, self.kind_attr)

    @get("/", sync_to_thread=True)
    def list_jobs(
        self,
        services: Services,
        principal: Principal,
        strategy_id: str | None = None,
        status: JobStatus | None = None,
        offset: int = Parameter(default=0, ge=0),
        limit: int = PAGE_LIMIT,
    ) -> PageOut[JobOut]:
        page = self.jobs(services).list(principal, strategy_id, status, offset, limit)
        return PageOut.of(page, JobOut.of)

    @get("/{job_id:str}", sync_to_thread=True)
    def get_job(self, job_id: str, services: Services, principal: Principal) -> JobOut:
        return JobOut.of(self.jobs(services).get(principal, job_id))

    @post("/{job_id:str}/cancel", sync_to_thread=True, status_code=202)
    def cancel(self, job_id: str, services: Services, principal: Principal) -> JobOut:
        return JobOut.of(self.jobs(services).cancel(principal, job_id))

    @delete("/{job_id:str}", sync_to_thread=True)
    def remove(self, job_id: str, services: Services, principal: Principal) -> None:
        self.jobs(services).delete(principal, job_id)

    @get("/{job_id:str}/logs", sync_to_thread=True)
    def logs(self, job_id: str, services: Services, principal: Principal) -> Response[str]:
        return Response(self.jobs(services).logs(principal, job_id), media_type="text/plain")

    @get("/{job_id:str}/artifacts", sync_to_thread=True)
    def artifacts(self, job_id: str, services: Services, principal: Principal) -> list[dict[str, Any]]:
        return [
            {"name": a.name, "size": a.size} for a in self.jobs(services).artifact_list(principal, job_id)
        ]

    @get("/{job_id:str}/artifacts/{name:path}", sync_to_thread=True)
    def artifact(self, job_id: str, name: str, services: Services, principal: Principal) -> Response[bytes]:
        name = name.lstrip("/")
        data = self.jobs(services).artifact(principal, job_id, name)
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        filename = name.rsplit("/", 1)[-1]
        return Response(
            data, media_type=media_type, headers={"content-disposition": f'attachment; filename="{filename}"'}
        )


class BacktestController(_JobController):
    path = "/api/v1/backtests"
    tags = ["backtests"]
    kind_attr = "backtests"

    @post("/", sync_to_thread=True, status_code=202)
    def submit(self, data: BacktestRequest, services: Services, principal: Principal) -> Accepted:
        job = services.backtests.submit(principal, data)
        return Accepted(id=job.id, status=job.status.value)

    @get("/{job_id:str}/trades", sync_to_thread=True)
    def trades(
        self,
        job_id: str,
        services: Services,
        principal: Principal,
        offset: int = Parameter(default=0, ge=0),
        limit: int = PAGE_LIMIT,
    ) -> PageOut[TradeOut]:
        return PageOut.of(services.backtests.trades(principal, job_id, offset, limit), TradeOut.of)


class HyperoptController(_JobController):
    path = "/api/v1/hyperopts"
    tags = ["hyperopts"]
    kind_attr = "hyperopts"

    @post("/", sync_to_thread=True, status_code=202)
    def submit(self, data: HyperoptRequest, services: Services, principal: Principal) -> Accepted:
        job = services.hyperopts.submit(principal, data)
        return Accepted(id=job.id, status=job.status.value)
