"""
A distributed limit on how many jobs of one kind run at once, across every worker process.

A job leases a slot, renews the lease while it runs and releases it at the end. A lease that is not
renewed expires, so the slot of a worker that crashed frees itself without anyone cleaning up.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Protocol

from gentrade_core.domain.job import JobKind


class SlotsUnavailable(Exception):
    """The store that keeps the slots cannot be reached right now."""


class JobSlots(Protocol):
    """Kinds the adapter was given no limit for are unlimited: acquire always succeeds."""

    @abstractmethod
    def acquire(self, kind: JobKind, job_id: str, lease_seconds: float) -> bool:
        """
        Take a free slot for `job_id` until the lease runs out. False when every slot is held, or when
        `job_id` already holds one: a second delivery of the same job must not take a second slot.
        """

    @abstractmethod
    def renew(self, kind: JobKind, job_id: str, lease_seconds: float) -> bool:
        """Extend `job_id`'s lease from now; False if it holds no slot any more."""

    @abstractmethod
    def release(self, kind: JobKind, job_id: str) -> None:
        """Give the slot back; nothing happens if `job_id` holds none."""
