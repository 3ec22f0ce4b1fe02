"""List endpoints run a fixed number of SQL statements, whatever the page holds (no N+1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import event

from gentrade_adapters.sql import SqlUnitOfWork, make_engine, make_session_factory, upgrade
from gentrade_app.bootstrap import build_services
from gentrade_app.http.app import create_app
from gentrade_app.settings import Settings
from tests.fakes import FakeQueue
from tests.strategies_src import TRADING_STRATEGY


def statements_for_listing(tmp_path: Path, rows: int) -> dict[str, int]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{tmp_path / 'gentrade.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    services = build_services(
        Settings(data_dir=tmp_path, token_secret="x" * 40),
        uow=lambda: SqlUnitOfWork(sessions),
        queue=lambda _runner: FakeQueue(),
    )
    headers = {"Authorization": f"Bearer {services.tokens.issue('alice')}"}
    counted: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: counted.append(args[2]))
    try:
        with TestClient(create_app(services)) as client:
            for i in range(rows):
                code = TRADING_STRATEGY.replace("SampleCross", f"Cross{i}")
                sid = client.post(
                    "/api/v1/strategies", headers=headers, json={"name": f"Cross{i}", "code": code}
                )
                body = {
                    "strategy_id": sid.json()["id"],
                    "pairs": ["ETH/BTC"],
                    "timerange": "20180110-20180130",
                    "stake_currency": "BTC",
                    "data_source": "synthetic",
                }
                assert 202 == client.post("/api/v1/backtests", headers=headers, json=body).status_code
            result: dict[str, Any] = {}
            expected_totals = {"/api/v1/strategies": rows, "/api/v1/backtests": rows, "/api/v1/hyperopts": 0}
            for path, total in expected_totals.items():
                counted.clear()
                assert total == client.get(path, headers=headers).json()["total"]
                result[path] = len(counted)
    finally:
        services.close()
        engine.dispose()
    return result


@pytest.mark.parametrize("path", ["/api/v1/strategies", "/api/v1/backtests", "/api/v1/hyperopts"])
def test_list_endpoints_do_not_grow_with_the_page(tmp_path: Path, path: str) -> None:
    """Listing 2 or 20 items costs the same statements: count, page and, for strategies, versions."""
    small, large = statements_for_listing(tmp_path / "a", 2), statements_for_listing(tmp_path / "b", 20)
    assert small[path] == large[path]
    assert large[path] <= 4
