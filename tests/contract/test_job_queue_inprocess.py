from __future__ import annotations

from gentrade_adapters.queue.inprocess import InProcessJobQueue
from gentrade_core.ports.queue import JobQueue
from tests.contract.job_queue_contract import Handler, JobQueueContract


class TestInProcessJobQueue(JobQueueContract):
    def make_queue(self, handler: Handler) -> JobQueue:
        return InProcessJobQueue(handler, workers=self.concurrency)
