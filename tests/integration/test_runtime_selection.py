"""GENTRADE_RUNTIME picks where Freqtrade runs; a broken runtime fails jobs with its reason, not the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from gentrade_adapters.runtime.docker import DockerRuntime
from gentrade_adapters.runtime.lazy import LazyRuntime
from gentrade_adapters.runtime.local import LocalRuntime
from gentrade_app.bootstrap import build_services
from gentrade_app.http.app import create_app
from gentrade_app.runtimes import build_runtime
from gentrade_app.settings import Settings
from tests.contract.docker_support import runner_image  # noqa: F401 - the fixture
from tests.e2e.conftest import wait_for
from tests.strategies_src import DATA_DIR, PAIRS, TIMERANGE, TRADING_STRATEGY


def test_runtime_follows_the_setting_and_the_cluster(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """local by default, kubernetes inside a cluster, and whatever GENTRADE_RUNTIME names."""
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    assert isinstance(build_runtime(Settings(data_dir=tmp_path), tmp_path)[0], LocalRuntime)
    assert isinstance(
        build_runtime(Settings(data_dir=tmp_path, runtime="docker"), tmp_path)[0], DockerRuntime
    )
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    assert "kubernetes" == Settings(data_dir=tmp_path).effective_runtime
    assert isinstance(build_runtime(Settings(data_dir=tmp_path), tmp_path)[0], LazyRuntime)


def run_backtest_through_the_api(settings: Settings) -> dict[str, Any]:
    services = build_services(settings)
    headers = {"Authorization": f"Bearer {services.tokens.issue('alice')}"}
    try:
        with TestClient(create_app(services)) as client:
            sid = client.post(
                "/api/v1/strategies", headers=headers, json={"name": "SampleCross", "code": TRADING_STRATEGY}
            ).json()["id"]
            body = {
                "strategy_id": sid,
                "pairs": list(PAIRS),
                "timerange": TIMERANGE,
                "stake_currency": "BTC",
                "stake_amount": 0.01,
                "data_source": "local",
            }
            job_id = client.post("/api/v1/backtests", headers=headers, json=body).json()["id"]
            job = wait_for(client, f"/api/v1/backtests/{job_id}", headers)
            assert 200 == client.get("/health").status_code  # the API stays up
            return job
    finally:
        services.close()


def settings_for(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        data_dir=tmp_path,
        market_data_dir=Path(DATA_DIR),
        token_secret="x" * 40,
        heartbeat_seconds=0.5,
        **extra,
    )


@pytest.mark.freqtrade
def test_a_backtest_runs_end_to_end_in_docker(tmp_path: Path, runner_image: str) -> None:  # noqa: F811
    """Through the API with GENTRADE_RUNTIME=docker: the job finishes with trades."""
    job = run_backtest_through_the_api(settings_for(tmp_path, runtime="docker", runner_image=runner_image))
    assert "finished" == job["status"], job["error"]
    assert job["summary"]["total_trades"] > 0


def test_missing_image_fails_the_job_saying_how_to_fix_it(tmp_path: Path, runner_image: str) -> None:  # noqa: F811
    """An image that does not exist: the job fails naming the image and how to build it."""
    job = run_backtest_through_the_api(
        settings_for(tmp_path, runtime="docker", runner_image="gentrade-nope:0")
    )
    assert "failed" == job["status"]
    assert "gentrade-nope:0" in job["error"] and "runner_image" in job["error"]


def test_unreachable_daemon_fails_the_job_saying_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No Docker daemon: the job fails with the reason and the fix; the API keeps answering."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'no-docker.sock'}")
    job = run_backtest_through_the_api(settings_for(tmp_path, runtime="docker"))
    assert "failed" == job["status"]
    assert "Docker daemon" in job["error"]


def test_kubernetes_without_a_cluster_fails_the_job_not_the_start(tmp_path: Path) -> None:
    """Misconfigured Kubernetes does not stop the API from starting; jobs fail with the reason."""
    job = run_backtest_through_the_api(
        settings_for(tmp_path, runtime="kubernetes", k8s_kubeconfig=str(tmp_path / "missing-kubeconfig"))
    )
    assert "failed" == job["status"]
    assert "Kubernetes" in job["error"]
