"""
The fake kubelet: plays one pod's life on this host. Pending while its volumes or image are not
ready, then Running: the container command runs as a local process (the runner image's `python`
is this interpreter), its output is the pod log, its exit code makes the pod Succeeded or Failed.
Deleting the pod sends SIGTERM to the main process and SIGKILL to everything after the grace period.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from tests.k8s_fake.store import Obj, now
from tests.k8s_fake.volumes import VolumeNotReady, host_folders, path_mapper, remove_tree


class PodLog:
    """Everything the container wrote; followers get it from the start and then as it comes."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._closed = False
        self._changed = threading.Condition()

    def write(self, data: bytes) -> None:
        with self._changed:
            self._chunks.append(data)
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def read(self, follow: bool) -> Iterator[bytes]:
        index = 0
        while True:
            with self._changed:
                if follow:
                    self._changed.wait_for(lambda seen=index: seen < len(self._chunks) or self._closed)
                chunks = self._chunks[index:]
                done = self._closed or not follow
            index += len(chunks)
            yield from chunks
            if done and index >= len(self._chunks):
                return


StatusSink = Callable[[str, Obj], None]
"""Receives the pod's phase and its container status whenever they change."""


class FakeKubelet:
    def __init__(
        self,
        pod: Obj,
        config_maps: Callable[[str], Obj | None],
        claims: Mapping[str, str],
        images: set[str],
        report: StatusSink,
        pending_seconds: float,
    ) -> None:
        self.pod = pod
        self.log = PodLog()
        self.process: subprocess.Popen[bytes] | None = None
        # Short paths: a socket under the pod's TMPDIR must fit in AF_UNIX's 108 bytes (hyperopt's manager).
        self._scratch = Path(tempfile.mkdtemp(prefix="kubelet-"))
        self._config_maps, self._claims, self._images = config_maps, claims, images
        self._report = report
        self._pending_seconds = pending_seconds
        self._deleted = threading.Event()
        self._starting = threading.Lock()
        self.finished = threading.Event()
        self._container: Obj = pod["spec"]["containers"][0]
        self._thread = threading.Thread(
            target=self._live, name=f"kubelet-{pod['metadata']['name']}", daemon=True
        )
        self._thread.start()

    def _waiting(self, reason: str, message: str) -> None:
        self._report("Pending", {"waiting": {"reason": reason, "message": message}})

    def _live(self) -> None:
        self._waiting("ContainerCreating", "")
        if self._deleted.wait(self._pending_seconds):
            return self._end()
        if self._container["image"] not in self._images:
            self._waiting("ErrImagePull", f"pull access denied for {self._container['image']}: not found")
            self._deleted.wait()
            return self._end()
        while True:
            try:
                folders = host_folders(self.pod, self._scratch, self._config_maps, self._claims)
                break
            except VolumeNotReady as e:
                self._waiting("ContainerCreating", str(e))
                if self._deleted.wait(0.2):
                    return self._end()
        self._run(folders)
        self._end()

    def _run(self, folders: Mapping[str, str]) -> None:
        to_host = path_mapper(self._container, folders)
        command = [
            to_host(part) for part in [*self._container.get("command", []), *self._container.get("args", [])]
        ]
        if command[:1] == ["python"]:
            command[0] = sys.executable
        env = {
            "PATH": os.environ["PATH"],
            **{e["name"]: to_host(e.get("value", "")) for e in self._container.get("env", [])},
        }
        started = now()
        with self._starting:
            if self._deleted.is_set():
                return
            self.process = subprocess.Popen(
                command,
                cwd=to_host(self._container.get("workingDir", "/")),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._report("Running", {"running": {"startedAt": started}})
        assert self.process.stdout is not None
        while chunk := os.read(self.process.stdout.fileno(), 65536):
            self.log.write(chunk)
        code = self.process.wait()
        self._kill_group()  # the container's end ends every process in it
        exit_code = 128 - code if code < 0 else code
        self._report(
            "Succeeded" if exit_code == 0 else "Failed",
            {
                "terminated": {
                    "exitCode": exit_code,
                    "reason": "Completed" if exit_code == 0 else "Error",
                    "startedAt": started,
                    "finishedAt": now(),
                }
            },
        )

    def _kill_group(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def _end(self) -> None:
        self.log.close()
        remove_tree(self._scratch)
        self.finished.set()

    def delete(self, grace_seconds: float) -> None:
        """SIGTERM to the container's main process, SIGKILL to all of it after the grace period."""
        with self._starting:
            self._deleted.set()
            process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + grace_seconds
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            self._kill_group()
        self.finished.wait(grace_seconds + 5)
