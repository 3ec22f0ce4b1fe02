"""
Market-data downloads in a runtime's container rather than on the worker's host.

`FreqtradeDownloader` hands a `CommandRunner` whole command lines (`<python> -m freqtrade
download-data ...`, `<python> -c <capture script> ...`). The capture is not a Freqtrade command, so
the runtime must run an arbitrary command in its runner image: `CommandRuntime.start_command`.
"""

from __future__ import annotations

import uuid
from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import attrs

from gentrade_adapters.marketdata.downloader import CommandResult
from gentrade_core.ports.runtime import Limits, RunHandle, RunSpec, Runtime

DOWNLOAD_KIND = "download"


class CommandRuntime(Runtime, Protocol):
    @abstractmethod
    def start_command(self, spec: RunSpec, command: Sequence[str]) -> RunHandle:
        """Run `command` (its first item found on the image's PATH) instead of the launcher."""


@attrs.frozen
class RuntimeCommandRunner:
    """
    A `CommandRunner` that runs each command in a networked run of `runtime`, with only
    `cache_dir` (the shared candle cache the downloader writes into) mounted, read-write.
    The command's interpreter is replaced by the image's `python`; paths under `cache_dir` are
    remapped by the runtime.
    """

    runtime: CommandRuntime
    cache_dir: Path
    timeout: float = 3600
    limits: Limits = attrs.field(factory=Limits)

    def __call__(self, args: Sequence[str]) -> CommandResult:
        spec = RunSpec(
            name=f"gentrade-{DOWNLOAD_KIND}-{uuid.uuid4().hex[:12]}",
            args=(),
            workdir=str(self.cache_dir),
            network=True,
            limits=self.limits,
            labels={"gentrade.job.kind": DOWNLOAD_KIND},
        )
        handle = self.runtime.start_command(spec, ["python", *args[1:]])
        try:
            code = handle.wait(self.timeout)
            if code is None:
                handle.cancel()
            output = "\n".join(handle.logs())
        finally:
            handle.cleanup()
        if code is None:
            return CommandResult(-1, f"{output}\ntimed out after {self.timeout:.0f} s")
        return CommandResult(code, output)
