"""
The worker side of a job: claim it, prepare data and files, run Freqtrade, record the outcome.

Backtests and hyperopts get their candles first; a strategy that reads informative candles (its load
check says so, or has not said yet) is loaded by Freqtrade with the job's config to learn which, and
those are fetched too. A strategy check only loads the strategy (`gentrade-probe`) and keeps what
Freqtrade reports.

The stored job is the truth. Every write re-reads it, so a cancel asked through the API (in
another process) is seen at the next heartbeat; a job that already ended, or that the reaper gave
to another worker, is left alone; and a second delivery of the same id does nothing.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from datetime import datetime

import attrs

from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.hyperopt import Hyperopt
from gentrade_core.domain.job import JobKind
from gentrade_core.domain.requests import DataSource, HyperoptRequest
from gentrade_core.domain.strategy import StrategyVersion
from gentrade_core.domain.strategy_check import StrategyCheck, StrategyFacts, newest_checks
from gentrade_core.domain.values import Pair, Timeframe
from gentrade_core.errors import DomainError
from gentrade_core.freqtrade import layout
from gentrade_core.freqtrade.commands import backtest_args, hyperopt_args, probe_args
from gentrade_core.freqtrade.config import CHECK_PAIR, build_job_config, check_config
from gentrade_core.freqtrade.markets import synthesize_markets
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

_REASON_LINES = 15
_REASON_MARKS = (" - ERROR - ", " - WARNING - ", "Error", "Traceback")
"""Lines that explain a failure: Freqtrade's errors, the warnings before them ("No history for
ETH/BTC, spot, 1h found"), and exceptions."""


class JobFailed(Exception):
    """Ends the job as failed with this message."""


_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ")


def _failure_reason(exit_code: int | None, tail: list[str]) -> str:
    explaining = [line for line in tail if any(mark in line for mark in _REASON_MARKS)]
    # Freqtrade says some things once per search path: each is kept once.
    once = {_TIMESTAMP.sub("", line): line for line in reversed(explaining or tail)}
    shown = "\n".join(reversed(list(once.values())[:_REASON_LINES]))
    return f"Freqtrade exited with code {exit_code}:\n{shown}"


