"""
`gentrade worker`: Dramatiq workers in this process, and the reaper every worker runs.

Also the Dramatiq half of the composition root: `build_services` calls `dramatiq_queue_factory`
when `GENTRADE_QUEUE_URL` is set, so the API (which only publishes) and the workers declare the
same actors. One process with threads is enough per host, since jobs run in their own Freqtrade
processes or containers and the threads mostly wait; run more worker processes or containers for
more capacity. The hyperopt limit holds across all of them.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Collection
from types import FrameType

import dramatiq

from gentrade_adapters.queue.dramatiq_actors import QUEUES, JobActors, SlotPolicy, declare_actors
from gentrade_adapters.queue.dramatiq_broker import make_broker
from gentrade_adapters.queue.dramatiq_queue import DramatiqJobQueue
from gentrade_adapters.queue.dramatiq_worker import DramatiqWorker
from gentrade_adapters.sql.engine import make_engine
from gentrade_adapters.sql.slots import SqlJobSlots
from gentrade_adapters.system import SystemClock
from gentrade_app.bootstrap import QueueFactory, build_services, reap_interval
from gentrade_app.reaping import ReaperThread
from gentrade_app.settings import Settings
from gentrade_core.domain.job import JobKind
from gentrade_core.usecases.run_job import JobRunner

log = logging.getLogger(__name__)

# Short names for choosing queues: `gentrade worker --queues hyperopts`.
QUEUE_CHOICES = {name.removeprefix("gentrade-"): kind for kind, name in QUEUES.items()}


def dramatiq_queue_factory(settings: Settings, queue_prefix: str | None = None) -> QueueFactory:
    """
    Actors bound to `JobRunner.run`; hyperopts limited by slots in the shared database.
    `queue_prefix` gives deployments (or test runs) that share one broker queues of their own.
    """
    if not settings.queue_url:
        raise ValueError("GENTRADE_QUEUE_URL is not set: Dramatiq needs amqp://... or redis://...")
    url = settings.queue_url
    prefix = settings.queue_prefix if queue_prefix is None else queue_prefix

    def make(runner: JobRunner) -> DramatiqJobQueue:
        # The runner enforces the deadline and fails the job cleanly; Dramatiq's TimeLimit, a little
        # later, is only the backstop for a thread that stopped answering.
        broker = make_broker(url, job_deadline_seconds=settings.job_deadline_seconds + 600)
        limits = {JobKind.HYPEROPT: settings.hyperopt_concurrency}
        slots = SqlJobSlots(make_engine(settings.sqlalchemy_url), limits, SystemClock())
        actors = declare_actors(broker, runner.run, slot_policy=SlotPolicy(slots), queue_prefix=prefix)
        return DramatiqJobQueue(actors)

    return make


def run_worker(
    settings: Settings | None = None,
    *,
    threads: int | None = None,
    queues: Collection[str] = (),
    queue_prefix: str | None = None,
    shutdown_timeout: float = 30.0,
    stop: threading.Event | None = None,
) -> None:
    """
    Consume `queues` (backtests, hyperopts, downloads; default all) with `threads` threads
    (default `settings.workers`) until SIGTERM or SIGINT, or until `stop` is set. Running jobs get
    `shutdown_timeout` seconds to end; the reaper takes back any still running after that.
    """
    settings = settings or Settings()
    services = build_services(settings, queue=dramatiq_queue_factory(settings, queue_prefix))
    job_queue = services.queue
    assert isinstance(job_queue, DramatiqJobQueue)
    dramatiq.set_broker(job_queue.broker)  # for any code that asks Dramatiq for "the" broker
    worker = DramatiqWorker(
        job_queue.broker, threads=threads or settings.workers, queues=queue_names(job_queue.actors, queues)
    )
    stop = stop or threading.Event()
    restore = _stop_on_signals(stop)
    try:
        worker.start()
        services.background.append(ReaperThread(services.reaper, reap_interval(settings)).start())
        log.info(
            "worker started: %s threads on %s", threads or settings.workers, ", ".join(queues) or "all queues"
        )
        while not stop.wait(1.0):
            pass
        log.info("worker stopping; waiting up to %.0f s for running jobs", shutdown_timeout)
    finally:
        worker.stop(shutdown_timeout)
        services.close()
        restore()


def queue_names(actors: JobActors, chosen: Collection[str]) -> set[str]:
    unknown = set(chosen) - set(QUEUE_CHOICES)
    if unknown:
        raise ValueError(f"unknown queues {sorted(unknown)}; choose from {', '.join(QUEUE_CHOICES)}")
    kinds = [QUEUE_CHOICES[name] for name in chosen] or list(QUEUE_CHOICES.values())
    return {actors.by_kind[kind].queue_name for kind in kinds}


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """The first SIGTERM/SIGINT asks for a graceful stop; a second one gets the default behaviour."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("received %s", signal.Signals(signum).name)
        stop.set()
        restore()

    for sig in previous:
        signal.signal(sig, on_signal)
    return restore
