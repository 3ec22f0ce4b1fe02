"""
`nox -s bench`: figures for the embedded stack, printed, never asserted.

1. API overhead: one backtest end to end through the HTTP API (POST until `finished`) against the
   same `freqtrade backtesting` run straight from the command line on the job's own files
   (target ratio <= 1.15).
2. `GET /api/v1/backtests` latency, p50/p95, with 50 concurrent clients.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from tests.strategies_src import DATA_DIR, PAIRS, TIMERANGE, TRADING_STRATEGY

from benchmarks.server import bearer_headers, free_port, wait_healthy
from gentrade_core.freqtrade import layout
from gentrade_core.freqtrade.commands import backtest_args

CLIENTS = 50
REQUESTS_PER_CLIENT = 20
ROUNDS = 5
"""Backtest timings vary by a second between runs on a small host: compare medians of interleaved runs."""


def _api_backtest(base: str, headers: dict[str, str]) -> tuple[float, str]:
    strategy = httpx.post(
        f"{base}/api/v1/strategies", headers=headers, json={"name": "SampleCross", "code": TRADING_STRATEGY}
    ).json()
    if "id" not in strategy:  # stored by an earlier round
        strategy = httpx.get(f"{base}/api/v1/strategies", headers=headers).json()["items"][0]
    body = {
        "strategy_id": strategy["id"],
        "pairs": list(PAIRS),
        "timeframe": "5m",
        "timerange": TIMERANGE,
        "stake_currency": "BTC",
        "stake_amount": 0.01,
        "dry_run_wallet": 0.1,
        "data_source": "local",
    }
    started = time.perf_counter()
    job_id = httpx.post(f"{base}/api/v1/backtests", headers=headers, json=body).json()["id"]
    while (job := httpx.get(f"{base}/api/v1/backtests/{job_id}", headers=headers).json())["status"] not in {
        "finished",
        "failed",
        "cancelled",
    }:
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    if job["status"] != "finished":
        raise SystemExit(f"benchmark backtest {job['status']}: {job['error']}")
    return elapsed, job_id


def _cli_backtest(job_dir: Path, data_dir: str) -> float:
    """The same run with the job's config, strategy and markets, straight from the command line."""
    scratch = Path(tempfile.mkdtemp(prefix="gentrade-cli-"))
    for name in (layout.CONFIG, layout.MARKETS, layout.STRATEGY_DIR):
        source = job_dir / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, scratch / name)
    args = backtest_args("SampleCross", TIMERANGE, data_dir)
    command = [
        sys.executable,
        "-m",
        "gentrade_adapters.freqtrade.launcher",
        "--markets",
        layout.MARKETS,
        "--",
        *args,
    ]
    started = time.perf_counter()
    subprocess.run(command, cwd=scratch, check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    shutil.rmtree(scratch, ignore_errors=True)
    return elapsed


async def _list_latency(base: str, headers: dict[str, str]) -> list[float]:
    latencies: list[float] = []
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=30, limits=httpx.Limits(max_connections=CLIENTS)
    ) as client:

        async def one_client() -> None:
            for _ in range(REQUESTS_PER_CLIENT):
                started = time.perf_counter()
                response = await client.get("/api/v1/backtests", params={"limit": 50})
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()

        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return latencies


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="gentrade-bench-"))
    env = {
        **os.environ,
        "GENTRADE_DATA_DIR": str(data_dir),
        "GENTRADE_MARKET_DATA_DIR": DATA_DIR,
        "GENTRADE_HEARTBEAT_SECONDS": "0.5",
    }
    headers = bearer_headers(env, "bench")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gentrade_app", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(base, server)
        api_runs, cli_runs = [], []
        for _ in range(ROUNDS):
            api_time, job_id = _api_backtest(base, headers)
            api_runs.append(api_time)
            cli_runs.append(_cli_backtest(data_dir / "jobs" / job_id, DATA_DIR))
        api_seconds, cli_seconds = statistics.median(api_runs), statistics.median(cli_runs)
        latencies = sorted(asyncio.run(_list_latency(base, headers)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    print(f"backtest via API, end to end : {api_seconds:6.2f} s (median of {ROUNDS})")
    print(f"same backtest from the CLI    : {cli_seconds:6.2f} s (median of {ROUNDS})")
    print(f"API / CLI ratio               : {api_seconds / cli_seconds:6.3f}  (target <= 1.15)")
    print(
        f"GET /api/v1/backtests, {CLIENTS} clients x {REQUESTS_PER_CLIENT}: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
