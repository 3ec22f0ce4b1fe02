"""
Unknown query parameters are refused (422, naming them), as unknown body fields are: a typo such as
`?ofset=100` would otherwise silently return the first page.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from gentrade_core.errors import Finding, ValidationFailed

QueryNames = dict[HTTPRouteHandler, frozenset[str]]


def declared_query_names(app: Litestar) -> QueryNames:
    """Each handler's query parameters, from the kwargs models Litestar built for its routes."""
    return {
        handler: frozenset(p.field_alias for p in kwargs.expected_query_params)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler, kwargs in route.route_handler_map.values()
    }


def refuse_unknown_query(request: Request[Any, Any, Any], declared: QueryNames) -> None:
    known = declared.get(request.route_handler)
    if known is None:
        return
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        allowed = ", ".join(sorted(known)) or "none"
        message = f"is not a query parameter here (allowed: {allowed})"
        raise ValidationFailed([Finding(name or "(empty name)", message) for name in unknown])
