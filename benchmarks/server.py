"""Starting `gentrade serve` for a benchmark: a free loopback port and waiting until it answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def bearer_headers(env: dict[str, str], user: str) -> dict[str, str]:
    """An Authorization header for `user`, from `gentrade token create` run with `env`."""
    token = subprocess.run(
        [sys.executable, "-m", "gentrade_app", "token", "create", "--user", user],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the API server exited during start-up")
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("the API server did not become healthy")
