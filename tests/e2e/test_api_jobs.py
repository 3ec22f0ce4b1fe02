"""Backtests and hyperopts through the HTTP API with real Freqtrade on the shared 2018 Binance data."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

import gentrade_adapters
from gentrade_app.bootstrap import Services
from tests.e2e.conftest import wait_for
from tests.strategies_src import (
    BROKEN_MESSAGE,
    BROKEN_STRATEGY,
    DATA_DIR,
    HYPEROPT_STRATEGY,
    PAIRS,
    TIMERANGE,
    TRADING_STRATEGY,
)

Auth = Callable[[str], dict[str, str]]
pytestmark = pytest.mark.freqtrade


def store(client: TestClient[Any], headers: dict[str, str], name: str, code: str) -> str:
    response = client.post("/api/v1/strategies", headers=headers, json={"name": name, "code": code})
    assert 201 == response.status_code, response.text
    return response.json()["id"]


def job_body(strategy_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "strategy_id": strategy_id,
        "exchange": "binance",
        "pairs": list(PAIRS),
        "timeframe": "5m",
        "timerange": TIMERANGE,
        "stake_currency": "BTC",
        "stake_amount": 0.01,
        "dry_run_wallet": 0.1,
        "max_open_trades": 2,
        **extra,
    }


def leaked_paths(services: Services, text: str) -> list[str]:
    """The server's folders (candles, data dir, venv, sources) that `text` names; none should be."""
    folders = (
        DATA_DIR,
        str(services.settings.data_dir),
        sys.prefix,
        str(Path(gentrade_adapters.__file__).parents[1]),
    )
    return [folder for folder in (*folders, "site-packages") if folder in text]


@pytest.fixture(scope="module")
def alice(auth: Auth) -> dict[str, str]:
    return auth("alice")


@pytest.fixture(scope="module")
def finished_backtest(client: TestClient[Any], alice: dict[str, str]) -> dict[str, Any]:
    sid = store(client, alice, "SampleCross", TRADING_STRATEGY)
    accepted = client.post("/api/v1/backtests", headers=alice, json=job_body(sid))
    assert (202, "queued") == (accepted.status_code, accepted.json()["status"])
    return wait_for(client, f"/api/v1/backtests/{accepted.json()['id']}", alice)


def test_backtest_finishes_with_trades_and_a_full_summary(finished_backtest: dict[str, Any]) -> None:
    """A strategy that trades on real data finishes with trades and every summary figure."""
    assert "finished" == finished_backtest["status"], finished_backtest["error"]
    summary = finished_backtest["summary"]
    assert summary["total_trades"] > 0
    for field in (
        "profit_total",
        "profit_percentage",
        "avg_profit",
        "max_drawdown",
        "sharpe_ratio",
        "sortino_ratio",
        "win_rate",
        "best_pair",
        "worst_pair",
        "starting_balance",
        "final_balance",
    ):
        assert field in summary
    assert 1 == finished_backtest["attempts"]
    assert summary["best_pair"] in PAIRS


def test_trades_logs_and_artifacts(
    client: TestClient[Any], alice: dict[str, str], finished_backtest: dict[str, Any]
) -> None:
    """Trades match the summary; the job keeps config, code, markets snapshot and Freqtrade's zip."""
    base = f"/api/v1/backtests/{finished_backtest['id']}"
    trades = client.get(f"{base}/trades", headers=alice, params={"limit": 500}).json()
    assert finished_backtest["summary"]["total_trades"] == trades["total"]
    assert {t["pair"] for t in trades["items"]} <= set(PAIRS)
    names = [a["name"] for a in client.get(f"{base}/artifacts", headers=alice).json()]
    assert {"config.json", "markets.json", "strategies/SampleCross.py"} <= set(names)
    zips = [n for n in names if n.endswith(".zip")]
    assert 1 == len(zips)
    config = client.get(f"{base}/artifacts/config.json", headers=alice).json()
    assert (True, list(PAIRS)) == (config["dry_run"], config["exchange"]["pair_whitelist"])
    markets = client.get(f"{base}/artifacts/markets.json", headers=alice).json()
    assert set(PAIRS) <= set(markets)
    assert client.get(f"{base}/artifacts/{zips[0]}", headers=alice).content[:2] == b"PK"
    assert "Running backtesting for Strategy SampleCross" in client.get(f"{base}/logs", headers=alice).text


def test_listing_filters_and_paginates(
    client: TestClient[Any], alice: dict[str, str], finished_backtest: dict[str, Any]
) -> None:
    """The list filters by strategy and status."""
    page = client.get(
        "/api/v1/backtests",
        headers=alice,
        params={"strategy_id": finished_backtest["strategy_id"], "status": "finished"},
    ).json()
    assert finished_backtest["id"] in [j["id"] for j in page["items"]]
    none = client.get("/api/v1/backtests", headers=alice, params={"status": "cancelled"}).json()
    assert finished_backtest["id"] not in [j["id"] for j in none["items"]]
    bad = client.get("/api/v1/backtests", headers=alice, params={"status": "bogus"})
    assert (422, True) == (bad.status_code, "status" in bad.json()["detail"])


