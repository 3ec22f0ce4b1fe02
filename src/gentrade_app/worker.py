"""
`gentrade worker`: Dramatiq workers in this process, and the reaper every worker runs.

The API (which only publishes) and the workers declare the same actors, through
`gentrade_app.queues.dramatiq_queue_factory`. One process with threads is enough per host, since
jobs run in their own Freqtrade processes or containers and the threads mostly wait; run more
worker processes or containers for more capacity. The hyperopt limit holds across all of them.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Collection
from types import FrameType

import dramatiq

from gentrade_adapters.queue.dramatiq_actors import QUEUES, JobActors
from gentrade_adapters.queue.dramatiq_queue import DramatiqJobQueue
from gentrade_adapters.queue.dramatiq_worker import DramatiqWorker
from gentrade_app.bootstrap import build_services, reap_interval
from gentrade_app.queues import dramatiq_queue_factory
from gentrade_app.reaping import ReaperThread
from gentrade_app.settings import Settings

log = logging.getLogger(__name__)

# Short names for choosing queues: `gentrade worker --queue hyperopts`.
QUEUE_CHOICES = {name.removeprefix("gentrade-"): kind for kind, name in QUEUES.items()}


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
