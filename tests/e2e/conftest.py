"""An app wired like production-embedded: SQLite, in-process workers, local Freqtrade, real data."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from gentrade_app.bootstrap import Services, build_services
from gentrade_app.http.app import create_app
from tests.embedded import embedded_settings

TERMINAL = {"finished", "failed", "cancelled"}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    built = build_services(embedded_settings(tmp_path_factory.mktemp("gentrade"), heartbeat_seconds=0.5))
    yield built
    built.close()


@pytest.fixture(scope="module")
def client(services: Services) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def auth(services: Services) -> Callable[[str], dict[str, str]]:
    return lambda user: {"Authorization": f"Bearer {services.tokens.issue(user)}"}


def wait_for(
    client: TestClient[Any], path: str, headers: dict[str, str], timeout: float = 300
) -> dict[str, Any]:
    """Poll a job until it ends and return its last representation."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(path, headers=headers).json()
        if body["status"] in TERMINAL:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} still {body['status']} after {timeout}s")
        time.sleep(0.5)
