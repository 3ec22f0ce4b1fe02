"""
What the OpenAPI document says about errors and security, so generated clients (and Schemathesis)
agree with what the API does: every status an operation can answer, and the one error body.
"""

from __future__ import annotations

from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme
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
