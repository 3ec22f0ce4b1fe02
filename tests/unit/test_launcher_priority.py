"""Freqtrade runs as batch work: it yields the CPU to the API, the database and the broker."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from gentrade_adapters.freqtrade.launcher import JOB_NICENESS


def _run(script: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux-only")
def test_the_run_and_the_processes_it_starts_are_sched_idle() -> None:
    policies = _run(
        """
        import os, subprocess, sys
        from gentrade_adapters.freqtrade.launcher import run_as_batch_work
        run_as_batch_work()
        print(os.sched_getscheduler(0))
        child = "import os; print(os.sched_getscheduler(0))"
        print(subprocess.check_output([sys.executable, "-c", child], text=True))
        """
    )
    assert policies == [str(os.SCHED_IDLE)] * 2


def test_where_sched_idle_is_refused_the_run_is_niced_instead() -> None:
    before, after = _run(
        """
        import os
        from gentrade_adapters.freqtrade import launcher
        def refuse(*args):
            raise PermissionError("seccomp")
        os.sched_setscheduler = refuse
        print(os.nice(0))
        launcher.run_as_batch_work()
        print(os.nice(0))
        """
    )
    assert int(after) == min(19, int(before) + JOB_NICENESS)
