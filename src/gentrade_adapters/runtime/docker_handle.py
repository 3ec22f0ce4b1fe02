"""
A run as a container. Two threads follow it through the Docker CLI: one reads `docker logs
--follow` into a buffer (so nothing waits on an unread pipe), one blocks in `docker wait` for the
exit code. The container stays until `cleanup()`, so its logs and exit code outlive the run.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import cast

from python_on_whales import DockerClient
from python_on_whales.exceptions import DockerException

from gentrade_core.ports.runtime import RunHandle, RunState

LOST_EXIT_CODE = 255
"""The exit code could not be read (the container vanished, the daemon went away)."""
CANCEL_WAIT_SECONDS = 4.0
"""How long a cancel waits for the killed container to be reported as stopped."""


class DockerRunHandle(RunHandle):
    def __init__(self, client: DockerClient, container_id: str) -> None:
        self._client = client
        self._id = container_id
        self._lines: deque[str] = deque()
        self._output_ended = False
        self._exit_code: int | None = None
        self._cancelled = False
        self._changed = threading.Condition()
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
                with self._changed:
                    self._lines.append(chunk.decode("utf-8", "replace").rstrip("\r\n"))
                    self._changed.notify_all()
        except DockerException:
            pass  # removed while followed; whatever was written has been read
        finally:
            with self._changed:
                self._output_ended = True
                self._changed.notify_all()

    def _wait(self) -> None:
        try:
            code = self._client.container.wait(self._id)
        except DockerException:
            code = LOST_EXIT_CODE
        with self._changed:
            self._exit_code = code if isinstance(code, int) else LOST_EXIT_CODE
            self._changed.notify_all()

    def logs(self) -> Iterator[str]:
        """Lines not yet taken by any caller, as they arrive, until the output ends."""
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._lines or self._output_ended)
                if not self._lines:
                    return
                line = self._lines.popleft()
            yield line

    def wait(self, timeout: float | None = None) -> int | None:
        with self._changed:
            self._changed.wait_for(lambda: self._exit_code is not None, timeout)
            return self._exit_code

    def state(self) -> RunState:
        with self._changed:
            if self._cancelled:
                return RunState.CANCELLED
            if self._exit_code is None:
                return RunState.RUNNING
            return RunState.SUCCEEDED if self._exit_code == 0 else RunState.FAILED

    def cancel(self) -> None:
        """SIGKILL: the container's init dies and takes every process of the run with it."""
        with self._changed:
            if self._exit_code is not None:
                return
            self._cancelled = True
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
