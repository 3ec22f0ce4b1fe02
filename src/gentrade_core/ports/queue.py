from __future__ import annotations

from abc import abstractmethod
from typing import Protocol

from gentrade_core.domain.job import JobKind


class QueueUnavailable(Exception):
    """The broker cannot take the message right now."""


class JobQueue(Protocol):
    """Carries job ids to workers; the job itself lives in the repository."""

    @abstractmethod
    def enqueue(self, kind: JobKind, job_id: str) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Stop taking work and release workers and connections."""
