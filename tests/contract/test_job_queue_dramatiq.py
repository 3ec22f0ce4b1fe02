"""
Dramatiq on RabbitMQ and on Redis against the job-queue contract, with real in-process workers;
plus what only a real broker shows: failures on a dead broker, and the hyperopt limit holding
across two worker processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gentrade_adapters.queue.dramatiq_actors import QUEUES
from gentrade_adapters.queue.dramatiq_broker import broker_reachable, make_broker
from gentrade_adapters.sql import upgrade
from gentrade_app.bootstrap import build_services
from gentrade_app.queues import dramatiq_queue_factory
from gentrade_app.settings import Settings
from gentrade_core.domain.job import JobKind, JobStatus
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import BacktestRequest
from gentrade_core.ports.queue import JobQueue, QueueUnavailable
from tests.contract.dramatiq_support import (
    BROKER_URLS,
    DEAD_URLS,
    Namespace,
    WorkerQueue,
    require_broker,
    sending_queue,
)
from tests.contract.job_queue_contract import Handler, JobQueueContract, eventually
from tests.strategies_src import DATA_DIR, PAIRS, TIMERANGE, TRADING_STRATEGY

REPO = Path(__file__).resolve().parents[2]
JOBS = 8
WORKER = (
    "import logging, sys; logging.basicConfig(level=logging.INFO); "
    "from gentrade_app.worker import run_worker; run_worker(threads=2, queue_prefix=sys.argv[1])"
)


class DramatiqContract(JobQueueContract):
    broker_name: str

    @pytest.fixture(autouse=True)
    def _broker_up(self) -> None:
        require_broker(BROKER_URLS[self.broker_name])

    def make_queue(self, handler: Handler) -> JobQueue:
        return WorkerQueue(Namespace(BROKER_URLS[self.broker_name]), handler, threads=self.concurrency)


class TestDramatiqRabbitmq(DramatiqContract):
    broker_name = "rabbitmq"


class TestDramatiqRedis(DramatiqContract):
    broker_name = "redis"


del DramatiqContract


@pytest.fixture(params=["rabbitmq", "redis"])
def broker_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.mark.parametrize("name", ["rabbitmq", "redis"])
def test_enqueue_to_a_dead_broker_is_queue_unavailable(name: str) -> None:
    """Nobody listening on the port: the port's QueueUnavailable, quickly, with the cause chained."""
    sut = sending_queue(Namespace(DEAD_URLS[name]))
    started = time.monotonic()
    with pytest.raises(QueueUnavailable) as raised:
        sut.enqueue(JobKind.BACKTEST, "b1")
    assert time.monotonic() - started < 5
    assert raised.value.__cause__ is not None


@pytest.mark.parametrize("name", ["rabbitmq", "redis"])
def test_connect_to_a_dead_broker_is_queue_unavailable(name: str) -> None:
    """The API's start-up connect fails like an enqueue would, so it can log it and go on."""
    with pytest.raises(QueueUnavailable):
        sending_queue(Namespace(DEAD_URLS[name])).connect()


