"""Backtest and hyperopt endpoints: the same shape, two kinds of job."""

from __future__ import annotations

from typing import Any, ClassVar

from litestar import Controller, MediaType, Response, delete, get, post
from litestar.params import Parameter

from gentrade_app.bootstrap import Services
from gentrade_app.http.openapi import AUTHENTICATED, BEARER, BODY, ID_IN_PATH, errors
from gentrade_app.http.paging import LIMIT, OFFSET
from gentrade_app.http.views import Accepted, ArtifactOut, JobOut, PageOut, TradeOut
from gentrade_core.domain.job import JobStatus
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import ID_PATTERN, BacktestRequest, HyperoptRequest
from gentrade_core.usecases.jobs import Jobs

JOB_ID = Parameter(pattern=ID_PATTERN, description="The job's id")
STRATEGY_FILTER = Parameter(default=None, pattern=ID_PATTERN, description="Only this strategy's jobs")
ON_ID = errors(AUTHENTICATED, ID_IN_PATH)
ON_ID_OR_STATE = errors(AUTHENTICATED, ID_IN_PATH, 409)


class _JobController(Controller):
    """Routes every kind shares; subclasses set `kind_attr` and add the typed POST."""

    kind_attr: ClassVar[str]
    security = BEARER

    def jobs(self, services: Services) -> Jobs[Any, Any]:
        return getattr(services, self.kind_attr)

    @get("/", sync_to_thread=True, responses=errors(AUTHENTICATED, 422))
    def list_jobs(
        self,
        services: Services,
        principal: Principal,
        strategy_id: str | None = STRATEGY_FILTER,
        status: JobStatus | None = None,
        offset: int = OFFSET,
        limit: int = LIMIT,
    ) -> PageOut[JobOut]:
        page = self.jobs(services).list(principal, strategy_id, status, offset, limit)
        return PageOut.of(page, JobOut.of)

    @get("/{job_id:str}", sync_to_thread=True, responses=ON_ID)
    def get_job(self, services: Services, principal: Principal, job_id: str = JOB_ID) -> JobOut:
        return JobOut.of(self.jobs(services).get(principal, job_id))

    @post("/{job_id:str}/cancel", sync_to_thread=True, status_code=202, responses=ON_ID_OR_STATE)
    def cancel(self, services: Services, principal: Principal, job_id: str = JOB_ID) -> JobOut:
        return JobOut.of(self.jobs(services).cancel(principal, job_id))

    @delete("/{job_id:str}", sync_to_thread=True, responses=ON_ID_OR_STATE)
    def remove(self, services: Services, principal: Principal, job_id: str = JOB_ID) -> None:
        self.jobs(services).delete(principal, job_id)

    @get("/{job_id:str}/logs", sync_to_thread=True, media_type=MediaType.TEXT, responses=ON_ID)
    def logs(self, services: Services, principal: Principal, job_id: str = JOB_ID) -> str:
        """Freqtrade's output so far, as plain text."""
        return self.jobs(services).logs(principal, job_id)

    @get("/{job_id:str}/artifacts", sync_to_thread=True, responses=ON_ID)
    def artifacts(self, services: Services, principal: Principal, job_id: str = JOB_ID) -> list[ArtifactOut]:
        listed = self.jobs(services).artifact_list(principal, job_id)
        return [ArtifactOut(name=a.name, size=a.size) for a in listed]

    @get(
        "/{job_id:str}/artifacts/{name:path}",
        sync_to_thread=True,
        media_type="application/octet-stream",  # a download, whatever the file holds
        responses=ON_ID,
    )
    def artifact(
        self, name: str, services: Services, principal: Principal, job_id: str = JOB_ID
    ) -> Response[bytes]:
        name = name.lstrip("/")
        data = self.jobs(services).artifact(principal, job_id, name)
        filename = name.rsplit("/", 1)[-1].replace('"', "")
        return Response(data, headers={"content-disposition": f'attachment; filename="{filename}"'})


class BacktestController(_JobController):
    path = "/api/v1/backtests"
    tags = ["backtests"]
    kind_attr = "backtests"

    @post("/", sync_to_thread=True, status_code=202, responses=errors(AUTHENTICATED, BODY, 403, 404))
    def submit(self, data: BacktestRequest, services: Services, principal: Principal) -> Accepted:
        job = services.backtests.submit(principal, data)
        return Accepted(id=job.id, status=job.status.value)

    @get("/{job_id:str}/trades", sync_to_thread=True, responses=ON_ID)
    def trades(
        self,
        services: Services,
        principal: Principal,
        job_id: str = JOB_ID,
        offset: int = OFFSET,
        limit: int = LIMIT,
    ) -> PageOut[TradeOut]:
        return PageOut.of(services.backtests.trades(principal, job_id, offset, limit), TradeOut.of)


class HyperoptController(_JobController):
    path = "/api/v1/hyperopts"
    tags = ["hyperopts"]
    kind_attr = "hyperopts"

    @post("/", sync_to_thread=True, status_code=202, responses=errors(AUTHENTICATED, BODY, 403, 404))
    def submit(self, data: HyperoptRequest, services: Services, principal: Principal) -> Accepted:
        job = services.hyperopts.submit(principal, data)
        return Accepted(id=job.id, status=job.status.value)
