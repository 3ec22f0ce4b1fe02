"""
Holding a job slot while a job runs: renewed in the background, released at the end.

The lease is short (a minute) and renewed every third of it, so a worker that dies frees its slot
within a lease, while a healthy one keeps it for as long as the job runs.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from gentrade_core.domain.job import JobKind
from gentrade_core.ports.slots import JobSlots, SlotsUnavailable

log = logging.getLogger(__name__)


class HeldSlot:
    """Context manager around a job that already acquired its slot."""

    def __init__(self, slots: JobSlots, kind: JobKind, job_id: str, lease_seconds: float) -> None:
        self._slots = slots
        self._kind = kind
        self._job_id = job_id
        self._lease = lease_seconds
        self._done = threading.Event()
        self._renewer = threading.Thread(target=self._renew, name=f"gentrade-slot-{job_id}", daemon=True)

    def __enter__(self) -> HeldSlot:
        self._renewer.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._done.set()
        self._renewer.join(timeout=self._lease)
        try:
            self._slots.release(self._kind, self._job_id)
        except SlotsUnavailable:
            log.warning(
                "could not release the %s slot of %s; it frees itself when its lease ends",
                self._kind.value,
                self._job_id,
            )

    def _renew(self) -> None:
        while not self._done.wait(self._lease / 3):
            try:
                if not self._slots.renew(self._kind, self._job_id, self._lease):
                    log.warning(
                        "%s %s lost its slot lease; the limit may be exceeded until it ends",
                        self._kind.value,
                        self._job_id,
                    )
            except SlotsUnavailable as e:
                log.warning("could not renew the %s slot of %s: %s", self._kind.value, self._job_id, e)
