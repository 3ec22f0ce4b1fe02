"""A launcher whose parent dies takes its Freqtrade run down with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil


def test_launcher_exits_when_its_parent_is_killed() -> None:
    """SIGKILL the parent (a stand-in worker): the launcher and its child are gone within seconds."""
    parent_script = textwrap.dedent(
        """
        import subprocess, sys, time
        child = subprocess.Popen(
            [sys.executable, "-c",
             "from gentrade_adapters.freqtrade.launcher import exit_with_parent;"
             "import time, subprocess, sys;"
             "exit_with_parent(0.1); subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
             "time.sleep(60)"],
            start_new_session=True,
        )
        print(child.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    launcher_pid = int(parent.stdout.readline())
    time.sleep(1.0)
    group = [p for p in psutil.process_iter() if _pgid(p.pid) == launcher_pid]
    assert 2 <= len(group)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in group) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [] == [p.pid for p in group if _alive(p)]


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
