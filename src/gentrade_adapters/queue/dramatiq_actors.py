"""
GenTrade's Dramatiq actors, declared on a broker the app passes in, when it asks.

Never `@dramatiq.actor` at module level: that binds to Dramatiq's global broker on import. One
actor per queue; a message carries only the job id and the queue says the kind. The handler is
`JobRunner.run`, which runs a job only while it is queued, so a redelivered message does nothing.

Limited kinds (hyperopts) take a slot from `JobSlots` first. With none free, the message is sent
again with a delay and the worker thread moves on, rather than blocking while it waits.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Collection, Mapping

import attrs
from dramatiq import Actor, Broker

from gentrade_adapters.queue.dramatiq_lease import HeldSlot
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.slots import JobSlots, SlotsUnavailable

log = logging.getLogger(__name__)

Handler = Callable[[JobKind, str], None]
DownloadHandler = Callable[[str], None]

DOWNLOAD = "download"  # a job kind to come; its queue exists already
QUEUES: Mapping[str, str] = {
    JobKind.BACKTEST.value: "gentrade-backtests",
    JobKind.HYPEROPT.value: "gentrade-hyperopts",
    JobKind.CHECK.value: "gentrade-checks",
    DOWNLOAD: "gentrade-downloads",
}


@attrs.frozen
class SlotPolicy:
    slots: JobSlots
    kinds: Collection[JobKind] = (JobKind.HYPEROPT,)
    lease_seconds: float = 60.0
    retry_seconds: float = 5.0
    """Delay before a message that found no free slot is tried again (jittered by ±50%)."""


@attrs.frozen
class JobActors:
    broker: Broker
    by_kind: Mapping[str, Actor[[str], None]]

    def for_kind(self, kind: JobKind) -> Actor[[str], None]:
        return self.by_kind[kind.value]

    @property
    def queue_names(self) -> frozenset[str]:
        return frozenset(actor.queue_name for actor in self.by_kind.values())


def declare_actors(
    broker: Broker,
    handler: Handler,
    *,
    slot_policy: SlotPolicy | None = None,
    queue_prefix: str = "",
    download_handler: DownloadHandler | None = None,
) -> JobActors:
    """
    Create the actors on `broker`. `queue_prefix` gives tests (or tenants sharing a broker)
    queues of their own; it must start with a letter.
    """
    by_kind: dict[str, Actor[[str], None]] = {}
    for kind in JobKind:
        if slot_policy is not None and kind in slot_policy.kinds:
            run = _limited(kind, handler, slot_policy, by_kind)
        else:
            run = _plain(kind, handler)
        by_kind[kind.value] = _actor(broker, run, kind.value, queue_prefix)
    by_kind[DOWNLOAD] = _actor(broker, _download(download_handler), DOWNLOAD, queue_prefix)
    return JobActors(broker=broker, by_kind=by_kind)


def _actor(broker: Broker, run: Callable[[str], None], kind: str, prefix: str) -> Actor[[str], None]:
    return Actor(
        run,
        broker=broker,
        actor_name=f"gentrade_run_{kind}",
        queue_name=f"{prefix}{QUEUES[kind]}",
        priority=0,
        options={"max_retries": 0},
    )


def _plain(kind: JobKind, handler: Handler) -> Callable[[str], None]:
    def run(job_id: str) -> None:
        handler(kind, job_id)

    return run


def _limited(
    kind: JobKind, handler: Handler, policy: SlotPolicy, actors: Mapping[str, Actor[[str], None]]
) -> Callable[[str], None]:
    def run(job_id: str) -> None:
        try:
            acquired = policy.slots.acquire(kind, job_id, policy.lease_seconds)
        except SlotsUnavailable as e:
            log.warning("slot store unavailable for %s %s (%s); trying again later", kind.value, job_id, e)
            acquired = False
        if not acquired:
            delay = policy.retry_seconds * random.uniform(0.5, 1.5)
            actors[kind.value].send_with_options(args=(job_id,), delay=int(delay * 1000))
            return
        with HeldSlot(policy.slots, kind, job_id, policy.lease_seconds):
            handler(kind, job_id)

    return run


def _download(handler: DownloadHandler | None) -> Callable[[str], None]:
    def run(job_id: str) -> None:
        if handler is None:
            # Raising dead-letters the message (kept for days) instead of dropping it.
            raise RuntimeError(f"download {job_id}: this worker has no download handler yet")
        handler(job_id)

    return run
