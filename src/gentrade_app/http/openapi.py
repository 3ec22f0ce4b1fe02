"""
What the OpenAPI document says about errors and security, so generated clients (and Schemathesis)
agree with what the API does: every status an operation can answer, and the one error body.
"""

from __future__ import annotations

from typing import Any, cast

from litestar import Litestar
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute
from pydantic import BaseModel

BEARER = [{"bearer": []}]
"""The security requirement of every operation but `/health` and the schema."""


class FieldErrorOut(BaseModel):
    field: str
    message: str
    line: int | None = None


class ErrorOut(BaseModel):
    """Every error answer: its status, a readable reason and, for 413/422, each field and why."""

    status_code: int
    detail: str
    errors: list[FieldErrorOut] | None = None


_MEANING = {
    400: "The body is not JSON, or nested too deeply to decode",
    401: "No bearer token, or one that is malformed, expired or not ours",
    403: "The resource belongs to another user",
    404: "No resource has that id",
    409: "It conflicts with what is stored (a duplicate name, a job in the wrong state)",
    413: "Over a size limit",
    422: "A field broke a rule: `errors` names each field and why",
    503: "The database or the job queue is unavailable; nothing was changed, try again",
}
AUTHENTICATED = (401, 503)
BODY = (400, 422)
ID_IN_PATH = (403, 404, 422)


def errors(*groups: int | tuple[int, ...]) -> dict[int, ResponseSpec]:
    """The documented error answers for these status codes (single codes or the tuples above)."""
    codes = sorted({c for g in groups for c in (g if isinstance(g, tuple) else (g,))})
    return {
        code: ResponseSpec(data_container=ErrorOut, description=_MEANING[code], generate_examples=False)
        for code in codes
    }


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="GenTrade",
        version="0.1.0",
        path="/schema",
        components=Components(
            security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}
        ),
    )


class HealthOut(BaseModel):
    """`status` is `ok` or `unavailable`; `checks` says, per dependency, `ok` or what is wrong."""

    status: str
    checks: dict[str, str]

    @classmethod
    def spec(cls) -> ResponseSpec:
        return ResponseSpec(data_container=cls, description="A dependency is down", generate_examples=False)


def publish_request_schemas(app: Litestar) -> None:
    """
    Document every request body with pydantic's own JSON schema of its model. Litestar's generator
    drops what the models check (patterns, bounds inside optional fields, `additionalProperties:
    false`, custom schemas, examples), so clients and Schemathesis would see a looser API than the
    one that answers.
    """
    schemas = cast(dict[str, Any], app.openapi_schema.components.schemas)
    for model in _body_models(app):
        schema = _standard_bounds(model.model_json_schema(ref_template="#/components/schemas/{model}"))
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema


def _body_models(app: Litestar) -> set[type[BaseModel]]:
    """The pydantic models handlers take as `data`."""
    annotations = {
        handler.parsed_fn_signature.parameters["data"].annotation
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if "data" in handler.parsed_fn_signature.parameters
    }
    return {a for a in annotations if isinstance(a, type) and issubclass(a, BaseModel)}


_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _standard_bounds(schema: Any) -> Any:
    """
    JSON Schema's names for bounds: pydantic writes `ge`/`le` when a bound follows a validator (as
    in our JSON-typed numbers), and no JSON Schema tool reads those.
    """
    if isinstance(schema, dict):
        items = cast(dict[str, Any], schema).items()
        return {
            (_BOUNDS.get(k, k) if isinstance(v, int | float) else k): _standard_bounds(v) for k, v in items
        }
    if isinstance(schema, list):
        return [_standard_bounds(v) for v in cast(list[Any], schema)]
    return schema
