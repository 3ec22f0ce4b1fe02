"""Job slots in this process's memory: the embedded default's stand-in and the contract's reference."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from gentrade_core.domain.job import JobKind
from gentrade_core.ports.clock import Clock
from gentrade_core.ports.slots import JobSlots


class MemoryJobSlots(JobSlots):
    def __init__(self, limits: Mapping[JobKind, int], clock: Clock) -> None:
        self._limits = dict(limits)
        self._clock = clock
        self._lock = threading.Lock()
        self._leases: dict[JobKind, dict[str, datetime]] = {kind: {} for kind in self._limits}

    def _live(self, kind: JobKind) -> dict[str, datetime]:
        now = self._clock.now()
        self._leases[kind] = {job: until for job, until in self._leases[kind].items() if until > now}
        return self._leases[kind]

    def acquire(self, kind: JobKind, job_id: str, lease_seconds: float) -> bool:
        if kind not in self._limits:
            return True
        with self._lock:
            live = self._live(kind)
            if job_id in live or len(live) >= self._limits[kind]:
                return False
            live[job_id] = self._clock.now() + timedelta(seconds=lease_seconds)
            return True

    def renew(self, kind: JobKind, job_id: str, lease_seconds: float) -> bool:
        if kind not in self._limits:
            return True
        with self._lock:
            live = self._live(kind)
            if job_id not in live:
                return False
            live[job_id] = self._clock.now() + timedelta(seconds=lease_seconds)
            return True

    def release(self, kind: JobKind, job_id: str) -> None:
        if kind in self._limits:
            with self._lock:
                self._leases[kind].pop(job_id, None)
