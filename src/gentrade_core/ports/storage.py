"""Files: each job's artifacts and each user's Freqtrade workspace."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Protocol

import attrs


class ArtifactNotFound(Exception):
    pass


@attrs.frozen
class ArtifactInfo:
    name: str
    size: int


class ArtifactStore(Protocol):
    """A directory per job holding its inputs (config, strategy, markets) and Freqtrade's outputs."""

    @abstractmethod
    def job_dir(self, job_id: str) -> str:
        """A local directory for the job, created if missing; runtimes run Freqtrade in it."""

    @abstractmethod
    def write(self, job_id: str, name: str, data: bytes) -> None:
        """Write a file atomically (no reader ever sees half of it)."""

    @abstractmethod
    def read(self, job_id: str, name: str, offset: int = 0) -> bytes:
        """The file's bytes from `offset` on (to follow a file that grows)."""

    @abstractmethod
    def append(self, job_id: str, name: str, data: bytes) -> None: ...

    @abstractmethod
    def list(self, job_id: str) -> Sequence[ArtifactInfo]:
        """Every file of the job, by its path relative to the job directory."""

    @abstractmethod
    def delete(self, job_id: str) -> None: ...


class WorkspaceStore(Protocol):
    """Each user's Freqtrade `user_data/` directory."""

    @abstractmethod
    def ensure(self, owner_id: str) -> str:
        """Create the user's `user_data/` tree if missing and return its path."""

    @abstractmethod
    def write_strategy(self, owner_id: str, name: str, code: str) -> None: ...

    @abstractmethod
    def remove_strategy(self, owner_id: str, name: str) -> None: ...

    @abstractmethod
    def remove(self, owner_id: str) -> None: ...
