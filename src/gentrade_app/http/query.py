"""
Unknown query parameters are refused (422, naming them), as unknown body fields are: a typo such as
`?ofset=100` would otherwise silently return the first page.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from litestar import Litestar, Request

from gentrade_core.errors import Finding, ValidationFailed

_TYPED = re.compile(r"\{(\w+):\w+\}")


@cache
def _declared(app: Litestar) -> dict[tuple[str, str], frozenset[str]]:
    """(method, path template) -> the query parameter names the OpenAPI document declares."""
    declared: dict[tuple[str, str], frozenset[str]] = {}
    for path, item in (app.openapi_schema.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(item, method, None)
            if operation is not None:
                names = {
                    p.name for p in operation.parameters or [] if getattr(p, "param_in", None) == "query"
                }
                declared[(method.upper(), path)] = frozenset(names)
    return declared


def refuse_unknown_query(request: Request[Any, Any, Any]) -> None:
    template = _TYPED.sub(r"{\1}", str(request.scope.get("path_template", "")))
    known = _declared(request.app).get((request.method, template))
    if known is None:
        return
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        allowed = ", ".join(sorted(known)) or "none"
        raise ValidationFailed(
            [
                Finding(name or "(empty name)", f"is not a query parameter here (allowed: {allowed})")
                for name in unknown
            ]
        )
