"""
An app for testing the HTTP contract itself: real SQLite, real use cases, and the real in-process
queue with no worker threads, so accepted jobs stay queued and no Freqtrade run is started.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar

from gentrade_adapters.queue.inprocess import InProcessJobQueue
from gentrade_app.bootstrap import Services, build_services
from gentrade_app.http.app import create_app
from tests.embedded import embedded_settings


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    built = build_services(
        embedded_settings(tmp_path_factory.mktemp("gentrade-api")),
        queue=lambda runner: InProcessJobQueue(runner.run, workers=0),
    )
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(services: Services) -> Litestar:
    return create_app(services)


@pytest.fixture(scope="module")
def document(app: Litestar) -> dict[str, Any]:
    return app.openapi_schema.to_schema()
