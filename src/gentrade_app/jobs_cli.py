"""`gentrade backtest|hyperopt FILE ...`: the same use cases as the API, waited for in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console

from gentrade_app.bootstrap import Services
from gentrade_app.report import best_epoch_table, summary_table
from gentrade_app.waiting import wait_with_progress
from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest, HyperoptRequest, findings_of
from gentrade_core.errors import ValidationFailed


def request_from(kind: str, strategy_id: str, fields: dict[str, Any]) -> BacktestRequest | HyperoptRequest:
    """Build the request, turning pydantic's errors into the domain's field-by-field findings."""
    model = HyperoptRequest if kind == "hyperopt" else BacktestRequest
    values = {k: v for k, v in fields.items() if v is not None}
    if values.get("stake_amount", "unlimited") != "unlimited":
        values["stake_amount"] = _number(values["stake_amount"])
    try:
        return model(strategy_id=strategy_id, **values)
    except ValidationError as e:
        raise ValidationFailed(findings_of(e)) from None


def _number(text: str) -> float | str:
    """`--stake-amount 0.01` arrives as text; the request takes a number (anything else it refuses)."""
    try:
        return float(text)
    except ValueError:
        return text


def run_job_from_file(
    services: Services,
    principal: Principal,
    kind: str,
    strategy_file: Path,
    fields: dict[str, Any],
    console: Console,
) -> int:
    """Store the file's strategy, run the job, print the outcome; the exit code says how it ended."""
    strategy = services.strategies.put_code(principal, strategy_file.read_text())
    request = request_from(kind, strategy.id, fields)
    jobs = services.hyperopts if kind == "hyperopt" else services.backtests
    job = jobs.submit(principal, request)  # type: ignore[arg-type]
    console.print(f"{kind} {job.id} of {strategy.name} v{strategy.current_version} queued")
    job = wait_with_progress(jobs, principal, job.id, f"{kind} {strategy.name}")
    if isinstance(job, Backtest) and job.summary:
        console.print(summary_table(f"backtest {job.id}", job.summary))
    elif isinstance(job, Hyperopt) and job.best:
        console.print(best_epoch_table(f"hyperopt {job.id}: best epoch", job.best))
    if job.status.value != "finished":
        console.print(f"[red]{kind} {job.status.value}[/red]: {job.error or ''}")
        return 1
    return 0
