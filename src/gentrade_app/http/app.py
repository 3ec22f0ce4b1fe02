"""The Litestar application: `create_app(services)` for tests, `create_app()` for `gentrade serve`."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.di import Provide

from gentrade_app.bootstrap import Services, build_services
from gentrade_app.health import run_checks
from gentrade_app.http.auth import bearer_auth, principal
from gentrade_app.http.errors import HANDLERS
from gentrade_app.http.jobs import BacktestController, HyperoptController
from gentrade_app.http.methods import answer_options
from gentrade_app.http.openapi import HealthOut, openapi_config, publish_request_schemas
from gentrade_app.http.query import declared_query_names, refuse_unknown_query
from gentrade_app.http.request import GentradeRequest
from gentrade_app.http.strategies import StrategyController
from gentrade_core.domain.principal import Principal
from gentrade_core.ports.queue import QueueUnavailable

log = logging.getLogger(__name__)


@get("/health", sync_to_thread=True, responses={503: HealthOut.spec()})
def health(services: Services) -> Response[HealthOut]:
    """Public: 200 when the database and the broker answer, 503 naming what does not."""
    healthy, checks = run_checks(services.checks)
    return Response(
        HealthOut(status="ok" if healthy else "unavailable", checks=checks),
        status_code=200 if healthy else 503,
    )


def before_request(request: Request[Any, Any, Any]) -> Response[None] | None:
    """Runs before the body is read: unknown query parameters refused, OPTIONS answered."""
    refuse_unknown_query(request, request.app.state.query_names)
    return answer_options(request)


def connect_queue(services: Services) -> None:
    """At start-up, so the first submissions do not wait for the broker handshake."""
    try:
        services.queue.connect()
    except QueueUnavailable as e:
        log.warning("job queue unreachable at start-up; submissions answer 503 until it is back: %s", e)


def create_app(services: Services | None = None) -> Litestar:
    services = services or build_services()
    app = Litestar(
        route_handlers=[health, StrategyController, BacktestController, HyperoptController],
        dependencies={
            "services": Provide(lambda: services, use_cache=True, sync_to_thread=False),
            "principal": Provide(principal, sync_to_thread=False),
        },
        middleware=[bearer_auth(services.tokens)],
        request_class=GentradeRequest,
        before_request=before_request,
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        on_startup=[lambda: connect_queue(services)],
        on_shutdown=[services.close],
        signature_namespace={"Services": Services, "Principal": Principal},
        openapi_config=openapi_config(),
    )
    app.state.query_names = declared_query_names(app)
    publish_request_schemas(app)
    return app
