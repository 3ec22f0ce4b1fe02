"""Wait for a job in the terminal with a progress bar (used by the CLI and the demo)."""

from __future__ import annotations

import time
from typing import Any

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.principal import Principal
from gentrade_core.usecases.jobs import Jobs

_STAGE = {"queued": 2, "downloading_data": 10, "running": 25}


def wait_with_progress(jobs: Jobs[Any, Any], principal: Principal, job_id: str, label: str) -> Any:
    """Poll the job until it ends; hyperopts advance by epochs, backtests by stage."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task(label, total=100, status="queued")
        while True:
            job = jobs.get(principal, job_id)
            done = job.progress if isinstance(job, Hyperopt) and job.status.value == "running" else None
            completed = (
                100 if job.status.is_terminal else (done if done is not None else _STAGE[job.status.value])
            )
            progress.update(task, completed=completed, status=job.status.value)
            if job.status.is_terminal:
                return job
            time.sleep(0.5)
