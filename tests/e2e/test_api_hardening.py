"""
Hostile but fair input at the door (issue 8), on SQLite and PostgreSQL: authenticate first, refuse
what cannot run with 422 before anything is stored, and never answer 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from litestar.testing import TestClient

from gentrade_app.bootstrap import build_services
from gentrade_app.http.app import create_app
from tests.embedded import embedded_settings
from tests.pg import throwaway_database
from tests.strategies_src import TRADING_STRATEGY

BODY_OPERATIONS = [
    ("POST", "/api/v1/strategies"),
    ("PUT", "/api/v1/strategies/{sid}"),
    ("POST", "/api/v1/backtests"),
    ("POST", "/api/v1/hyperopts"),
]
LISTS = ["/api/v1/strategies", "/api/v1/backtests", "/api/v1/hyperopts", "/api/v1/backtests/{bid}/trades"]
NESTED = b"[" * 5000 + b"]" * 5000
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient[Any]]:
    with ExitStack() as stack:
        on_postgres = request.param == "postgresql"
        database = {"database_url": stack.enter_context(throwaway_database())} if on_postgres else {}
        services = build_services(embedded_settings(tmp_path_factory.mktemp(request.param), **database))
        stack.callback(services.close)
        with TestClient(create_app(services)) as test_client:
            test_client.headers["authorization"] = f"Bearer {services.tokens.issue('mallory')}"
            yield test_client


@pytest.fixture(scope="module")
def sid(client: TestClient[Any]) -> str:
    response = client.post("/api/v1/strategies", json={"name": "SampleCross", "code": TRADING_STRATEGY})
    assert 201 == response.status_code, response.text
    return response.json()["id"]


def job(sid: str, **changes: Any) -> dict[str, Any]:
    return {
        "strategy_id": sid,
        "pairs": ["ETH/BTC"],
        "timerange": "20180110-20180130",
        "stake_currency": "BTC",
        "stake_amount": 0.01,
        "data_source": "local",
    } | changes


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_without_a_token_no_body_is_read(client: TestClient[Any], sid: str, method: str, path: str) -> None:
    """Malformed or absurdly nested JSON from an anonymous caller is 401, never 400 or 500."""
    for body in (b"{not json", NESTED):
        response = client.request(
            method, path.format(sid=sid), content=body, headers=JSON | {"authorization": ""}
        )
        assert 401 == response.status_code, response.text


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_deeply_nested_json_is_400(client: TestClient[Any], sid: str, method: str, path: str) -> None:
    """A body nested thousands of levels deep is the client's mistake, named, on every body endpoint."""
    response = client.request(method, path.format(sid=sid), content=NESTED, headers=JSON)
    assert (400, "the request body is nested too deeply to be JSON we accept") == (
        response.status_code,
        response.json()["detail"],
    )


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query", ["offset=9223372036854775808", "offset=2147483648", "limit=10000000"])
def test_paging_beyond_what_a_database_holds_is_422(client: TestClient[Any], path: str, query: str) -> None:
    """Offsets and limits are bounded, so no list turns them into an SQL overflow (a 500)."""
    response = client.get(f"{path.format(bid='b' * 32)}?{query}")
    assert 422 == response.status_code, response.text
    assert query.split("=")[0] == response.json()["errors"][0]["field"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"overrides": {"logfile": "/tmp/evil.log"}}, "overrides"),
        ({"overrides": {"datadir": "/"}}, "overrides"),
        ({"overrides": {"dry_run": False}}, "overrides"),
        ({"overrides": {"api_server": {"enabled": True}}}, "overrides"),
        ({"stake_amount": 1e300}, "stake_amount"),
        ({"stake_amount": True}, "stake_amount"),
        ({"max_open_trades": 10**30}, "max_open_trades"),
        ({"pairs": ["ETH/BTC:BTC"]}, "pairs"),
        ({"exchange": "mtgox"}, "exchange"),
        ({"timerange": "20990101-"}, "timerange"),
        ({"strategy_version": 2**63}, "strategy_version"),
    ],
)
@pytest.mark.parametrize("kind", ["backtests", "hyperopts"])
def test_what_cannot_run_is_refused_at_submit_and_nothing_is_stored(
    client: TestClient[Any], sid: str, kind: str, changes: dict[str, Any], field: str
) -> None:
    """Each used to be accepted and fail in the worker; now 422 names the field and no job exists."""
    response = client.post(f"/api/v1/{kind}", json=job(sid, **changes))
    assert 422 == response.status_code, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
    assert 0 == client.get(f"/api/v1/{kind}").json()["total"]


def test_the_refusal_of_a_path_override_names_the_key(client: TestClient[Any], sid: str) -> None:
    """The user learns which key is not theirs to set, and why."""
    response = client.post("/api/v1/backtests", json=job(sid, overrides={"logfile": "/tmp/x", "fee": 0.001}))
    assert response.json()["errors"][0]["message"].startswith("logfile: not a setting a job may override")


@pytest.mark.parametrize(
    "body",
    [
        {"name": "SampleCross2", "code": TRADING_STRATEGY, "colour": "red"},
        {"name": "SampleCross", "code": TRADING_STRATEGY, "description": "a\x00b"},
        {"name": "SampleCross", "code": TRADING_STRATEGY.replace("import", "\x00import", 1)},
    ],
)
def test_strategy_bodies_refuse_unknown_fields_and_nul(
    client: TestClient[Any], sid: str, body: dict[str, Any]
) -> None:
    """As job bodies do; NUL is refused on every database (PostgreSQL could not store it anyway)."""
    assert 422 == client.post("/api/v1/strategies", json=body).status_code
    assert 422 == client.put(f"/api/v1/strategies/{sid}", json=body | {"name": None}).status_code
    assert (1, 1) == (
        client.get("/api/v1/strategies").json()["total"],
        client.get(f"/api/v1/strategies/{sid}").json()["current_version"],
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/strategies/a%00b",
        "/api/v1/backtests/a%00b",
        "/api/v1/hyperopts/a%00b/logs",
        "/api/v1/backtests?strategy_id=a%00b",
    ],
)
def test_ids_that_no_database_could_hold_are_422(client: TestClient[Any], path: str) -> None:
    """An id with a NUL never reaches SQL (PostgreSQL would raise); the answer names the parameter."""
    response = client.get(path)
    assert 422 == response.status_code, response.text


def test_an_unknown_query_parameter_is_422_naming_it(client: TestClient[Any]) -> None:
    """A typo such as `ofset` would otherwise silently answer with the first page."""
    response = client.get("/api/v1/strategies?ofset=100")
    assert (422, "ofset") == (response.status_code, response.json()["errors"][0]["field"])
