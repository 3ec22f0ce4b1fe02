"""
Jobs survive crashes, on PostgreSQL with real brokers and real worker processes.

A worker is SIGKILLed while its backtest runs (Freqtrade included, as a machine failure would);
another worker's reaper takes the job back and runs it; it finishes exactly once, on attempt 2.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import psutil
import pytest
from litestar.testing import TestClient

import gentrade_app.http.app as app_module
from gentrade_app.bootstrap import build_services
from gentrade_app.http.app import create_app
from gentrade_app.settings import Settings
from tests.contract.dramatiq_support import DEAD_URLS
from tests.resilience.stack import ALICE, production_stack
from tests.strategies_src import TRADING_STRATEGY

pytestmark = pytest.mark.freqtrade


def kill_tree(pid: int) -> None:
    """SIGKILL a process and everything below it: the worker, its launcher and Freqtrade."""
    parent = psutil.Process(pid)
    for process in [*parent.children(recursive=True), parent]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)


@pytest.mark.parametrize("broker", ["rabbitmq", "redis"])
def test_a_killed_workers_job_finishes_once_on_another_worker(broker: str, tmp_path: Path) -> None:
    """SIGKILL mid-run; a second worker finishes the job: finished once, attempts = 2, one result."""
    with production_stack(broker, tmp_path) as stack:
        first = stack.start_worker()
        job_id = stack.submit_backtest()
        stack.wait_for(job_id, lambda s: s == "running")
        kill_tree(first.pid)
        first.wait()
        stack.start_worker()
        assert "finished" == stack.wait_for(job_id, lambda s: s in {"finished", "failed", "cancelled"})
        job = stack.services.backtests.get(ALICE, job_id)
        assert (2, True) == (job.attempts, job.summary is not None and job.summary.total_trades > 0)
        results = [
            a.name for a in stack.services.backtests.artifact_list(ALICE, job_id) if a.name.endswith(".zip")
        ]
        assert 1 <= len(results)
        assert 1 == stack.services.backtests.list(ALICE).total


@pytest.mark.parametrize("broker", ["rabbitmq", "redis"])
def test_broker_down_at_submit_is_503_and_stores_nothing(
    broker: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    The API starts with the broker unreachable, saying so in its log; then answers 503 with a
    message, and no job row is left.
    """
    settings = Settings(data_dir=tmp_path, queue_url=DEAD_URLS[broker], token_secret="x" * 40)
    services = build_services(settings)
    headers = {"Authorization": f"Bearer {services.tokens.issue('alice')}"}
    warnings: list[str] = []
    # Litestar replaces the root logger's handlers at start-up, so pytest's caplog sees nothing.
    monkeypatch.setattr(app_module.log, "warning", lambda message, *args: warnings.append(message % args))
    try:
        with TestClient(create_app(services)) as client:
            sid = client.post(
                "/api/v1/strategies", headers=headers, json={"name": "SampleCross", "code": TRADING_STRATEGY}
            ).json()["id"]
            body = {
                "strategy_id": sid,
                "pairs": ["ETH/BTC"],
                "timerange": "20180110-20180130",
                "stake_currency": "BTC",
            }
            response = client.post("/api/v1/backtests", headers=headers, json=body)
            listed = client.get("/api/v1/backtests", headers=headers).json()
            health = client.get("/health")
    finally:
        services.close()
    assert 1 == len(warnings)
    assert "job queue unreachable at start-up" in warnings[0]
    assert 503 == response.status_code
    assert "queue is unavailable" in response.json()["detail"]
    assert 0 == listed["total"]
    assert (503, "ok") == (health.status_code, health.json()["checks"]["database"])
    assert "broker unreachable" in health.json()["checks"]["broker"]
