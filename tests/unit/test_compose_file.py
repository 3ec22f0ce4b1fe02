"""The production stack's compose file is one Docker Compose accepts, with the services it promises."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.pg import UNDER_CI

REPO = Path(__file__).resolve().parents[2]


def compose_command() -> list[str]:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    if legacy := shutil.which("docker-compose"):
        return [legacy]
    if UNDER_CI:
        pytest.fail(
            "neither `docker compose` nor `docker-compose` is installed (scripts/services.sh installs it)"
        )
    pytest.skip("no Docker Compose here")


def test_docker_compose_config_accepts_the_stack() -> None:
    """`docker compose config` validates the file and resolves api, worker, postgres and rabbitmq."""
    result = subprocess.run(
        [*compose_command(), "-f", "docker-compose.yml", "config"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "GENTRADE_TOKEN_SECRET": "s" * 40},
    )
    assert 0 == result.returncode, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert {"api", "worker", "postgres", "rabbitmq", "migrate"} <= set(services)
    assert "amqp://" in services["worker"]["environment"]["GENTRADE_QUEUE_URL"]
    assert ["worker"] == services["worker"]["command"]
