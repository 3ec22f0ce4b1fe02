"""
Freqtrade in one locked-down container per run, through python-on-whales (the docker CLI).

Backtests and hyperopts run with no network, a read-only root, no capabilities, a non-root user
and CPU/memory/pids limits per job kind (`docker_plan`); downloads get the network and nothing of
the user's but the cache they write into. The daemon being down or the runner image missing
surfaces as `RuntimeUnavailable` saying which, and how to fix it. Containers share the host's
kernel: this contains a strategy's mistakes and casual malice, not a kernel exploit.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from python_on_whales import DockerClient
from python_on_whales.client_config import ClientNotFoundError
from python_on_whales.exceptions import DockerException, NoSuchImage

from gentrade_adapters.runtime.command_runner import CommandRuntime
from gentrade_adapters.runtime.docker_handle import DockerRunHandle
from gentrade_adapters.runtime.docker_plan import create_options, launcher_command, limits_for
from gentrade_adapters.runtime.docker_user import hand_over, run_as
from gentrade_adapters.runtime.limits import DEFAULT_LIMITS
from gentrade_core.ports.runtime import Limits, RunHandle, RunSpec, RuntimeUnavailable

DEFAULT_IMAGE = "gentrade-runner:2026.9"
DEFAULT_HOST = "unix:///var/run/docker.sock"
_UNREACHABLE = ("Cannot connect to the Docker daemon", "error during connect")
_NAME_TAKEN = "is already in use by container"


class DockerRuntime(CommandRuntime):
    def __init__(
        self,
        image: str = DEFAULT_IMAGE,
        *,
        host: str | None = None,
        limits: Mapping[str, Limits] = DEFAULT_LIMITS,
        user: tuple[int, int] | None = None,
        online_network: str | None = None,
    ) -> None:
        """
        `host` defaults to DOCKER_HOST or the local socket; `limits` are the defaults per job kind
        (the `gentrade.job.kind` label) for what a spec leaves unset; `user` (uid, gid) defaults to
        the worker's own, or the image's user when the worker is root; `online_network` is the
        network of downloads (default: the daemon's default network).
        """
        self.image = image
        self._host = host
        self._limits = limits
        self._user = user
        self._online_network = online_network
        self._client = DockerClient(host=host)

    def start(self, spec: RunSpec) -> RunHandle:
        return self.start_command(spec, launcher_command(spec))

    def start_command(self, spec: RunSpec, command: Sequence[str]) -> RunHandle:
        workdir = Path(spec.workdir)
        if not workdir.is_dir():
            raise RuntimeUnavailable(
                f"job directory {spec.workdir!r} does not exist; create it before starting {spec.name!r}"
            )
        user = run_as(self._user)
        try:
            hand_over(workdir, user)
        except OSError as e:
            raise RuntimeUnavailable(f"cannot make {workdir} writable for uid {user[0]}: {e}") from e
        options = create_options(
            spec,
            command,
            user=user,
            limits=limits_for(spec, self._limits),
            online_network=self._online_network,
        )
        container_id = self._create(options)
        try:
            with self._translated():
                self._client.container.start(container_id)
        except RuntimeUnavailable:
            with contextlib.suppress(DockerException):
                self._client.container.remove(container_id, force=True)
            raise
        return DockerRunHandle(self._client, container_id)

    def _create(self, options: dict[str, Any]) -> str:
        with self._translated():
            try:
                return self._client.container.create(self.image, **options).id
            except DockerException as e:
                if _NAME_TAKEN not in (e.stderr or ""):
                    raise
            # The container of an earlier attempt at the same job: that attempt is over, its worker gone.
            self._client.container.remove(options["name"], force=True)
            return self._client.container.create(self.image, **options).id

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except ClientNotFoundError as e:
            raise RuntimeUnavailable(f"the docker CLI is not installed or not on PATH: {e}") from e
        except DockerException as e:
            raise self._unavailable(e) from e

    def _unavailable(self, e: DockerException) -> RuntimeUnavailable:
        stderr = (e.stderr or "").strip()
        if any(sign in stderr for sign in _UNREACHABLE):
            host = self._host or os.environ.get("DOCKER_HOST") or DEFAULT_HOST
            return RuntimeUnavailable(
                f"cannot reach the Docker daemon at {host}: start dockerd or set DOCKER_HOST"
            )
        if isinstance(e, NoSuchImage) or "No such image" in stderr:
            return RuntimeUnavailable(
                f"runner image {self.image} not found: build it with `nox -s runner_image` "
                "(or scripts/build_runner_image.sh) or pull it"
            )
        return RuntimeUnavailable(f"docker failed: {stderr.splitlines()[-1] if stderr else e}")
