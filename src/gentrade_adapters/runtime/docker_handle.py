"""
A run as a container. Two threads follow it through the Docker CLI: one reads `docker logs
--follow` into a buffer (so nothing waits on an unread pipe), one blocks in `docker wait` for the
exit code. The container stays until `cleanup()`, so its logs and exit code outlive the run.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from typing import cast

from python_on_whales import DockerClient
from python_on_whales.exceptions import DockerException

from gentrade_adapters.runtime.output import RunOutput
from gentrade_core.ports.runtime import RunHandle, RunState

LOST_EXIT_CODE = 255
"""The exit code could not be read (the container vanished, the daemon went away)."""
CANCEL_WAIT_SECONDS = 4.0
"""How long a cancel waits for the killed container to be reported as stopped."""


class DockerRunHandle(RunHandle):
    def __init__(self, client: DockerClient, container_id: str) -> None:
        self._client = client
        self._id = container_id
        self._output = RunOutput()
        self._threads = [
            threading.Thread(target=self._read, name=f"docker-logs-{container_id[:12]}", daemon=True),
            threading.Thread(target=self._wait, name=f"docker-wait-{container_id[:12]}", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read(self) -> None:
        try:
            stream = self._client.container.logs(self._id, follow=True, stream=True)
            for _, chunk in cast("Iterable[tuple[str, bytes]]", stream):
                self._output.add_line(chunk.decode("utf-8", "replace").rstrip("\r\n"))
        except DockerException:
            pass  # removed while followed; whatever was written has been read
        finally:
            self._output.end_output()

    def _wait(self) -> None:
        try:
            code = self._client.container.wait(self._id)
        except DockerException:
            code = LOST_EXIT_CODE
        self._output.set_exit_code(code if isinstance(code, int) else LOST_EXIT_CODE)

    def logs(self) -> Iterator[str]:
        return self._output.lines()

    def wait(self, timeout: float | None = None) -> int | None:
        return self._output.wait_exit(timeout)

    def state(self) -> RunState:
        return self._output.state()

    def cancel(self) -> None:
        """SIGKILL: the container's init dies and takes every process of the run with it."""
        if not self._output.mark_cancelled():
            return
        with contextlib.suppress(DockerException):  # it may have stopped meanwhile
            self._client.container.kill(self._id)
        self.wait(CANCEL_WAIT_SECONDS)

    def cleanup(self) -> None:
        """Stop the run if it still goes, then remove the container; files in the job dir stay."""
        self.cancel()
        with contextlib.suppress(DockerException):  # already gone
            self._client.container.remove(self._id, force=True)
        for thread in self._threads:
            thread.join(timeout=CANCEL_WAIT_SECONDS)
