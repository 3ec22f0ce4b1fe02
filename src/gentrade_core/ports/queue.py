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

    def connect(self) -> None:
        """
        Make the connections the first `enqueue` would, ahead of it; raises `QueueUnavailable`
        if the broker cannot be reached (a later `enqueue` tries again). Nothing to do by default.
        """

    @abstractmethod
    def close(self) -> None:
        """Stop taking work and release workers and connections."""
