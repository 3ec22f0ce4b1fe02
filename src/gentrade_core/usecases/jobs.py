"""Submit, read, cancel and delete backtests and hyperopts (the API side of a job)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar

import attrs

from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest, DataSource, HyperoptRequest
from gentrade_core.domain.strategy_check import StrategyCheck
from gentrade_core.errors import Conflict, NotFound, Unavailable, ValidationFailed
from gentrade_core.freqtrade import layout
from gentrade_core.ports.clock import Clock, IdGenerator
from gentrade_core.ports.queue import JobQueue, QueueUnavailable
from gentrade_core.ports.repositories import ConcurrentUpdate, JobRepository, Page, UnitOfWork
from gentrade_core.ports.storage import ArtifactInfo, ArtifactNotFound, ArtifactStore
from gentrade_core.usecases.access import owned

J = TypeVar("J", Backtest, Hyperopt)
_CAS_TRIES = 5
R = TypeVar("R", BacktestRequest, HyperoptRequest)


def repository(
    uow: UnitOfWork, kind: JobKind
) -> JobRepository[Backtest] | JobRepository[Hyperopt] | JobRepository[StrategyCheck]:
    match kind:
        case JobKind.BACKTEST:
            return uow.backtests
        case JobKind.HYPEROPT:
            return uow.hyperopts
        case JobKind.CHECK:
            return uow.checks


@attrs.define
class Jobs(Generic[J, R]):
    """The use cases every kind of job shares; subclasses name the kind."""

    kind: ClassVar[JobKind]
    make: ClassVar[Callable[..., Backtest | Hyperopt]]

    uow: Callable[[], UnitOfWork]
    queue: JobQueue
    artifacts: ArtifactStore
    clock: Clock
    ids: IdGenerator
    default_source: DataSource = DataSource.SYNTHETIC

    def _repo(self, uow: UnitOfWork) -> JobRepository[J]:
        return repository(uow, self.kind)  # type: ignore[return-value]

    def submit(self, principal: Principal, request: R) -> J:
        """Store a queued job and hand its id to the queue; nothing is stored if the queue is down."""
        if request.data_source is None:
            request = request.model_copy(update={"data_source": self.default_source})
        start = request.timerange_value.start
        if start is not None and start >= self.clock.now():
            raise ValidationFailed.single(
                "timerange", f"starts on {start:%Y-%m-%d}, in the future: there are no candles for it yet"
            )
        with self.uow() as uow:
            strategy = owned(
                principal, uow.strategies.get_ref(request.strategy_id), "strategy", request.strategy_id
            )
            try:
                version = strategy.version_number(request.strategy_version)
            except NotFound:
                raise ValidationFailed.single(
                    "strategy_version",
                    f"strategy {strategy.name!r} has no version {request.strategy_version}",
                ) from None
            job: J = self.make(  # type: ignore[assignment]
                id=self.ids.new_id(),
                owner_id=principal.user_id,
                created_at=self.clock.now(),
                strategy_id=strategy.id,
                strategy_version=version,
                request=request,
            )
            self._repo(uow).add(job)
            uow.commit()
        try:
            self.queue.enqueue(self.kind, job.id)
        except QueueUnavailable as e:
            self._forget(job.id)
            raise Unavailable(f"the job queue is unavailable, nothing was stored: {e}") from e
        return job

    def _forget(self, job_id: str) -> None:
        with self.uow() as uow:
            self._repo(uow).delete(job_id)
            uow.commit()

    def get(self, principal: Principal, job_id: str) -> J:
        with self.uow() as uow:
            return owned(principal, self._repo(uow).get(job_id), self.kind.value, job_id)

    def list(
        self,
        principal: Principal,
        strategy_id: str | None = None,
        status: JobStatus | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page[J]:
        with self.uow() as uow:
            return self._repo(uow).list(principal.user_id, strategy_id, status, offset, limit)

    def cancel(self, principal: Principal, job_id: str) -> J:
        """A queued job is cancelled at once; an active one when its worker sees the request."""
        for _ in range(_CAS_TRIES - 1):
            try:
                return self._cancel(principal, job_id)
            except ConcurrentUpdate:
                continue  # the worker saved a heartbeat in between; decide again on fresh state
        return self._cancel(principal, job_id)

    def _cancel(self, principal: Principal, job_id: str) -> J:
        with self.uow() as uow:
            job = owned(principal, self._repo(uow).get(job_id), self.kind.value, job_id)
            if job.status.is_terminal:
                raise Conflict(f"{self.kind.value} {job_id!r} already ended ({job.status.value})")
            job.request_cancel(self.clock.now())
            self._repo(uow).save(job)
            uow.commit()
            return job

    def delete(self, principal: Principal, job_id: str) -> None:
        with self.uow() as uow:
            job = owned(principal, self._repo(uow).get(job_id), self.kind.value, job_id)
            if not job.status.is_terminal:
                raise Conflict(f"{self.kind.value} {job_id!r} is {job.status.value}; cancel it first")
            self._repo(uow).delete(job_id)
            uow.commit()
        self.artifacts.delete(job_id)

    def logs(self, principal: Principal, job_id: str) -> str:
        job = self.get(principal, job_id)
        try:
            return self.artifacts.read(job_id, layout.LOG).decode("utf-8", "replace")
        except ArtifactNotFound:
            return "\n".join(job.log_tail)

    def artifact_list(self, principal: Principal, job_id: str) -> Sequence[ArtifactInfo]:
        self.get(principal, job_id)
        return self.artifacts.list(job_id)

    def artifact(self, principal: Principal, job_id: str, name: str) -> bytes:
        self.get(principal, job_id)
        if name not in {a.name for a in self.artifacts.list(job_id)}:
            raise NotFound("artifact", name)
        return self.artifacts.read(job_id, name)


@attrs.define
class Hyperopts(Jobs[Hyperopt, HyperoptRequest]):
    kind: ClassVar[JobKind] = JobKind.HYPEROPT
    make: ClassVar[Callable[..., Backtest | Hyperopt]] = Hyperopt
