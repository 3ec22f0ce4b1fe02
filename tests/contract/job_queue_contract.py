"""
The job-queue contract: every `JobQueue` adapter must pass these cases.

Subclass `JobQueueContract`, implement `make_queue(handler)` and delete nothing else. The handler
stands in for the job runner; it records what it was given.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator

import pytest

from gentrade_core.domain.job import JobKind
from gentrade_core.ports.queue import JobQueue, QueueUnavailable

Handler = Callable[[JobKind, str], None]


def eventually(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


class Recorder:
    def __init__(self, fail_on: set[str] | None = None, delay: float = 0.0) -> None:
        self.seen: list[tuple[JobKind, str]] = []
        self.running = 0
        self.peak = 0
        self.fail_on = fail_on or set()
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, kind: JobKind, job_id: str) -> None:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            time.sleep(self.delay)
            if job_id in self.fail_on:
                raise RuntimeError(f"job {job_id} blew up")
        finally:
            with self._lock:
                self.running -= 1
                self.seen.append((kind, job_id))


class JobQueueContract(ABC):
    concurrency = 2

    @abstractmethod
    def make_queue(self, handler: Handler) -> JobQueue: ...

    @pytest.fixture
    def start(self) -> Iterator[Callable[[Handler], JobQueue]]:
        queues: list[JobQueue] = []

        def start(handler: Handler) -> JobQueue:
            queues.append(self.make_queue(handler))
            return queues[-1]

        yield start
        for q in queues:
            q.close()

    def test_every_enqueued_id_is_handled_exactly_once(self, start: Callable[[Handler], JobQueue]) -> None:
        """Each id reaches the handler once, with its kind."""
        recorder = Recorder()
        sut = start(recorder)
        expected = [(JobKind.BACKTEST, f"b{i}") for i in range(10)] + [(JobKind.HYPEROPT, "h1")]
        for kind, job_id in expected:
            sut.enqueue(kind, job_id)
        eventually(lambda: len(recorder.seen) >= len(expected))
        time.sleep(0.2)
        assert sorted(expected) == sorted(recorder.seen)

    def test_a_failing_job_does_not_stop_the_workers(self, start: Callable[[Handler], JobQueue]) -> None:
        """A handler that raises is contained; later jobs still run."""
        recorder = Recorder(fail_on={"bad1", "bad2"})
        sut = start(recorder)
        for job_id in ["bad1", "bad2", "good1", "good2", "good3"]:
            sut.enqueue(JobKind.BACKTEST, job_id)
        eventually(lambda: {"good1", "good2", "good3"} <= {j for _, j in recorder.seen})

    def test_concurrency_is_bounded(self, start: Callable[[Handler], JobQueue]) -> None:
        """No more jobs run at once than the queue's configured workers."""
        recorder = Recorder(delay=0.2)
        sut = start(recorder)
        for i in range(8):
            sut.enqueue(JobKind.BACKTEST, f"j{i}")
        eventually(lambda: len(recorder.seen) == 8)
        assert 1 <= recorder.peak <= self.concurrency

    def test_a_closed_queue_refuses_work(self, start: Callable[[Handler], JobQueue]) -> None:
        """After close, enqueue raises QueueUnavailable instead of losing the id silently."""
        sut = start(Recorder())
        sut.close()
        with pytest.raises(QueueUnavailable):
            sut.enqueue(JobKind.BACKTEST, "late")
