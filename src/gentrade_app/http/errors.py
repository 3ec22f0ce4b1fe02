"""Map domain and port errors onto JSON HTTP errors: a clear 4xx, never a 500 for bad input."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, MethodNotAllowedException, ValidationException

from gentrade_app.http.methods import allowed_methods
from gentrade_core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    TooLarge,
    Unavailable,
    ValidationFailed,
)
from gentrade_core.ports.identity import InvalidToken
from gentrade_core.ports.queue import QueueUnavailable
from gentrade_core.ports.repositories import StoreUnavailable

log = logging.getLogger(__name__)


def _json(status: int, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    return Response({"status_code": status, "detail": detail, **extra}, status_code=status)


def domain_error(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if isinstance(exc, ValidationFailed):
        errors = [{"field": f.field, "message": f.message, "line": f.line} for f in exc.findings]
        return _json(413 if isinstance(exc, TooLarge) else 422, str(exc), errors=errors)
    status = {NotFound: 404, Forbidden: 403, Conflict: 409, Unavailable: 503}
    for kind, code in status.items():
        if isinstance(exc, kind):
            return _json(code, str(exc))
    return _json(400, str(exc))


def validation_error(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Litestar's body/query validation: name each field and why, as 422."""
    assert isinstance(exc, ValidationException)
    errors = [
        {
            "field": str(e.get("key") or "body"),
            "message": str(e.get("message")).removeprefix("Value error, "),
            "line": None,
        }
        for e in (exc.extra or [])
        if isinstance(e, dict)
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or exc.detail
    return _json(422, detail, errors=errors)


def unauthorized(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    return _json(401, f"invalid bearer token: {exc}")


def unavailable(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    return _json(503, f"a service is unavailable: {exc}")


def http_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    assert isinstance(exc, HTTPException)
    response = _json(exc.status_code, exc.detail)
    if isinstance(exc, MethodNotAllowedException):
        response.headers["allow"] = ", ".join(sorted(allowed_methods(request)))  # RFC 9110 asks for it
    return response


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(500, "internal server error")


HANDLERS = {
    ValidationException: validation_error,
    HTTPException: http_error,
    DomainError: domain_error,
    InvalidToken: unauthorized,
    QueueUnavailable: unavailable,
    StoreUnavailable: unavailable,
    Exception: internal_error,
}
