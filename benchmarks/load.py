"""
`nox -s bench` (production half): 100 backtest submissions from 20 concurrent clients against the
API on PostgreSQL + RabbitMQ with 2 `gentrade worker` processes. Prints accept latency p50/p95
(target p95 < 200 ms), the time until every job finished, and lost or duplicated jobs (must be 0).
The clock starts after one untimed round of reads has warmed the API (threads, database pool);
the CPU steal printed beside the figures says how much the host took from this VM meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from tests.strategies_src import DATA_DIR, TRADING_STRATEGY

from benchmarks.server import bearer_headers, free_port, wait_healthy

SUBMISSIONS = 100
CLIENTS = 20
WORKERS = 2
API_PROCESSES = 1
ADMIN_URL = os.environ.get("GENTRADE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
QUEUE_URL = os.environ.get("GENTRADE_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
# A small backtest, so the run measures the platform rather than Freqtrade.
JOB = {
    "pairs": ["ETH/BTC"],
    "timeframe": "5m",
    "timerange": "20180115-20180120",
    "stake_currency": "BTC",
    "stake_amount": 0.01,
    "data_source": "local",
}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def _submit_all(base: str, headers: dict[str, str], strategy_id: str) -> tuple[list[str], list[float]]:
    """
    The clients share this machine's two cores with the system under test, so they use aiohttp:
    about a third of httpx's CPU per request, which would otherwise be taken from the API.
    """
    ids: list[str] = []
    latencies: list[float] = []
    todo = iter(range(SUBMISSIONS))
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(base, headers=headers, timeout=timeout) as client:

        async def one_client() -> None:
            for _ in todo:
                started = time.perf_counter()
                submission = {"strategy_id": strategy_id, **JOB}
                async with client.post("/api/v1/backtests", json=submission) as response:
                    body = await response.json()
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
                ids.append(body["id"])

        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return ids, latencies


async def _warm_up(base: str, headers: dict[str, str]) -> None:
    """
    One round of reads from every client, untimed: a long-running API already has its handler
    threads and database connections, and the first burst would otherwise time their creation.
    """
    async with aiohttp.ClientSession(base, headers=headers) as client:

        async def read() -> None:
            async with client.get("/api/v1/backtests", params={"limit": "1"}) as response:
                response.raise_for_status()

        await asyncio.gather(*(read() for _ in range(CLIENTS)))


def _cpu_times() -> list[int] | None:
    """The machine's CPU counters (Linux), to tell how much time the hypervisor took (steal)."""
    try:
        with open("/proc/stat") as stat:
            return [int(field) for field in stat.readline().split()[1:9]]
    except OSError:
        return None


def _steal_share(before: list[int] | None, after: list[int] | None) -> str:
    if before is None or after is None:
        return "n/a"
    spent = [b - a for a, b in zip(before, after, strict=True)]
    return f"{100 * spent[7] / max(1, sum(spent)):.0f} %"


def _wait_all(base: str, headers: dict[str, str], count: int, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = httpx.get(
            f"{base}/api/v1/backtests", headers=headers, params={"limit": 1, "status": "finished"}
        )
        failed = httpx.get(
            f"{base}/api/v1/backtests", headers=headers, params={"limit": 1, "status": "failed"}
        )
        if page.json()["total"] + failed.json()["total"] >= count:
            return
        time.sleep(1)
    raise SystemExit("not every job ended within the time limit")


def main() -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    database = f"gentrade_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    database_url = ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    data_dir = Path(tempfile.mkdtemp(prefix="gentrade-load-"))
    prefix = f"bench{uuid.uuid4().hex[:6]}-"
    env = {
        **os.environ,
        "GENTRADE_DATABASE_URL": database_url,
        "GENTRADE_QUEUE_URL": QUEUE_URL,
        "GENTRADE_QUEUE_PREFIX": prefix,
        "GENTRADE_DATA_DIR": str(data_dir),
        "GENTRADE_MARKET_DATA_DIR": DATA_DIR,
        "GENTRADE_WORKERS": "1",
        "GENTRADE_TOKEN_SECRET": "b" * 40,
    }
    python = [sys.executable, "-m", "gentrade_app"]
    subprocess.run([*python, "migrate"], env=env, check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes = [
        subprocess.Popen(
            [*python, "serve", "--port", str(port), "--processes", str(API_PROCESSES)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    processes += [
        subprocess.Popen([*python, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(WORKERS)
    ]
    try:
        wait_healthy(base, processes[0])
        headers = bearer_headers(env, "load")
        strategy = httpx.post(
            f"{base}/api/v1/strategies",
            headers=headers,
            json={"name": "SampleCross", "code": TRADING_STRATEGY},
        ).json()
        asyncio.run(_warm_up(base, headers))
        cpu_before = _cpu_times()
        started = time.perf_counter()
        ids, latencies = asyncio.run(_submit_all(base, headers, strategy["id"]))
        steal = _steal_share(cpu_before, _cpu_times())
        _wait_all(base, headers, SUBMISSIONS)
        elapsed = time.perf_counter() - started
        engine = create_engine(database_url, poolclass=NullPool)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, status, attempts FROM backtests")).all()
        engine.dispose()
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(data_dir, ignore_errors=True)
    finished = {row.id for row in rows if row.status == "finished"}
    lost = len(set(ids) - finished)
    duplicated = sum(1 for row in rows if row.attempts > 1) + (len(rows) - len(set(ids)))
    print(f"{SUBMISSIONS} submissions from {CLIENTS} clients: {API_PROCESSES} API processes, PostgreSQL,")
    print(f"RabbitMQ and {WORKERS} workers")
    print(
        f"accept latency                : p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {_percentile(latencies, 0.95) * 1000:.1f} ms  (target p95 < 200 ms)"
    )
    print(f"CPU steal while submitting    : {steal}  (time the hypervisor gave to other guests)")
    print(f"all finished after            : {elapsed:.1f} s")
    print(f"lost jobs                     : {lost}")
    print(f"duplicated jobs               : {duplicated}")


if __name__ == "__main__":
    main()
