"""
Every operation of the OpenAPI document x {no token, bad token, another user's resource, unknown id}
-> 401 / 401 / 403 / 404. Generated from the document, so an endpoint is covered the day it is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from gentrade_app.bootstrap import Services
from tests.strategies_src import PAIRS, TIMERANGE, TRADING_STRATEGY

PUBLIC = {"/health"}
UNKNOWN = "0" * 32
PARAMETER = re.compile(r"\{(\w+)\}")


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "patch"}
    ]


@pytest.fixture(scope="module")
def client(app: Litestar) -> Iterator[TestClient[Any]]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def owned(client: TestClient[Any], services: Services) -> dict[str, str]:
    """One resource of each kind, owned by `owner`: path parameter values by resource."""
    h = {"Authorization": f"Bearer {services.tokens.issue('owner')}"}
    sid = client.post("/api/v1/strategies", headers=h, json={"name": "SampleCross", "code": TRADING_STRATEGY})
    ids = {"strategies": sid.json()["id"]}
    for kind in ("backtests", "hyperopts"):
        body = {"strategy_id": ids["strategies"], "pairs": list(PAIRS), "timerange": TIMERANGE}
        accepted = client.post(f"/api/v1/{kind}", headers=h, json=body | {"stake_currency": "BTC"})
        assert 202 == accepted.status_code, accepted.text
        ids[kind] = accepted.json()["id"]
    return ids


def url(path: str, owned: dict[str, str], known: bool) -> str:
    collection = path.split("/")[3]
    values = {"name": "config.json"}
    return PARAMETER.sub(lambda m: values.get(m.group(1)) or (owned[collection] if known else UNKNOWN), path)


def body_fields(document: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """The properties of the operation's JSON body, its `$ref` resolved (none for an upload)."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return set()
    schema = content["application/json"]["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return set(schema.get("properties", {}))


def body(document: dict[str, Any], operation: dict[str, Any], owned: dict[str, str]) -> dict[str, Any] | None:
    """A valid body: a job naming the strategy, or a description change."""
    fields = body_fields(document, operation)
    if "strategy_id" in fields:
        return {"strategy_id": owned["strategies"], "pairs": list(PAIRS), "timerange": TIMERANGE} | {
            "stake_currency": "BTC"
        }
    return {"description": "x"} if fields else None


def call(client: TestClient[Any], method: str, path: str, headers: dict[str, str], json: Any) -> int:
    return client.request(method, path, headers=headers, json=json).status_code


def test_the_document_lists_every_operation(document: dict[str, Any]) -> None:
    """The matrix below is only as complete as the document: every route is in it."""
    assert 24 <= len(operations(document))


def test_no_token_and_a_bad_token_are_401_everywhere(
    client: TestClient[Any], document: dict[str, Any], owned: dict[str, str]
) -> None:
    """Every operation but the public ones refuses an anonymous or forged caller before anything else."""
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"}
    answers = {
        (method, path, who): call(client, method, url(path, owned, True), headers, body(document, op, owned))
        for method, path, op in operations(document)
        if path not in PUBLIC
        for who, headers in (("none", {}), ("forged", forged))
    }
    assert {key: 401 for key in answers} == answers
    assert all(op.get("security") for _, path, op in operations(document) if path not in PUBLIC)


def test_another_users_resource_is_403_and_an_unknown_id_404(
    client: TestClient[Any], document: dict[str, Any], owned: dict[str, str], services: Services
) -> None:
    """Ownership is checked on every operation that names a resource, in its path or its body."""
    intruder = {"Authorization": f"Bearer {services.tokens.issue('intruder')}"}
    named = [
        (method, path, op)
        for method, path, op in operations(document)
        if PARAMETER.search(path) or "strategy_id" in body_fields(document, op)
    ]
    foreign = {
        (m, p): call(client, m, url(p, owned, True), intruder, body(document, op, owned))
        for m, p, op in named
    }
    unknown_ids = owned | {"strategies": UNKNOWN}
    unknown = {
        (m, p): call(client, m, url(p, owned, False), intruder, body(document, op, unknown_ids))
        for m, p, op in named
    }
    assert {key: 403 for key in foreign} == foreign
    assert {key: 404 for key in unknown} == unknown
    assert len(named) >= 19  # 17 with an id in the path, and the two job submissions
