"""
Dramatiq brokers for GenTrade: RabbitMQ for `amqp://` URLs, Redis for `redis://` URLs.

Nothing here connects, or touches Dramatiq's global broker, until the app calls it. The middleware
suits jobs whose truth is their database row:
- Retries allow none: a failed message is dead-lettered, and the reaper in every worker requeues or
  fails the job from its row (attempts, heartbeat). One retry policy, owned by the database.
- TimeLimit is the job deadline, not Dramatiq's 10 minutes: hyperopts run for hours. It interrupts
  the worker thread; the job's heartbeat then stops and the reaper takes over.
- No AgeLimit: a message that waited out a broker outage or busy workers is still wanted.
RabbitMQ redelivers a message left unacknowledged past its `consumer_timeout` (30 min by default).
That is harmless here, since the second delivery finds the job no longer queued and does nothing,
but operators should set `consumer_timeout` above the job deadline to spare the noise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dramatiq import Broker
from dramatiq.errors import BrokerConnectionError
from dramatiq.middleware import Middleware, Retries, TimeLimit

if TYPE_CHECKING:
    import redis

DEFAULT_JOB_DEADLINE_SECONDS = 6 * 3600.0
CONNECT_TIMEOUT_SECONDS = 3.0
AMQP_SCHEMES = ("amqp", "amqps")
REDIS_SCHEMES = ("redis", "rediss")


def middleware(job_deadline_seconds: float) -> list[Middleware]:
    return [TimeLimit(time_limit=int(job_deadline_seconds * 1000)), Retries(max_retries=0)]


def make_broker(
    url: str,
    *,
    job_deadline_seconds: float = DEFAULT_JOB_DEADLINE_SECONDS,
    redis_namespace: str = "gentrade",
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
) -> Broker:
    """
    A broker for `url`, not connected yet. RabbitMQ publishes with confirms, so an accepted job's
    message is on the broker when `enqueue` returns; short timeouts make a dead broker fail fast.
    """
    scheme = urlsplit(url).scheme
    if scheme in AMQP_SCHEMES:
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(
            url=_amqp_url(url, connect_timeout),
            confirm_delivery=True,
            middleware=middleware(job_deadline_seconds),
        )
    if scheme in REDIS_SCHEMES:
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(
            client=_redis_client(url, connect_timeout),
            namespace=redis_namespace,
            middleware=middleware(job_deadline_seconds),
        )
    raise ValueError(f"unsupported queue URL scheme {scheme!r}: use amqp:// (RabbitMQ) or redis:// (Redis)")


def connect(broker: Broker) -> None:
    """
    Do now what the first publish would: on RabbitMQ open the calling thread's connection and
    declare every queue; on Redis open a pooled connection.
    """
    from dramatiq.brokers.rabbitmq import RabbitmqBroker
    from dramatiq.brokers.redis import RedisBroker

    if isinstance(broker, RabbitmqBroker):
        for name in broker.get_declared_queues():
            broker.declare_queue(name, ensure=True)
    elif isinstance(broker, RedisBroker):
        broker.client.ping()


def connection_errors() -> tuple[type[BaseException], ...]:
    """What an unreachable or vanished broker raises while publishing, for either broker."""
    errors: list[type[BaseException]] = [BrokerConnectionError, OSError]
    try:
        import pika.exceptions

        errors.append(pika.exceptions.AMQPError)
    except ImportError:  # pragma: no cover - only one broker's client installed
        pass
    try:
        import redis.exceptions

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def broker_reachable(url: str, timeout: float = 2.0) -> bool:
    """Open and close one connection within about `timeout` seconds; for health checks."""
    scheme = urlsplit(url).scheme
    try:
        if scheme in AMQP_SCHEMES:
            import pika

            pika.BlockingConnection(pika.URLParameters(_amqp_url(url, timeout))).close()
            return True
        if scheme in REDIS_SCHEMES:
            client = _redis_client(url, timeout)
            try:
                return bool(client.ping())
            finally:
                client.close()
    except Exception:
        return False
    return False


def _amqp_url(url: str, timeout: float) -> str:
    """Add connection timeouts (pika waits 10 s per socket step by default) unless the URL sets them."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    defaults = {"socket_timeout": timeout, "stack_timeout": 2 * timeout, "connection_attempts": 1}
    for key, value in defaults.items():
        query.setdefault(key, str(value))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _redis_client(url: str, timeout: float) -> redis.Redis:
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=max(timeout, 10.0), health_check_interval=30
    )
