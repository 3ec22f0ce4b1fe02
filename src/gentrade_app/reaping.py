"""Runs the reaper every few seconds in a background thread of whichever process hosts workers."""

from __future__ import annotations

import logging
import threading

from gentrade_core.usecases.reaper import Reaper

log = logging.getLogger(__name__)


class ReaperThread:
    def __init__(self, reaper: Reaper, interval: float, resend_all_queued: bool = False) -> None:
        self._reaper = reaper
        self._interval = interval
        self._first_round_resends = resend_all_queued
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gentrade-reaper", daemon=True)

    def start(self) -> ReaperThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        resend = self._first_round_resends
        while True:
            try:
                report = self._reaper.reap(resend_all_queued=resend)
                resend = False
                if report.requeued or report.failed or report.nudged:
                    log.warning(
                        "reaper: requeued %s, failed %s, re-sent %s",
                        report.requeued,
                        report.failed,
                        report.nudged,
                    )
            except Exception:
                log.exception("reaper round failed; trying again next round")
            if self._stop.wait(self._interval):
                return
