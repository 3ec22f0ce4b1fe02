"""`gentrade` run as a user runs it: a real process, its state in the test's own folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.strategies_src import DATA_DIR

SECRET = "s" * 40
TABLE_COLUMNS = "250"
"""Wide enough that a printed table has one line per row."""


def gentrade(tmp_path: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GENTRADE_DATA_DIR": str(tmp_path / "data"),
        "GENTRADE_TOKEN_SECRET": SECRET,
        "GENTRADE_MARKET_DATA_DIR": DATA_DIR,
        "GENTRADE_HEARTBEAT_SECONDS": "0.5",
        "COLUMNS": TABLE_COLUMNS,
    }
    return subprocess.run(
        [sys.executable, "-m", "gentrade_app", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
