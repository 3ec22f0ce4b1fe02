"""Choosing the job queue (part of the composition root; Dramatiq is imported only when configured)."""

from __future__ import annotations

from collections.abc import Callable

from gentrade_app.settings import Settings
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.queue import JobQueue
from gentrade_core.usecases.run_job import JobRunner

QueueFactory = Callable[[JobRunner], JobQueue]
"""Makes the queue once the runner exists: workers' actors call `runner.run`."""


def dramatiq_queue_factory(settings: Settings, queue_prefix: str | None = None) -> QueueFactory:
    """
    Actors bound to `JobRunner.run`; hyperopts limited by slots in the shared database.
    `queue_prefix` gives deployments (or test runs) that share one broker queues of their own.
    """
    if not settings.queue_url:
        raise ValueError("GENTRADE_QUEUE_URL is not set: Dramatiq needs amqp://... or redis://...")
    url = settings.queue_url
    prefix = settings.queue_prefix if queue_prefix is None else queue_prefix

    def make(runner: JobRunner) -> JobQueue:
        from gentrade_adapters.queue.dramatiq_actors import SlotPolicy, declare_actors
        from gentrade_adapters.queue.dramatiq_broker import make_broker
        from gentrade_adapters.queue.dramatiq_queue import DramatiqJobQueue
        from gentrade_adapters.sql.engine import make_engine
        from gentrade_adapters.sql.slots import SqlJobSlots
        from gentrade_adapters.system import SystemClock

        # The runner enforces the deadline and fails the job cleanly; Dramatiq's TimeLimit, a little
        # later, is only the backstop for a thread that stopped answering.
        broker = make_broker(url, job_deadline_seconds=settings.job_deadline_seconds + 600)
        limits = {JobKind.HYPEROPT: settings.hyperopt_concurrency}
        slots = SqlJobSlots(make_engine(settings.sqlalchemy_url), limits, SystemClock())
        actors = declare_actors(broker, runner.run, slot_policy=SlotPolicy(slots), queue_prefix=prefix)
        return DramatiqJobQueue(actors)

    return make
