"""PostgreSQL restarted while a job runs: the job still ends in a correct final state."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.pg import UNDER_CI
from tests.resilience.stack import ALICE, production_stack

pytestmark = pytest.mark.freqtrade


def restart_postgres() -> None:
    if shutil.which("pg_ctlcluster") is None:
        if UNDER_CI:
            pytest.fail("pg_ctlcluster is needed to restart PostgreSQL (CI=true, so this is a failure)")
        pytest.skip("no pg_ctlcluster to restart the local PostgreSQL with")
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_a_running_job_rides_out_a_database_restart(tmp_path: Path) -> None:
    """The worker keeps Freqtrade running through the outage and records the result afterwards."""
    with production_stack("rabbitmq", tmp_path, heartbeat_timeout=60) as stack:
        stack.start_worker()
        job_id = stack.submit_backtest()
        stack.wait_for(job_id, lambda s: s == "running")
        restart_postgres()
        assert "finished" == stack.wait_for(job_id, lambda s: s in {"finished", "failed", "cancelled"})
        job = stack.services.backtests.get(ALICE, job_id)
        assert (1, True) == (job.attempts, job.summary is not None)
