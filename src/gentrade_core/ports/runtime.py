"""
Where Freqtrade runs: a local process, a container or a Kubernetes Job.

A `RunSpec` says what to run in terms every runtime understands. Freqtrade is started with
`args` (everything after `freqtrade`) in `workdir`, the job's own directory; `data_dir` is the shared
candle cache, mounted read-only where the runtime isolates. Paths inside `args` are either relative
to `workdir` or start with `data_dir`, so an isolating runtime can remap both prefixes.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Protocol

import attrs


class RuntimeError_(Exception):
    """Base of the runtime port's errors."""


class RuntimeUnavailable(RuntimeError_):
    """The runtime cannot start work (daemon down, image missing, binary absent); says how to fix it."""


@attrs.frozen
class Limits:
    cpus: float | None = None
    memory_mb: int | None = None
    pids: int | None = None


@attrs.frozen
class RunSpec:
    name: str
    args: tuple[str, ...]
    workdir: str
    data_dir: str | None = None
    markets_file: str | None = None
    """A ccxt markets snapshot (JSON, relative to `workdir`) loaded instead of asking the exchange."""
    env: Mapping[str, str] = attrs.field(factory=dict[str, str])
    network: bool = False
    limits: Limits = Limits()
    labels: Mapping[str, str] = attrs.field(factory=dict[str, str])


class RunState(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class RunHandle(Protocol):
    @abstractmethod
    def state(self) -> RunState: ...

    @abstractmethod
    def logs(self) -> Iterator[str]:
        """Yield output lines as they are written, until the run ends."""

    @abstractmethod
    def wait(self, timeout: float | None = None) -> int | None:
        """The exit code, or None if still running after `timeout` seconds."""

    @abstractmethod
    def cancel(self) -> None:
        """Stop the run and everything it started."""

    @abstractmethod
    def cleanup(self) -> None:
        """Release what the run left behind (containers, pods); files in `workdir` stay."""


class Runtime(Protocol):
    @abstractmethod
    def start(self, spec: RunSpec) -> RunHandle: ...
