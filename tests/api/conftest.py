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
        # No worker runs a load check here: `?wait_for_checks=true` answers `pending` at once.
        embedded_settings(tmp_path_factory.mktemp("gentrade-api"), check_wait_seconds=0.2),
        queue=lambda runner: InProcessJobQueue(runner.run, workers=0),
    )
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(services: Services) -> Litestar:
    app = create_app(services)
    # Every test client starts and stops the app; the module's services (and their queue) must
    # outlive each one, so the fixture above closes them, not the app's shutdown.
    app.on_shutdown.clear()
    return app


@pytest.fixture(scope="module")
def document(app: Litestar) -> dict[str, Any]:
    return app.openapi_schema.to_schema()
