"""The Litestar application: `create_app(services)` for tests, `create_app()` for `gentrade serve`."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Litestar, Response, get
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from gentrade_app.bootstrap import Services, build_services
from gentrade_app.health import run_checks
from gentrade_app.http.auth import principal_from
from gentrade_app.http.errors import HANDLERS
from gentrade_app.http.jobs import BacktestController, HyperoptController
from gentrade_app.http.strategies import StrategyController
from gentrade_core.domain.principal import Principal
from gentrade_core.ports.queue import QueueUnavailable

log = logging.getLogger(__name__)


@get("/health", sync_to_thread=True)
def health(services: Services) -> Response[dict[str, Any]]:
    """Public: 200 when the database and the broker answer, 503 naming what does not."""
    healthy, checks = run_checks(services.checks)
    return Response(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status_code=200 if healthy else 503
    )


def connect_queue(services: Services) -> None:
    """At start-up, so the first submissions do not wait for the broker handshake."""
    try:
        services.queue.connect()
    except QueueUnavailable as e:
        log.warning("job queue unreachable at start-up; submissions answer 503 until it is back: %s", e)


def create_app(services: Services | None = None) -> Litestar:
    services = services or build_services()
    return Litestar(
        route_handlers=[health, StrategyController, BacktestController, HyperoptController],
        dependencies={
            "services": Provide(lambda: services, use_cache=True, sync_to_thread=False),
            "principal": Provide(principal_from(services.tokens), sync_to_thread=False),
        },
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        on_startup=[lambda: connect_queue(services)],
        on_shutdown=[services.close],
        signature_namespace={"Services": Services, "Principal": Principal},
        openapi_config=OpenAPIConfig(
            title="GenTrade",
            version="0.1.0",
            path="/schema",
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}
            ),
            security=[{"bearer": []}],
        ),
    )