def test_foreign_user_gets_403_on_every_job_route(
    client: TestClient[Any], auth: Auth, finished_backtest: dict[str, Any]
) -> None:
    """Bob can neither read, list into, cancel, delete nor download Alice's backtest."""
    bob, base = auth("bob"), f"/api/v1/backtests/{finished_backtest['id']}"
    for path in (
        base,
        f"{base}/trades",
        f"{base}/logs",
        f"{base}/artifacts",
        f"{base}/artifacts/config.json",
    ):
        assert 403 == client.get(path, headers=bob).status_code, path
    assert 403 == client.delete(base, headers=bob).status_code
    body = job_body(finished_backtest["strategy_id"])
    assert 403 == client.post("/api/v1/backtests", headers=bob, json=body).status_code
    assert 0 == client.get("/api/v1/backtests", headers=bob).json()["total"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timerange": "20180130-20180110"}, "timerange"),
        ({"timerange": "2018-01-10"}, "timerange"),
        ({"pairs": ["ETHBTC"]}, "pairs"),
        ({"timeframe": "7m"}, "timeframe"),
        ({"stake_amount": 0}, "stake_amount"),
        ({"data_source": "ftp"}, "data_source"),
    ],
)
def test_bad_request_is_422_naming_the_field(
    client: TestClient[Any],
    alice: dict[str, str],
    finished_backtest: dict[str, Any],
    change: dict[str, Any],
    field: str,
) -> None:
    """Bad fields are refused at once, nothing is queued."""
    before = client.get("/api/v1/backtests", headers=alice).json()["total"]
    response = client.post(
        "/api/v1/backtests", headers=alice, json=job_body(finished_backtest["strategy_id"], **change)
    )
    assert 422 == response.status_code
    assert field in response.json()["detail"]
    assert before == client.get("/api/v1/backtests", headers=alice).json()["total"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"timerange": "20190101-20190201"}, "ETH/BTC 5m"), ({"pairs": ["NOPE/BTC"]}, "NOPE/BTC 5m")],
)
def test_missing_data_or_unknown_pair_fails_the_job_with_a_reason(
    client: TestClient[Any],
    services: Services,
    alice: dict[str, str],
    finished_backtest: dict[str, Any],
    change: dict[str, Any],
    reason: str,
) -> None:
    """Verification fails the job before Freqtrade runs, naming pair and timeframe but not the folder."""
    accepted = client.post(
        "/api/v1/backtests", headers=alice, json=job_body(finished_backtest["strategy_id"], **change)
    )
    assert 202 == accepted.status_code
    job = wait_for(client, f"/api/v1/backtests/{accepted.json()['id']}", alice)
    assert "failed" == job["status"]
    assert reason in job["error"]
    assert [] == leaked_paths(services, job["error"]), job["error"]


def test_strategy_that_raises_fails_with_freqtrades_error(
    client: TestClient[Any], services: Services, alice: dict[str, str]
) -> None:
    """A strategy crashing inside Freqtrade fails the job with the error in `error`, naming no server path."""
    sid = store(client, alice, "BrokenStrategy", BROKEN_STRATEGY)
    accepted = client.post("/api/v1/backtests", headers=alice, json=job_body(sid))
    path = f"/api/v1/backtests/{accepted.json()['id']}"
    job = wait_for(client, path, alice)
    assert "failed" == job["status"]
    assert BROKEN_MESSAGE in job["error"]
    logs = client.get(f"{path}/logs", headers=alice).text
    assert ([], []) == (leaked_paths(services, job["error"]), leaked_paths(services, logs)), logs


def test_hyperopt_reports_progress_and_best_epoch(client: TestClient[Any], alice: dict[str, str]) -> None:
    """A short hyperopt finishes at 100 % with the best epoch's loss, profit and parameters."""
    sid = store(client, alice, "SampleHyperopt", HYPEROPT_STRATEGY)
    accepted = client.post(
        "/api/v1/hyperopts",
        headers=alice,
        json=job_body(sid, epochs=6, spaces=["buy"], loss="SharpeHyperOptLossDaily"),
    )
    assert 202 == accepted.status_code, accepted.text
    job = wait_for(client, f"/api/v1/hyperopts/{accepted.json()['id']}", alice)
    assert "finished" == job["status"], job["error"]
    assert (100.0, 6) == (job["progress"], job["epochs_done"])
    assert job["best"]["params"]
    names = [a["name"] for a in client.get(f"/api/v1/hyperopts/{job['id']}/artifacts", headers=alice).json()]
    assert any(n.endswith(".fthypt") for n in names)


def test_cancel_a_running_hyperopt(client: TestClient[Any], alice: dict[str, str]) -> None:
    """Cancel stops the Freqtrade process and the job ends `cancelled`."""
    sid = client.get("/api/v1/strategies", headers=alice).json()["items"]
    hyper = next(s["id"] for s in sid if s["name"] == "SampleHyperopt")
    accepted = client.post(
        "/api/v1/hyperopts", headers=alice, json=job_body(hyper, epochs=500, spaces=["buy"])
    )
    path = f"/api/v1/hyperopts/{accepted.json()['id']}"
    deadline = time.monotonic() + 120
    while client.get(path, headers=alice).json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert 202 == client.post(f"{path}/cancel", headers=alice).status_code
    job = wait_for(client, path, alice, timeout=60)
    assert "cancelled" == job["status"]
    assert 204 == client.delete(path, headers=alice).status_code
