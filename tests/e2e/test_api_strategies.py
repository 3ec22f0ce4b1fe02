"""Strategies through the HTTP API: the status codes and messages a frontend relies on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import TestClient

from tests.strategies_src import TRADING_STRATEGY

Auth = Callable[[str], dict[str, str]]


def test_every_api_call_needs_a_token(client: TestClient[Any]) -> None:
    """No or a forged token is 401 with a hint; health and the schema stay public."""
    assert 401 == client.get("/api/v1/strategies").status_code
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.bad"}
    assert 401 == client.get("/api/v1/strategies", headers=forged).status_code
    assert 200 == client.get("/health").status_code
    assert "/api/v1/backtests" in client.get("/schema/openapi.json").json()["paths"]


def test_create_read_update_versions_delete(client: TestClient[Any], auth: Auth) -> None:
    """The whole life of a strategy: 201, read, a new version on PUT, both versions listed, 204."""
    h = auth("crud-user")
    created = client.post(
        "/api/v1/strategies",
        headers=h,
        json={"name": "SampleCross", "code": TRADING_STRATEGY, "description": "EMA"},
    )
    assert 201 == created.status_code
    sid = created.json()["id"]
    updated = client.put(f"/api/v1/strategies/{sid}", headers=h, json={"code": TRADING_STRATEGY + "\n# v2\n"})
    assert 2 == updated.json()["current_version"]
    versions = client.get(f"/api/v1/strategies/{sid}/versions", headers=h).json()
    assert [1, 2] == [v["number"] for v in versions]
    listed = client.get("/api/v1/strategies", headers=h).json()
    assert (1, sid) == (listed["total"], listed["items"][0]["id"])
    assert 204 == client.delete(f"/api/v1/strategies/{sid}", headers=h).status_code
    assert 404 == client.get(f"/api/v1/strategies/{sid}", headers=h).status_code


def test_duplicate_name_is_409(client: TestClient[Any], auth: Auth) -> None:
    """A second strategy with the same name for the same user conflicts."""
    h = auth("dup-user")
    body = {"name": "SampleCross", "code": TRADING_STRATEGY}
    assert 201 == client.post("/api/v1/strategies", headers=h, json=body).status_code
    response = client.post("/api/v1/strategies", headers=h, json=body)
    assert 409 == response.status_code
    assert "SampleCross" in response.json()["detail"]


def test_bad_code_is_422_with_line_numbers(client: TestClient[Any], auth: Auth) -> None:
    """The screen's findings come back one per problem, with the line."""
    code = "import os\n" + TRADING_STRATEGY + "\nx = eval('1')\n"
    response = client.post(
        "/api/v1/strategies", headers=auth("bad-code"), json={"name": "SampleCross", "code": code}
    )
    assert 422 == response.status_code
    lines = {e["line"] for e in response.json()["errors"]}
    assert 1 in lines and TRADING_STRATEGY.count("\n") + 3 in lines


def test_name_must_match_the_class(client: TestClient[Any], auth: Auth) -> None:
    """The strategy name is the IStrategy class name."""
    response = client.post(
        "/api/v1/strategies", headers=auth("name"), json={"name": "Other", "code": TRADING_STRATEGY}
    )
    assert 422 == response.status_code
    assert "SampleCross" in response.json()["detail"]


def test_over_the_size_limit_is_413(client: TestClient[Any], auth: Auth) -> None:
    """Code over the configured limit is refused before it is parsed."""
    code = TRADING_STRATEGY + "#" * 60_000
    response = client.post(
        "/api/v1/strategies", headers=auth("big"), json={"name": "SampleCross", "code": code}
    )
    assert 413 == response.status_code


def test_missing_fields_are_422_naming_them(client: TestClient[Any], auth: Auth) -> None:
    """Body validation names the field."""
    response = client.post("/api/v1/strategies", headers=auth("fields"), json={"name": "SampleCross"})
    assert 422 == response.status_code
    assert "code" in response.json()["detail"]


def test_foreign_strategy_is_403(client: TestClient[Any], auth: Auth) -> None:
    """Another user's strategy can be neither read, changed nor deleted."""
    sid = client.post(
        "/api/v1/strategies", headers=auth("owner"), json={"name": "SampleCross", "code": TRADING_STRATEGY}
    ).json()["id"]
    intruder = auth("intruder")
    assert 403 == client.get(f"/api/v1/strategies/{sid}", headers=intruder).status_code
    assert (
        403
        == client.put(f"/api/v1/strategies/{sid}", headers=intruder, json={"description": "x"}).status_code
    )
    assert 403 == client.delete(f"/api/v1/strategies/{sid}", headers=intruder).status_code
    assert 404 == client.get("/api/v1/strategies/unknown", headers=intruder).status_code


def test_health_reports_each_service(client: TestClient[Any]) -> None:
    """`/health` is public and names each dependency it checked."""
    body = client.get("/health").json()
    assert ("ok", "ok") == (body["status"], body["checks"]["database"])
