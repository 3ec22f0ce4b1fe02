"""
Which methods a path takes, for `Allow` (RFC 9110) on 405 and OPTIONS answers. Litestar's own
OPTIONS answer lists only the methods of the first handler registered on a path, so it is replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Response
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT
from litestar.types.internal_types import PathParameterDefinition


def allowed_methods(request: Request[Any, Any, Any]) -> set[str]:
    """
    The methods of the route whose path template matches the request's path; as in Litestar's
    router, a static part wins over a parameter (`/strategies/import` over `/strategies/{id}`).
    """
    parts = request.url.path.strip("/").split("/")
    matching = [
        route
        for route in request.app.routes
        if isinstance(route, HTTPRoute) and _matches(route.path_components, parts)
    ]
    if not matching:
        return set()
    best = min(matching, key=lambda r: sum(isinstance(c, PathParameterDefinition) for c in r.path_components))
    return {str(m) for m in best.methods}


def _matches(template: list[Any], parts: list[str]) -> bool:
    """A `{name:path}` last component takes the rest of the path; any other parameter one part."""
    if template and isinstance(template[-1], PathParameterDefinition) and template[-1].type is Path:
        return len(parts) >= len(template) and _matches(template[:-1], parts[: len(template) - 1])
    return len(template) == len(parts) and all(
        isinstance(c, PathParameterDefinition) or c == p for c, p in zip(template, parts, strict=True)
    )


def answer_options(request: Request[Any, Any, Any]) -> Response[None] | None:
    """OPTIONS lists every method of the path."""
    if request.method != "OPTIONS":
        return None
    return Response(
        None, status_code=HTTP_204_NO_CONTENT, headers={"allow": ", ".join(sorted(allowed_methods(request)))}
    )