def test_connect_declares_the_queues_and_publishers_share_one_connection() -> None:
    """
    After `connect` the three queues exist on RabbitMQ before any job was sent; then enqueues
    from eight threads (the API's handler threads) all go out over that single connection.
    """
    require_broker(BROKER_URLS["rabbitmq"])
    namespace = Namespace(BROKER_URLS["rabbitmq"])
    sut = sending_queue(namespace)
    try:
        sut.connect()
        assert {name: 0 for name in QUEUES.values()} == _messages_waiting(namespace)
        threads = [threading.Thread(target=sut.enqueue, args=(JobKind.BACKTEST, f"b{n}")) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert 1 == len(sut.broker.connections)  # type: ignore[attr-defined]
        assert 8 == _messages_waiting(namespace)[QUEUES[JobKind.BACKTEST.value]]
    finally:
        sut.close()
        namespace.delete()


def _messages_waiting(namespace: Namespace) -> dict[str, int]:
    """Ready messages per existing queue of the namespace; a passive declare fails for missing ones."""
    import pika
    import pika.exceptions

    connection = pika.BlockingConnection(pika.URLParameters(namespace.url))
    try:
        channel = connection.channel()
        found: dict[str, int] = {}
        for name in QUEUES.values():
            try:
                declared = channel.queue_declare(f"{namespace.queue_prefix}{name}", passive=True)
                found[name] = declared.method.message_count
            except pika.exceptions.ChannelClosedByBroker:
                channel = connection.channel()
        return found
    finally:
        connection.close()


@pytest.mark.parametrize("name", ["rabbitmq", "redis"])
def test_broker_reachable_tells_up_from_down(name: str) -> None:
    """The health helper answers True for a running broker and False for a dead port."""
    require_broker(BROKER_URLS[name])
    assert (True, False) == (broker_reachable(BROKER_URLS[name]), broker_reachable(DEAD_URLS[name], 1.0))


def test_make_broker_refuses_other_schemes() -> None:
    """A URL that names no supported broker is a configuration error, said plainly."""
    with pytest.raises(ValueError, match=r"amqp:// .* redis://"):
        make_broker("kafka://127.0.0.1:9092")


def test_hyperopt_limit_holds_across_worker_processes(broker_name: str, tmp_path: Path) -> None:
    """
    Two worker processes with 3 threads each share 2 hyperopt slots: of 8 hyperopts that each
    take a second, both processes run some, and never more than 2 run at the same moment.
    """
    url = BROKER_URLS[broker_name]
    require_broker(url)
    namespace = Namespace(url)
    slots_db = f"sqlite:///{tmp_path / 'slots.db'}"
    upgrade(slots_db)
    log = tmp_path / "events.log"
    log.touch()
    command = [
        sys.executable,
        "-m",
        "tests.contract.dramatiq_support",
        url,
        namespace.tag,
        slots_db,
        str(log),
    ]
    workers = [subprocess.Popen(command, cwd=REPO) for _ in range(2)]
    sender = sending_queue(namespace)
    try:
        eventually(lambda: log.read_text().count(" ready ") == 2, timeout=30)
        for i in range(JOBS):
            sender.enqueue(JobKind.HYPEROPT, f"h{i}")
        eventually(lambda: log.read_text().count(" end ") == JOBS, timeout=60)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        sender.close()
        namespace.delete()
    events = [line.split() for line in log.read_text().splitlines() if " ready " not in line]
    assert 2 == len({pid for _, pid, _, _ in events})
    assert 2 == peak_overlap(events)
    assert [0, 0] == [w.returncode for w in workers]


def peak_overlap(events: list[list[str]]) -> int:
    """The most intervals open at once; an end at the same instant as a start counts first."""
    changes = sorted((float(at), 0 if kind == "end" else 1) for at, _, kind, _ in events)
    running = peak = 0
    for _, is_start in changes:
        running += 1 if is_start else -1
        peak = max(peak, running)
    return peak


@pytest.mark.freqtrade
def test_gentrade_worker_runs_a_submitted_backtest_then_stops_on_sigterm(
    broker_name: str, tmp_path: Path
) -> None:
    """
    With a queue URL set, `build_services` publishes to Dramatiq and `run_worker` in another
    process runs the backtest (real Freqtrade) once; on SIGTERM the worker exits cleanly.
    """
    url = BROKER_URLS[broker_name]
    require_broker(url)
    namespace = Namespace(url)
    settings = Settings(
        queue_url=url, data_dir=tmp_path, market_data_dir=Path(DATA_DIR), token_secret="x" * 40
    )
    services = build_services(settings, queue=dramatiq_queue_factory(settings, namespace.queue_prefix))
    env = {
        **os.environ,
        "GENTRADE_QUEUE_URL": url,
        "GENTRADE_DATA_DIR": str(tmp_path),
        "GENTRADE_MARKET_DATA_DIR": DATA_DIR,
        "GENTRADE_TOKEN_SECRET": "x" * 40,
    }
    with (tmp_path / "worker.log").open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, namespace.queue_prefix], cwd=REPO, env=env, stderr=output
        )
    try:
        alice = Principal("alice")
        strategy = services.strategies.create(alice, "SampleCross", TRADING_STRATEGY)
        request = BacktestRequest(
            strategy_id=strategy.id,
            exchange="binance",
            pairs=list(PAIRS),
            timeframe="5m",
            timerange=TIMERANGE,
            stake_currency="BTC",
            stake_amount=0.01,
            dry_run_wallet=0.1,
            max_open_trades=2,
        )
        job = services.backtests.submit(alice, request)
        eventually(lambda: services.backtests.get(alice, job.id).status.is_terminal, timeout=300)
        ended = services.backtests.get(alice, job.id)
        assert (JobStatus.FINISHED, 1) == (ended.status, ended.attempts), ended.error
        worker.send_signal(signal.SIGTERM)
        assert 0 == worker.wait(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        services.close()
        namespace.delete()
