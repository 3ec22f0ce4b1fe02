"""
Docker for the tests: a daemon (scripts/ensure_docker.sh starts one when none answers) and the
runner image (scripts/build_runner_image.sh; a label check when it is up to date), made ready once
per session by the `runner_image` fixture. Import the fixture into a test module to use it.

With CI=true nothing here skips: a CI machine that cannot run Docker fails the Docker tests loudly.
Elsewhere they skip only when no daemon can be had (no root, no apt-get, dockerd will not start).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gentrade_adapters.runtime.docker import DEFAULT_IMAGE

ROOT = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("GENTRADE_RUNNER_IMAGE", DEFAULT_IMAGE)
BUILD_TIMEOUT_SECONDS = 1800


def _run(script: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script)],
        capture_output=True, text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@functools.cache
def _readiness() -> tuple[str, str] | None:
    """None when Docker and the image are ready; else ("skip" or "fail", why)."""
    daemon = _run("ensure_docker.sh", timeout=300)
    if daemon.returncode != 0:
        return "skip", f"no Docker daemon can be started here: {daemon.stderr.strip()}"
    build = _run("build_runner_image.sh", timeout=BUILD_TIMEOUT_SECONDS)
    if build.returncode != 0:
        tail = "\n".join((build.stdout + build.stderr).strip().splitlines()[-30:])
        return "fail", f"scripts/build_runner_image.sh failed:\n{tail}"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def runner_image() -> str:
    """The runner image's name, once a daemon answers and the image is built."""
    problem = _readiness()
    if problem is not None:
        outcome, why = problem
        if outcome == "fail" or in_ci():
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    return IMAGE


def inspect(container: str) -> dict[str, Any]:
    """`docker inspect` of one container, as Docker reports it."""
    out = subprocess.run(["docker", "inspect", container], capture_output=True, text=True, check=True)
    [found] = json.loads(out.stdout)
    return found


def containers_with_env(variable: str) -> list[str]:
    """Ids of the containers, running or not, whose environment holds `variable` (`NAME=value`)."""
    ids = containers()
    if not ids:
        return []
    # Ids listed a moment ago may be gone: `docker inspect` reports those on stderr and goes on.
    fmt = "{{.Id}} {{json .Config.Env}}"
    out = subprocess.run(["docker", "inspect", "-f", fmt, *ids], capture_output=True, text=True, check=False)
    envs = (line.split(" ", 1) for line in out.stdout.splitlines())
    return [id_ for id_, env in envs if variable in (json.loads(env) or [])]


def containers(*filters: str) -> list[str]:
    """Ids of the containers, running or not, that match every `docker ps --filter`."""
    args = [arg for f in filters for arg in ("--filter", f)]
    out = subprocess.run(["docker", "ps", "-aq", *args], capture_output=True, text=True, check=True)
    return out.stdout.split()
