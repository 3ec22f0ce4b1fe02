"""
The worker side of a job: claim it, prepare data and files, run Freqtrade, record the outcome.

The stored job is the truth. Every write re-reads it, so a cancel asked through the API (in
another process) is seen at the next heartbeat; a job that already ended, or that the reaper gave
to another worker, is left alone; and a second delivery of the same id does nothing.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping

import attrs

from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.job import JobKind
from gentrade_core.domain.requests import DataSource
from gentrade_core.errors import DomainError
from gentrade_core.freqtrade import layout
from gentrade_core.freqtrade.commands import backtest_args, hyperopt_args
from gentrade_core.freqtrade.config import build_job_config
from gentrade_core.freqtrade.paths import JOB_DIR, MARKET_DATA, PathMask
from gentrade_core.freqtrade.screen import DEFAULT_POLICY, ScreenPolicy, screen_strategy
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.market_data import DataReport, DataRequest, MarketData, MarketDataError
from gentrade_core.ports.repositories import StoreUnavailable, UnitOfWork
from gentrade_core.ports.runtime import Limits, RunHandle, RunSpec, Runtime, RuntimeError_
from gentrade_core.ports.storage import ArtifactNotFound, ArtifactStore
from gentrade_core.usecases.backtest_result import load_backtest_result
from gentrade_core.usecases.job_store import Claim, Job, JobStore
from gentrade_core.usecases.run_support import EpochReader, Heartbeat, LogPump

log = logging.getLogger(__name__)

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
    deadline_seconds: float | None = None
    """A run still going after this long is stopped and the job fails."""
    paths: PathMask = attrs.field(factory=PathMask)
    """Hides server paths in what the job shows (log, tail, error); the job adds its own folders."""
    jobs: JobStore = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.jobs = JobStore(self.uow, self.clock)

    def run(self, kind: JobKind, job_id: str) -> None:
        """Run the job if it is still queued; safe to call twice with one id (the second does nothing)."""
        claimed = self.jobs.claim(kind, job_id)
        if claimed is None:
            return
        claim, job, strategy = claimed
        paths = self.paths  # grows with the job's folders as they become known
        try:
            if strategy is None:
                raise JobFailed(f"strategy {job.strategy_id!r} no longer exists")
            paths = paths.with_paths({self.artifacts.job_dir(job.id): JOB_DIR})
            code = strategy.version(job.strategy_version).code
            with Heartbeat(lambda: self.jobs.update(claim, self._beat), self.heartbeat_seconds):
                report = self._prepare(job, code, strategy.name)
            paths = paths.with_paths({report.data_dir: MARKET_DATA})
            if report.warnings:
                warnings = "".join(f"WARNING data: {w}\n" for w in report.warnings)
                self.artifacts.append(job.id, layout.LOG, paths.mask(warnings).encode())
            if self.jobs.update(claim, lambda j: j.start_running(self.clock.now())) is None:
                return
            self._execute(claim, job, strategy.name, report, paths)
        except StoreUnavailable:
            # Nothing can be recorded now; the reaper retries the job once the database is back.
            log.exception("database unavailable; leaving %s %s to the reaper", kind.value, job_id)
        except (JobFailed, DomainError, MarketDataError, RuntimeError_) as e:
            self.jobs.end(claim, [], failure=paths.mask(str(e)))
        except Exception as e:
            # The server's own log keeps the real paths; the job shows the masked message.
            log.exception("%s %s crashed", kind.value, job_id)
            self.jobs.end(claim, [], failure=paths.mask(f"internal error: {type(e).__name__}: {e}"))

    def _beat(self, job: Job) -> None:
        job.heartbeat(self.clock.now())

    def _prepare(self, job: Job, code: str, strategy_name: str) -> DataReport:
        assert job.request is not None
        screened = screen_strategy(code, expected_name=strategy_name, policy=self.policy)
        request = job.request.checked()  # stored under older rules? today's rules decide whether it runs
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
        return report

    def _spec(self, kind: JobKind, job: Job, strategy_name: str, report: DataReport) -> RunSpec:
        assert job.request is not None
        if isinstance(job, Hyperopt):
            args = hyperopt_args(strategy_name, job.request, report.data_dir)
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

    def _execute(
        self, claim: Claim, job: Job, strategy_name: str, report: DataReport, paths: PathMask
    ) -> None:
        epochs = EpochReader(self.artifacts, job.id)
        handle = self.runtime.start(self._spec(claim.kind, job, strategy_name, report))
        pump = LogPump(handle, lambda data: self.artifacts.append(job.id, layout.LOG, data), paths)
        pump.start()
        try:
            exit_code = self._supervise(claim, handle, pump, epochs)
        finally:
            pump.join()
            handle.cleanup()
        if exit_code is None:  # cancelled, or no longer ours
            self.jobs.end(claim, pump.drain(), cancelled=True)
        elif exit_code != 0:
            self.jobs.end(claim, pump.drain(), failure=_failure_reason(exit_code, list(pump.tail)))
        else:
            self._record_result(claim, pump.drain(), epochs)

    def _supervise(self, claim: Claim, handle: RunHandle, pump: LogPump, epochs: EpochReader) -> int | None:
        """Heartbeat, publish logs and progress, and honour cancel requests until the run ends."""
        started = time.monotonic()
        while True:
            exit_code = handle.wait(self.heartbeat_seconds)
            lines = pump.drain()
            if exit_code is not None:
                pump.requeue(lines)
                return exit_code
            try:
                job = self.jobs.update(claim, lambda j, lines=lines: self._tick(j, lines, epochs))
            except StoreUnavailable:
                pump.requeue(lines)  # keep running; the lines go out with the next beat
                continue
            if job is None or job.cancel_requested:
                handle.cancel()
                return None
            if self.deadline_seconds is not None and time.monotonic() - started > self.deadline_seconds:
                handle.cancel()
                raise JobFailed(f"Freqtrade ran longer than the deadline of {self.deadline_seconds:.0f} s")

    def _tick(self, job: Job, lines: list[str], epochs: EpochReader) -> None:
        job.heartbeat(self.clock.now())
        job.append_logs(lines)
        if isinstance(job, Hyperopt):
            job.record_progress(*epochs.read())

    def _record_result(self, claim: Claim, lines: list[str], epochs: EpochReader) -> None:
        now = self.clock.now()
        if claim.kind is JobKind.HYPEROPT:
            done, best = epochs.read()
            if best is None:
                raise JobFailed("hyperopt finished without a single evaluated epoch; see the logs")

            def finish_hyperopt(job: Job) -> None:
                assert isinstance(job, Hyperopt)
                job.append_logs(lines)
                job.finish(done, best, now)

            self.jobs.update(claim, finish_hyperopt)
            return
        try:
            summary, _ = load_backtest_result(self.artifacts, claim.job_id)
        except ArtifactNotFound as e:
            raise JobFailed(f"Freqtrade wrote no backtest result: {e}") from e

        def finish_backtest(job: Job) -> None:
            assert not isinstance(job, Hyperopt)
            job.append_logs(lines)
            job.finish(summary, now)

        self.jobs.update(claim, finish_backtest)
