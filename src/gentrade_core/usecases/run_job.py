"""
The worker side of a job: claim it, prepare data and files, run Freqtrade, record the outcome.

The stored job is the truth. Every step re-reads it, so a cancel asked through the API (another
process) is seen at the next heartbeat, and a job that already ended is never run again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Callable, Mapping

import attrs

from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt, HyperoptEpoch
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.requests import DataSource
from gentrade_core.errors import DomainError
from gentrade_core.freqtrade import layout
from gentrade_core.freqtrade.commands import backtest_args, hyperopt_args
from gentrade_core.freqtrade.config import build_job_config
from gentrade_core.freqtrade.results import (
    latest_backtest_zip_name,
    parse_backtest_result,
    parse_hyperopt_epochs,
    read_backtest_zip,
)
from gentrade_core.freqtrade.screen import DEFAULT_POLICY, ScreenPolicy, screen_strategy
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.market_data import DataReport, DataRequest, MarketData, MarketDataError
from gentrade_core.ports.repositories import UnitOfWork
from gentrade_core.ports.runtime import Limits, RunHandle, RunSpec, Runtime, RuntimeError_
from gentrade_core.ports.storage import ArtifactNotFound, ArtifactStore
from gentrade_core.usecases.jobs import repository

log = logging.getLogger(__name__)

Job = Backtest | Hyperopt
_ERROR_LINES = 15


class JobFailed(Exception):
    """Ends the job as failed with this message."""


def _failure_reason(exit_code: int | None, tail: list[str]) -> str:
    errors = [line for line in tail if " - ERROR - " in line or "Error" in line or "Traceback" in line]
    shown = "\n".join((errors or tail)[-_ERROR_LINES:])
    return f"Freqtrade exited with code {exit_code}:\n{shown}"


@attrs.define
class JobRunner:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    market_data: MarketData
    runtime: Runtime
    artifacts: ArtifactStore
    heartbeat_seconds: float = 2.0
    limits: Mapping[JobKind, Limits] = attrs.field(factory=dict[JobKind, Limits])
    policy: ScreenPolicy = DEFAULT_POLICY

    def run(self, kind: JobKind, job_id: str) -> None:
        """Run the job if it is still queued; safe to call twice with one id (the second does nothing)."""
        claimed = self._claim(kind, job_id)
        if claimed is None:
            return
        job, code, strategy_name = claimed
        try:
            report = self._prepare(job, code, strategy_name)
            if self._update(kind, job_id, lambda j: j.start_running(self.clock.now())) is None:
                return
            self._execute(kind, job, strategy_name, report)
        except JobFailed as e:
            self._end(kind, job_id, failure=str(e))
        except (DomainError, MarketDataError, RuntimeError_) as e:
            self._end(kind, job_id, failure=str(e))
        except Exception as e:
            log.exception("job %s crashed", job_id)
            self._end(kind, job_id, failure=f"internal error: {type(e).__name__}: {e}")

    def _claim(self, kind: JobKind, job_id: str) -> tuple[Job, str, str] | None:
        with self.uow() as uow:
            repo = repository(uow, kind)
            job = repo.get(job_id)
            if job is None or job.status is not JobStatus.QUEUED:
                return None
            strategy = uow.strategies.get(job.strategy_id)
            job.start_download(self.clock.now())
            repo.save(job)  # type: ignore[arg-type]
            uow.commit()
        if strategy is None:
            self._end(kind, job_id, failure=f"strategy {job.strategy_id!r} no longer exists")
            return None
        return job, strategy.version(job.strategy_version).code, strategy.name

    def _prepare(self, job: Job, code: str, strategy_name: str) -> DataReport:
        assert job.request is not None
        screened = screen_strategy(code, expected_name=strategy_name, policy=self.policy)
        request = job.request
        report = self.market_data.ensure(
            DataRequest(
                exchange=request.exchange,
                pairs=request.pair_values,
                timeframe=request.timeframe_value,
                timerange=request.timerange_value,
                source=request.data_source or DataSource.SYNTHETIC,
                startup_candles=screened.startup_candle_count,
            )
        )
        config = build_job_config(request, strategy_name, report.data_dir)
        files = {
            f"{layout.STRATEGY_DIR}/{strategy_name}.py": code.encode(),
            layout.CONFIG: json.dumps(config, indent=2).encode(),
            layout.MARKETS: json.dumps(report.markets).encode(),
        }
        for name, data in files.items():
            self.artifacts.write(job.id, name, data)
        if report.warnings:
            self.artifacts.append(
                job.id, layout.LOG, "".join(f"WARNING data: {w}\n" for w in report.warnings).encode()
            )
        return report

    def _spec(self, kind: JobKind, job: Job, strategy_name: str, report: DataReport) -> RunSpec:
        assert job.request is not None
        if isinstance(job, Hyperopt):
            args = hyperopt_args(strategy_name, job.request, report.data_dir)  # type: ignore[arg-type]
        else:
            args = backtest_args(strategy_name, job.request.timerange, report.data_dir)
        return RunSpec(
            name=f"gentrade-{kind.value}-{job.id}",
            args=args,
            workdir=self.artifacts.job_dir(job.id),
            data_dir=report.data_dir,
            markets_file=layout.MARKETS,
            network=False,
            limits=self.limits.get(kind, Limits()),
            labels={
                "gentrade.job.id": job.id,
                "gentrade.job.kind": kind.value,
                "gentrade.owner": job.owner_id,
            },
        )

    def _execute(self, kind: JobKind, job: Job, strategy_name: str, report: DataReport) -> None:
        epochs = _EpochReader(self.artifacts, job.id)
        handle = self.runtime.start(self._spec(kind, job, strategy_name, report))
        pump = _LogPump(handle, lambda data: self.artifacts.append(job.id, layout.LOG, data))
        pump.start()
        try:
            exit_code = self._supervise(kind, job.id, handle, pump, epochs)
        finally:
            pump.join()
            handle.cleanup()
        if exit_code is None:  # cancelled
            self._end(kind, job.id, cancelled=True, lines=pump.drain())
            return
        if exit_code != 0:
            self._end(kind, job.id, failure=_failure_reason(exit_code, list(pump.tail)), lines=pump.drain())
            return
        self._record_result(kind, job.id, pump.drain(), epochs)

    def _supervise(
        self, kind: JobKind, job_id: str, handle: RunHandle, pump: _LogPump, epochs: _EpochReader
    ) -> int | None:
        """Heartbeat, publish logs and progress, and honour cancel requests until the run ends."""
        while True:
            exit_code = handle.wait(self.heartbeat_seconds)
            lines = pump.drain()
            if exit_code is not None:
                pump.requeue(lines)
                return exit_code
            job = self._update(kind, job_id, lambda j, lines=lines: self._tick(j, lines, epochs))
            if job is None or job.cancel_requested:
                handle.cancel()
                return None

    def _tick(self, job: Job, lines: list[str], epochs: _EpochReader) -> None:
        job.heartbeat(self.clock.now())
        job.append_logs(lines)
        if isinstance(job, Hyperopt):
            job.record_progress(*epochs.read())

    def _record_result(self, kind: JobKind, job_id: str, lines: list[str], epochs: _EpochReader) -> None:
        now = self.clock.now()
        if kind is JobKind.HYPEROPT:
            done, best = epochs.read()
            if best is None:
                raise JobFailed("hyperopt finished without a single evaluated epoch; see the logs")
            self._update(kind, job_id, lambda j: (j.append_logs(lines), j.finish(done, best, now)))  # type: ignore[union-attr,arg-type]
            return
        try:
            pointer = json.loads(self.artifacts.read(job_id, f"{layout.BACKTEST_RESULTS}/.last_result.json"))
            zip_name = latest_backtest_zip_name(pointer)
            result = read_backtest_zip(self.artifacts.read(job_id, f"{layout.BACKTEST_RESULTS}/{zip_name}"))
        except ArtifactNotFound as e:
            raise JobFailed(f"Freqtrade wrote no backtest result: {e}") from e
        strategy_name = next(iter(result.get("strategy", {})), "")
        summary, _ = parse_backtest_result(result, strategy_name)
        self._update(kind, job_id, lambda j: (j.append_logs(lines), j.finish(summary, now)))  # type: ignore[union-attr,arg-type]

    def _update(self, kind: JobKind, job_id: str, change: Callable[[Job], object]) -> Job | None:
        """Apply `change` to the freshly loaded job and save it; None if the job ended meanwhile."""
        with self.uow() as uow:
            repo = repository(uow, kind)
            job = repo.get(job_id)
            if job is None or job.status.is_terminal:
                return None
            change(job)
            repo.save(job)  # type: ignore[arg-type]
            uow.commit()
            return job

    def _end(
        self,
        kind: JobKind,
        job_id: str,
        failure: str | None = None,
        cancelled: bool = False,
        lines: list[str] | None = None,
    ) -> None:
        now = self.clock.now()

        def change(job: Job) -> None:
            job.append_logs(lines or [])
            if cancelled:
                job.cancel(now)
            else:
                job.fail(failure or "failed", now)

        self._update(kind, job_id, change)


class _LogPump:
    """Copies a run's output to the job's log file as it arrives and keeps lines for the job row."""

    def __init__(self, handle: RunHandle, sink: Callable[[bytes], None]) -> None:
        self._handle = handle
        self._sink = sink
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self.tail: deque[str] = deque(maxlen=200)
        self._thread = threading.Thread(target=self._pump, name="gentrade-log-pump", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._thread.join(timeout=10)

    def _pump(self) -> None:
        for line in self._handle.logs():
            self._sink((line + "\n").encode())
            with self._lock:
                self._pending.append(line)
                self.tail.append(line)

    def drain(self) -> list[str]:
        with self._lock:
            lines, self._pending = self._pending, []
        return lines

    def requeue(self, lines: list[str]) -> None:
        with self._lock:
            self._pending = lines + self._pending


class _EpochReader:
    """
    Follows the hyperopt's `.fthypt` file as it grows, reading only what is new: each line carries
    an epoch's whole trade list, so re-reading the file every heartbeat would cost more and more.
    """

    def __init__(self, artifacts: ArtifactStore, job_id: str) -> None:
        self._artifacts = artifacts
        self._job_id = job_id
        self._name: str | None = None
        self._offset = 0
        self.done = 0
        self.best: HyperoptEpoch | None = None

    def read(self) -> tuple[int, HyperoptEpoch | None]:
        if self._name is None:
            files = sorted(a.name for a in self._artifacts.list(self._job_id) if a.name.endswith(".fthypt"))
            if not files:
                return self.done, self.best
            self._name = files[-1]
        data = self._artifacts.read(self._job_id, self._name, offset=self._offset)
        complete = data[: data.rfind(b"\n") + 1]  # a half-written last line waits for the next read
        self._offset += len(complete)
        done, best = parse_hyperopt_epochs(complete.decode("utf-8", "replace").splitlines())
        self.done += done
        if best is not None and (self.best is None or best.loss < self.best.loss):
            self.best = best
        return self.done, self.best
