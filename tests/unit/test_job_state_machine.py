"""The job state machine: queued -> downloading_data -> running -> finished | failed | cancelled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gentrade_core.domain.backtest import Backtest
from gentrade_core.domain.job import TERMINAL, JobStatus, can_move
from gentrade_core.errors import IllegalTransition

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LEGAL = {
    (JobStatus.QUEUED, JobStatus.DOWNLOADING_DATA),
    (JobStatus.QUEUED, JobStatus.FAILED),
    (JobStatus.QUEUED, JobStatus.CANCELLED),
    (JobStatus.DOWNLOADING_DATA, JobStatus.RUNNING),
    (JobStatus.DOWNLOADING_DATA, JobStatus.FAILED),
    (JobStatus.DOWNLOADING_DATA, JobStatus.CANCELLED),
    (JobStatus.DOWNLOADING_DATA, JobStatus.QUEUED),
    (JobStatus.RUNNING, JobStatus.FINISHED),
    (JobStatus.RUNNING, JobStatus.FAILED),
    (JobStatus.RUNNING, JobStatus.CANCELLED),
    (JobStatus.RUNNING, JobStatus.QUEUED),
}


def new_job() -> Backtest:
    return Backtest(id="j1", owner_id="alice", created_at=NOW)


def step(job: Backtest, target: JobStatus) -> None:
    moves = {
        JobStatus.DOWNLOADING_DATA: lambda: job.start_download(NOW),
        JobStatus.RUNNING: lambda: job.start_running(NOW),
        JobStatus.FAILED: lambda: job.fail("boom", NOW),
        JobStatus.CANCELLED: lambda: job.cancel(NOW),
        JobStatus.QUEUED: lambda: job.requeue(NOW),
        JobStatus.FINISHED: lambda: job._move(JobStatus.FINISHED, NOW),
    }
    moves[target]()


@given(st.lists(st.sampled_from(list(JobStatus)), max_size=12))
def test_every_sequence_of_moves_obeys_the_table(targets: list[JobStatus]) -> None:
    """A move is applied iff the table allows it; an illegal move raises and changes nothing."""
    job = new_job()
    for target in targets:
        before = job.status
        if (before, target) in LEGAL:
            step(job, target)
            assert target == job.status
        else:
            with pytest.raises(IllegalTransition):
                step(job, target)
            assert before == job.status


@pytest.mark.parametrize("end", sorted(TERMINAL))
def test_terminal_states_are_final(end: JobStatus) -> None:
    """Nothing leaves finished, failed or cancelled: a job can never end twice."""
    assert all(not can_move(end, target) for target in JobStatus)


def test_attempts_count_each_claim() -> None:
    """Each start of work is an attempt; a requeued job's next start is attempt 2."""
    job = new_job()
    job.start_download(NOW)
    job.start_running(NOW)
    job.requeue(NOW)
    job.start_download(NOW)
    assert 2 == job.attempts


def test_cancel_of_queued_job_is_immediate_and_of_running_job_is_requested() -> None:
    """A queued job is cancelled at once; a running one gets a flag its worker acts on."""
    queued = new_job()
    queued.request_cancel(NOW)
    assert JobStatus.CANCELLED == queued.status
    running = new_job()
    running.start_download(NOW)
    running.start_running(NOW)
    running.request_cancel(NOW)
    assert (JobStatus.RUNNING, True) == (running.status, running.cancel_requested)


def test_log_tail_keeps_the_last_lines() -> None:
    """The stored tail is bounded so a chatty run cannot bloat the row."""
    job = new_job()
    job.append_logs([str(i) for i in range(500)])
    assert ["300", "499"] == [job.log_tail[0], job.log_tail[-1]]
