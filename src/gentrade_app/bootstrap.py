"""
The one composition root: picks the adapters for the settings and wires the use cases.

Every entry point (HTTP, CLI, worker, demo, tests) calls `build_services`; tests pass fakes for
any argument. Nothing here runs at import time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import attrs

from gentrade_adapters.auth.local_tokens import LocalTokens
from gentrade_adapters.files.artifacts import FilesystemArtifactStore
from gentrade_adapters.files.workspaces import FilesystemWorkspaceStore
from gentrade_adapters.marketdata.cache import CachedMarketData
from gentrade_adapters.queue.inprocess import InProcessJobQueue
from gentrade_adapters.sql.engine import make_engine, make_session_factory
from gentrade_adapters.sql.migrate import upgrade
from gentrade_adapters.sql.unit_of_work import SqlUnitOfWork
from gentrade_adapters.system import SystemClock, UuidIds
from gentrade_app.health import Check, broker_check, database_check
from gentrade_app.path_masks import base_path_mask
from gentrade_app.queues import QueueFactory, dramatiq_queue_factory
from gentrade_app.reaping import ReaperThread
from gentrade_app.runtimes import build_runtime
from gentrade_app.settings import Settings
from gentrade_core.freqtrade.screen import ScreenPolicy
from gentrade_core.ports.clock import Clock, IdGenerator
from gentrade_core.ports.market_data import MarketData
from gentrade_core.ports.queue import JobQueue
from gentrade_core.ports.repositories import UnitOfWork
from gentrade_core.ports.runtime import Runtime
from gentrade_core.ports.storage import ArtifactStore, WorkspaceStore
from gentrade_core.usecases.backtests import Backtests
from gentrade_core.usecases.jobs import Hyperopts
from gentrade_core.usecases.reaper import Reaper
from gentrade_core.usecases.run_job import JobRunner
from gentrade_core.usecases.strategies import Strategies
from gentrade_core.usecases.strategy_import import StrategyImport


@attrs.define
class Services:
    settings: Settings
    strategies: Strategies
    imports: StrategyImport
    backtests: Backtests
    hyperopts: Hyperopts
    runner: JobRunner
    queue: JobQueue
    tokens: LocalTokens
    reaper: Reaper
    checks: dict[str, Check]
    background: list[ReaperThread] = attrs.field(factory=list[ReaperThread])

    def close(self) -> None:
        for thread in self.background:
            thread.stop()
        self.queue.close()


def reap_interval(settings: Settings) -> float:
    """Often enough that a dead worker's job waits at most a little past the timeout."""
    return max(1.0, min(15.0, settings.job_heartbeat_timeout / 4))


def token_secret(settings: Settings) -> str:
    """The configured secret, or one generated once and kept (0600) under the data dir."""
    if settings.token_secret:
        return settings.token_secret
    path = settings.data_dir / "token.secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def build_uow_factory(settings: Settings) -> Callable[[], UnitOfWork]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.auto_migrate:
        upgrade(settings.sqlalchemy_url)
    sessions = make_session_factory(make_engine(settings.sqlalchemy_url))
    return lambda: SqlUnitOfWork(sessions)


def build_services(
    settings: Settings | None = None,
    *,
    uow: Callable[[], UnitOfWork] | None = None,
    queue: QueueFactory | None = None,
    runtime: Runtime | None = None,
    market_data: MarketData | None = None,
    artifacts: ArtifactStore | None = None,
    workspaces: WorkspaceStore | None = None,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
) -> Services:
    settings = settings or Settings()
    data_dir: Path = settings.data_dir
    uow = uow or build_uow_factory(settings)
    clock = clock or SystemClock()
    ids = ids or UuidIds()
    artifacts = artifacts or FilesystemArtifactStore(data_dir / "jobs")
    workspaces = workspaces or FilesystemWorkspaceStore(data_dir / "workspaces")
    policy = ScreenPolicy(max_bytes=settings.max_code_bytes)
    cache_root = data_dir / "market-data"
    default_runtime, downloader = build_runtime(settings, cache_root)
    runner = JobRunner(
        uow=uow,
        clock=clock,
        market_data=market_data or CachedMarketData(cache_root, settings.market_data_dir, downloader),
        runtime=runtime or default_runtime,
        artifacts=artifacts,
        heartbeat_seconds=settings.heartbeat_seconds,
        policy=policy,
        deadline_seconds=settings.job_deadline_seconds,
        paths=base_path_mask(settings),
    )
    if queue is None and settings.queue_url:
        queue = dramatiq_queue_factory(settings)
    in_process = queue is None
    job_queue = (queue or (lambda r: InProcessJobQueue(r.run, workers=settings.workers)))(runner)
    reaper = Reaper(
        uow=uow,
        clock=clock,
        queue=job_queue,
        heartbeat_timeout=timedelta(seconds=settings.job_heartbeat_timeout),
        max_attempts=settings.job_max_attempts,
    )
    # An in-process queue lives and dies with this process: its workers need a reaper here, and
    # jobs still queued from a previous run are sent again at start-up.
    background = (
        [ReaperThread(reaper, reap_interval(settings), resend_all_queued=True).start()] if in_process else []
    )
    job_deps = dict(
        uow=uow,
        queue=job_queue,
        artifacts=artifacts,
        clock=clock,
        ids=ids,
        default_source=settings.default_data_source,
    )
    strategies = Strategies(
        uow=uow,
        clock=clock,
        ids=ids,
        workspaces=workspaces,
        queue=job_queue,
        artifacts=artifacts,
        policy=policy,
    )
    return Services(
        settings=settings,
        strategies=strategies,
        imports=StrategyImport(strategies),
        backtests=Backtests(**job_deps),  # type: ignore[arg-type]
        hyperopts=Hyperopts(**job_deps),  # type: ignore[arg-type]
        runner=runner,
        queue=job_queue,
        tokens=LocalTokens(token_secret(settings)),
        reaper=reaper,
        checks={"database": database_check(uow)}
        | ({"broker": broker_check(settings.queue_url)} if settings.queue_url else {}),
        background=background,
    )
