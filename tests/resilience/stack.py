"""
A production-shaped stack for resilience tests: PostgreSQL (a throwaway database), a real broker,
and `gentrade worker` processes started and killed like a real deployment's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs

from gentrade_adapters.sql.migrate import upgrade
from gentrade_app.bootstrap import Services, build_services
from gentrade_app.settings import Settings
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest
from gentrade_core.ports.repositories import StoreUnavailable
from tests.contract.dramatiq_support import BROKER_URLS, Namespace, require_broker
from tests.pg import throwaway_database
from tests.strategies_src import DATA_DIR, PAIRS, TIMERANGE, TRADING_STRATEGY

REPO = Path(__file__).resolve().parents[2]
ALICE = Principal("alice")


@attrs.define
class Stack:
    env: dict[str, str]
    services: Services
    logs: Path
    workers: list[subprocess.Popen[bytes]] = attrs.field(factory=list)

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker-{len(self.workers)}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "gentrade_app", "worker"], cwd=REPO, env=self.env, stdout=log, stderr=log
        )
        self.workers.append(worker)
        return worker

    def submit_backtest(self) -> str:
        strategy = self.services.strategies.put_code(ALICE, TRADING_STRATEGY)
        request = BacktestRequest(
            strategy_id=strategy.id,
            pairs=list(PAIRS),
            timerange=TIMERANGE,
            stake_currency="BTC",
            stake_amount=0.01,
            data_source="local",
        )
        return self.services.backtests.submit(ALICE, request).id

    def wait_for(self, job_id: str, done: Callable[[str], bool], timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        status = "unknown"
        while time.monotonic() < deadline:
            try:
                status = self.services.backtests.get(ALICE, job_id).status.value
            except StoreUnavailable:
                status = "database unavailable"  # while a test restarts it
            if done(status):
                return status
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} still {status} after {timeout} s; see {self.logs}")

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=40)
            except subprocess.TimeoutExpired:
                worker.kill()


@contextmanager
def production_stack(broker: str, tmp_path: Path, heartbeat_timeout: float = 6) -> Iterator[Stack]:
    url = BROKER_URLS[broker]
    require_broker(url)
    namespace = Namespace(url)
    with throwaway_database() as database_url:
        upgrade(database_url)
        env = {
            **os.environ,
            "GENTRADE_DATABASE_URL": database_url,
            "GENTRADE_QUEUE_URL": url,
            "GENTRADE_QUEUE_PREFIX": namespace.queue_prefix,
            "GENTRADE_DATA_DIR": str(tmp_path / "data"),
            "GENTRADE_MARKET_DATA_DIR": DATA_DIR,
            "GENTRADE_TOKEN_SECRET": "x" * 40,
            "GENTRADE_AUTO_MIGRATE": "false",
            "GENTRADE_HEARTBEAT_SECONDS": "0.5",
            "GENTRADE_JOB_HEARTBEAT_TIMEOUT": str(heartbeat_timeout),
        }
        settings = Settings(
            **{
                k.removeprefix("GENTRADE_").lower(): v
                for k, v in env.items()
                if k.startswith("GENTRADE_") and not k.startswith("GENTRADE_TEST")
            }
        )
        services = build_services(settings)
        stack = Stack(env, services, tmp_path)
        try:
            yield stack
        finally:
            stack.stop()
            services.close()
            namespace.delete()
