"""
Real Dramatiq brokers and workers for tests, each run in queues of its own.

Every test gets a fresh namespace: RabbitMQ queue names with a random prefix, a random Redis key
namespace. Both are deleted afterwards, so runs (and engineers sharing a broker) never meet.
Outside CI a broker that is not running skips the tests; under CI=true it fails them.

`python -m tests.contract.dramatiq_support URL PREFIX SLOTS_DB LOG` runs a worker process whose
hyperopt handler only records when it starts and ends, for the cross-process limit test.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

import attrs
import pytest
from dramatiq import Broker

from gentrade_adapters.queue.dramatiq_actors import QUEUES, Handler, SlotPolicy, declare_actors
from gentrade_adapters.queue.dramatiq_broker import broker_reachable, make_broker
from gentrade_adapters.queue.dramatiq_queue import DramatiqJobQueue
from gentrade_adapters.queue.dramatiq_worker import DramatiqWorker
from gentrade_core.domain.job import JobKind
from gentrade_core.ports.queue import JobQueue
from tests.pg import UNDER_CI

BROKER_URLS = {
    "rabbitmq": os.environ.get("GENTRADE_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
    "redis": os.environ.get("GENTRADE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
}
DEAD_URLS = {"rabbitmq": "amqp://guest:guest@127.0.0.1:1/", "redis": "redis://127.0.0.1:1/0"}


def require_broker(url: str) -> None:
    if broker_reachable(url):
        return
    if UNDER_CI:
        pytest.fail(f"the broker at {url} is not reachable (CI=true, so this is a failure)")
    pytest.skip(f"no broker at {url}")


@attrs.frozen
class Namespace:
    """Where one test's messages live on a shared broker."""

    url: str
    tag: str = attrs.field(factory=lambda: f"t{uuid.uuid4().hex[:10]}")

    @property
    def queue_prefix(self) -> str:
        return f"{self.tag}-"

    @property
    def redis_namespace(self) -> str:
        return f"gentrade-test-{self.tag}"

    def broker(self, **kwargs: float) -> Broker:
        return make_broker(self.url, redis_namespace=self.redis_namespace, **kwargs)

    def delete(self) -> None:
        """Remove every queue (with its delay and dead-letter queues) or key this test made."""
        if urlsplit(self.url).scheme.startswith("amqp"):
            import pika

            connection = pika.BlockingConnection(pika.URLParameters(self.url))
            try:
                channel = connection.channel()
                for name in QUEUES.values():
                    for suffix in ("", ".DQ", ".XQ"):
                        channel.queue_delete(f"{self.queue_prefix}{name}{suffix}")
            finally:
                connection.close()
        else:
            import redis

            client = redis.Redis.from_url(self.url)
            try:
                # Brokers made here use their own namespace; `gentrade worker` uses the default one.
                patterns = (f"{self.redis_namespace}:*", f"gentrade:{self.queue_prefix}*")
                keys = [key for pattern in patterns for key in client.scan_iter(pattern)]
                if keys:
                    client.delete(*keys)
            finally:
                client.close()


class WorkerQueue(JobQueue):
    """A Dramatiq job queue with an in-process worker calling `handler`, torn down on close."""

    def __init__(self, namespace: Namespace, handler: Handler, threads: int) -> None:
        self._namespace = namespace
        actors = declare_actors(namespace.broker(), handler, queue_prefix=namespace.queue_prefix)
        self._queue = DramatiqJobQueue(actors)
        self._worker = DramatiqWorker(actors.broker, threads=threads, idle_timeout_ms=100)
        self._worker.start()
        self._closed = False

    def enqueue(self, kind: JobKind, job_id: str) -> None:
        self._queue.enqueue(kind, job_id)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._worker.stop(timeout_seconds=10)
        self._queue.close()
        self._namespace.delete()


def sending_queue(namespace: Namespace) -> DramatiqJobQueue:
    """A queue that only publishes (as the API does): its actors' handler is never called here."""

    def not_here(kind: JobKind, job_id: str) -> None:
        raise AssertionError("the publishing side never runs jobs")

    return DramatiqJobQueue(declare_actors(namespace.broker(), not_here, queue_prefix=namespace.queue_prefix))


def _recording_worker(url: str, tag: str, slots_db: str, log_path: str) -> None:
    """A worker process: 3 threads; each hyperopt holds a slot and sleeps, logging start and end."""
    from gentrade_adapters.sql import make_engine
    from gentrade_adapters.sql.slots import SqlJobSlots
    from gentrade_adapters.system import SystemClock

    def record(event: str, job_id: str) -> None:
        with open(log_path, "a") as log:
            log.write(f"{time.time():.6f} {os.getpid()} {event} {job_id}\n")

    def handler(kind: JobKind, job_id: str) -> None:
        record("start", job_id)
        time.sleep(1.0)
        record("end", job_id)

    namespace = Namespace(url, tag)
    slots = SqlJobSlots(make_engine(slots_db), {JobKind.HYPEROPT: 2}, SystemClock())
    policy = SlotPolicy(slots, lease_seconds=10, retry_seconds=0.3)
    actors = declare_actors(
        namespace.broker(), handler, slot_policy=policy, queue_prefix=namespace.queue_prefix
    )
    worker = DramatiqWorker(actors.broker, threads=3, idle_timeout_ms=100)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    worker.start()
    record("ready", "-")
    stop.wait()
    worker.stop(timeout_seconds=10)
    actors.broker.close()


if __name__ == "__main__":
    _recording_worker(*sys.argv[1:5])