def _may_read_informative(code: str) -> bool:
    """
    Before its load check has passed, whether a strategy may read informative candles: both ways
    (`informative_pairs()`, the `@informative` decorator) name the word, so without it Freqtrade
    need not load the strategy to ask.
    """
    return "informative" in code


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
            version = strategy.version(job.strategy_version)
            self._write_strategy(job.id, strategy.name, version)
            if isinstance(job, StrategyCheck):
                spec = self._prepare_check(job, strategy.name)
            else:
                prepared = self._prepare_run(claim, job, strategy.name, version.code, paths)
                if prepared is None:
                    return  # ended while Freqtrade read the strategy's informative pairs
                spec, paths = prepared
            if self.jobs.update(claim, lambda j: j.start_running(self.clock.now())) is None:
                return
            self._execute(claim, spec, paths)
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

    def _write_strategy(self, job_id: str, name: str, version: StrategyVersion) -> None:
        self.artifacts.write(job_id, layout.strategy_file(name), version.code.encode())
        if version.parameters is not None:
            self.artifacts.write(job_id, layout.parameter_file(name), json.dumps(version.parameters).encode())

    def _write_json(self, job_id: str, name: str, value: object) -> None:
        self.artifacts.write(job_id, name, json.dumps(value, indent=2).encode())

    def _prepare_check(self, job: StrategyCheck, strategy_name: str) -> RunSpec:
        self._write_json(job.id, layout.CONFIG, check_config(strategy_name))
        self._write_json(job.id, layout.MARKETS, synthesize_markets([Pair(CHECK_PAIR)]))
        return self._spec(JobKind.CHECK, job, probe_args(strategy_name), data_dir=None)

    def _prepare_run(
        self, claim: Claim, job: Job, strategy_name: str, code: str, paths: PathMask
    ) -> tuple[RunSpec, PathMask] | None:
        assert not isinstance(job, StrategyCheck) and job.request is not None
        request = job.request.checked()  # stored under older rules? today's rules decide whether it runs
        facts = self._checked_facts(job)
        screened = screen_strategy(code, expected_name=strategy_name, policy=self.policy)
        wanted = DataRequest(
            exchange=request.exchange,
            pairs=request.pair_values,
            timeframe=request.timeframe_value,
            timerange=request.timerange_value,
            source=request.data_source or DataSource.SYNTHETIC,
            startup_candles=facts.startup_candle_count if facts else screened.startup_candle_count,
        )
        report = self._ensure(claim, wanted)
        paths = paths.with_paths({report.data_dir: MARKET_DATA})
        self._write_json(job.id, layout.CONFIG, build_job_config(request, strategy_name, report.data_dir))
        self._write_json(job.id, layout.MARKETS, report.markets)
        if facts.informative if facts else _may_read_informative(code):
            informative = self._informative(claim, job, strategy_name, report, paths)
            if informative is None:
                return None
            if informative:
                report = self._ensure(claim, attrs.evolve(wanted, informative=informative))
                self._write_json(job.id, layout.MARKETS, report.markets)
        if report.warnings:
            warnings = "".join(f"WARNING data: {w}\n" for w in report.warnings)
            self.artifacts.append(job.id, layout.LOG, paths.mask(warnings).encode())
        if isinstance(request, HyperoptRequest):
            args = hyperopt_args(strategy_name, request, report.data_dir)
        else:
            args = backtest_args(strategy_name, request.timerange, report.data_dir)
        return self._spec(claim.kind, job, args, report.data_dir), paths

    def _ensure(self, claim: Claim, wanted: DataRequest) -> DataReport:
        with Heartbeat(lambda: self.jobs.update(claim, self._beat), self.heartbeat_seconds):
            return self.market_data.ensure(wanted)

    def _checked_facts(self, job: Job) -> StrategyFacts | None:
        """What the version's load check found, if it passed."""
        with self.uow() as uow:
            checks = newest_checks(uow.checks.for_versions([(job.strategy_id, job.strategy_version)]))
        check = checks.get((job.strategy_id, job.strategy_version))
        return check.facts if check is not None else None

    def _informative(
        self, claim: Claim, job: Job, strategy_name: str, report: DataReport, paths: PathMask
    ) -> list[tuple[Pair, Timeframe]] | None:
        """
        The (pair, timeframe) candles the strategy reads for this job's whitelist, as Freqtrade
        gathers them; None when the job ended meanwhile (cancelled, or Freqtrade could not load it).
        """
        spec = self._spec(claim.kind, job, probe_args(strategy_name), report.data_dir, probe=True)
        exit_code, pump = self._run_to_end(claim, spec, paths, None)
        if exit_code is None:
            self.jobs.end(claim, pump.drain(), cancelled=True)
            return None
        if exit_code != 0:
            reason = _failure_reason(exit_code, list(pump.tail))
            self.jobs.end(claim, pump.drain(), failure=f"Freqtrade could not load the strategy. {reason}")
            return None
        lines = pump.drain()
        self.jobs.update(claim, lambda j: j.append_logs(lines))
        return [(Pair(p), Timeframe(tf)) for p, tf in self._probe_report(job.id).informative]

    def _probe_report(self, job_id: str) -> StrategyFacts:
        try:
            return StrategyFacts.from_report(json.loads(self.artifacts.read(job_id, layout.PROBE_REPORT)))
        except ArtifactNotFound as e:
            raise JobFailed(f"Freqtrade loaded the strategy but wrote no report: {e}") from e
        except ValueError as e:
            raise JobFailed(f"the strategy report is unreadable: {e}") from e

    def _spec(
        self, kind: JobKind, job: Job, args: tuple[str, ...], data_dir: str | None, probe: bool = False
    ) -> RunSpec:
        """`probe`: a job's run of `gentrade-probe` before its own (named and labelled apart)."""
        return RunSpec(
            name=f"gentrade-{kind.value}-{job.id}" + ("-probe" if probe else ""),
            args=args,
            workdir=self.artifacts.job_dir(job.id),
            data_dir=data_dir,
            markets_file=layout.MARKETS,
            network=False,
            limits=self.limits.get(kind, Limits()),
            labels={
                "gentrade.job.id": job.id,
                "gentrade.job.kind": kind.value,
                "gentrade.owner": job.owner_id,
            }
            | ({"gentrade.run": "probe"} if probe else {}),
        )

    def _execute(self, claim: Claim, spec: RunSpec, paths: PathMask) -> None:
        epochs = EpochReader(self.artifacts, claim.job_id) if claim.kind is JobKind.HYPEROPT else None
        exit_code, pump = self._run_to_end(claim, spec, paths, epochs)
        if exit_code is None:  # cancelled, or no longer ours
            self.jobs.end(claim, pump.drain(), cancelled=True)
        elif exit_code != 0:
            self.jobs.end(claim, pump.drain(), failure=_failure_reason(exit_code, list(pump.tail)))
        else:
            self._record_result(claim, pump.drain(), epochs)

    def _run_to_end(
        self, claim: Claim, spec: RunSpec, paths: PathMask, epochs: EpochReader | None
    ) -> tuple[int | None, LogPump]:
        """Run `spec` with its output in the job's log; the exit code, or None when cancelled."""
        handle = self.runtime.start(spec)
        pump = LogPump(handle, lambda data: self.artifacts.append(claim.job_id, layout.LOG, data), paths)
        pump.start()
        try:
            return self._supervise(claim, handle, pump, epochs), pump
        finally:
            pump.join()
            handle.cleanup()

    def _supervise(
        self, claim: Claim, handle: RunHandle, pump: LogPump, epochs: EpochReader | None
    ) -> int | None:
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

    def _tick(self, job: Job, lines: list[str], epochs: EpochReader | None) -> None:
        job.heartbeat(self.clock.now())
        job.append_logs(lines)
        if isinstance(job, Hyperopt) and epochs is not None:
            job.record_progress(*epochs.read())

    def _record_result(self, claim: Claim, lines: list[str], epochs: EpochReader | None) -> None:
        now = self.clock.now()
        if epochs is not None:
            done, best = epochs.read()
            if best is None:
                raise JobFailed("hyperopt finished without a single evaluated epoch; see the logs")

            def finish_hyperopt(job: Job) -> None:
                assert isinstance(job, Hyperopt)
                job.append_logs(lines)
                job.finish(done, best, now)

            self.jobs.update(claim, finish_hyperopt)
        elif claim.kind is JobKind.CHECK:
            facts = self._probe_report(claim.job_id)

            def finish_check(job: Job) -> None:
                assert isinstance(job, StrategyCheck)
                job.append_logs(lines)
                job.finish(facts, now)

            self.jobs.update(claim, finish_check)
        else:
            self._record_backtest(claim, lines, now)

    def _record_backtest(self, claim: Claim, lines: list[str], now: datetime) -> None:
        try:
            summary, _ = load_backtest_result(self.artifacts, claim.job_id)
        except ArtifactNotFound as e:
            raise JobFailed(f"Freqtrade wrote no backtest result: {e}") from e

        def finish_backtest(job: Job) -> None:
            assert isinstance(job, Backtest)
            job.append_logs(lines)
            job.finish(summary, now)

        self.jobs.update(claim, finish_backtest)
