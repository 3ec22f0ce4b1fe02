"""Repositories (one per aggregate) and the unit of work that commits them together."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar

import attrs

from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.job import Job, JobStatus
from gentrade_core.domain.strategy import Strategy, StrategyRef
from gentrade_core.domain.strategy_check import StrategyCheck
from gentrade_core.domain.workspace import UserWorkspace

T = TypeVar("T")
J = TypeVar("J", bound=Job)


class RepositoryError(Exception):
    """The store failed for a reason that is not the caller's input."""


class DuplicateError(RepositoryError):
    """A uniqueness rule of the store was broken (e.g. two strategies of one owner with one name)."""


class ConcurrentUpdate(RepositoryError):
    """Someone saved the record after this copy was loaded; reload it and decide again."""


class StoreUnavailable(RepositoryError):
    """The database cannot be reached."""


@attrs.frozen
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    offset: int
    limit: int


class StrategyRepository(Protocol):
    @abstractmethod
    def add(self, strategy: Strategy) -> None: ...

    @abstractmethod
    def get(self, strategy_id: str) -> Strategy | None: ...

    @abstractmethod
    def get_ref(self, strategy_id: str) -> StrategyRef | None:
        """Owner, name and newest version number, without loading any version's code."""

    @abstractmethod
    def get_by_name(self, owner_id: str, name: str) -> Strategy | None: ...

    @abstractmethod
    def list(self, owner_id: str, offset: int = 0, limit: int = 50) -> Page[Strategy]: ...

    @abstractmethod
    def save(self, strategy: Strategy) -> None:
        """Persist changed fields and any versions added since it was loaded."""

    @abstractmethod
    def delete(self, strategy_id: str) -> None: ...


class JobRepository(Protocol[J]):
    @abstractmethod
    def add(self, job: J) -> None:
        """Store a new job; its version becomes 1."""

    @abstractmethod
    def get(self, job_id: str) -> J | None: ...

    @abstractmethod
    def save(self, job: J) -> None:
        """
        Store the job if nobody saved it since `job.version` was read, and bump the version;
        otherwise raise `ConcurrentUpdate`. This is what makes a claim, a requeue or an ending
        happen once even with several workers and reapers.
        """

    @abstractmethod
    def delete(self, job_id: str) -> None: ...

    @abstractmethod
    def list(
        self,
        owner_id: str,
        strategy_id: str | None = None,
        status: JobStatus | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page[J]:
        """Newest first."""

    @abstractmethod
    def count_for_strategy(self, strategy_id: str) -> int: ...

    @abstractmethod
    def waiting_since(self, before: datetime) -> Sequence[J]:
        """Queued jobs last touched (created, requeued or re-sent) before `before`, oldest first."""

    @abstractmethod
    def stale(self, heartbeat_before: datetime) -> Sequence[J]:
        """Active jobs whose last heartbeat is older than `heartbeat_before`."""


class CheckRepository(JobRepository[StrategyCheck], Protocol):
    """Strategy checks: jobs too, also read by strategy, and removed with it."""

    @abstractmethod
    def for_versions(self, versions: Sequence[tuple[str, int]]) -> Sequence[StrategyCheck]:
        """Every check of these (strategy id, version number)s, any owner (the caller checked ownership)."""

    @abstractmethod
    def delete_for_strategy(self, strategy_id: str) -> Sequence[str]:
        """Remove the strategy's checks; returns their ids (their artifacts go too)."""


class WorkspaceRepository(Protocol):
    @abstractmethod
    def add(self, workspace: UserWorkspace) -> None: ...

    @abstractmethod
    def get(self, owner_id: str) -> UserWorkspace | None: ...

    @abstractmethod
    def delete(self, owner_id: str) -> None: ...


class UnitOfWork(Protocol):
    """
    One transaction over every repository. Leaving the `with` block without `commit()` rolls back.
    """

    strategies: StrategyRepository
    backtests: JobRepository[Backtest]
    hyperopts: JobRepository[Hyperopt]
    checks: CheckRepository
    workspaces: WorkspaceRepository

    @abstractmethod
    def __enter__(self) -> Self: ...

    @abstractmethod
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...
