"""
Freqtrade's command line, with the exchange's market list taken from a JSON snapshot.

    python -m gentrade_adapters.freqtrade.launcher --markets markets.json -- backtesting ...

Freqtrade calls ccxt `load_markets()` at start-up and cannot start without the network; with
`--markets` both ccxt exchange bases (async and sync) load the snapshot instead, so backtests and
hyperopts run offline. Without it this is plain `freqtrade` (e.g. `download-data` with network).
Its one command of its own, `gentrade-probe`, loads a strategy and reports on it (`probe.py`).

Everything happens under `if __name__ == "__main__"`: hyperopt's workers re-import `__main__` and
would otherwise run the whole command again.

The launcher ends itself, and its process group, when the process that started it dies: a worker
killed outright must not leave Freqtrade running, since the reaper hands the job to another worker
that will run it again in the same job directory.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gentrade_adapters.freqtrade import probe
from gentrade_core.freqtrade import commands


def patch_markets(markets: dict[str, Any]) -> None:
    """Make every ccxt exchange, sync or async, load `markets` instead of fetching them."""
    from ccxt.async_support.base.exchange import Exchange as AsyncExchange
    from ccxt.base.exchange import Exchange

    def load(self: Any, reload: bool = False, params: Any = None) -> dict[str, Any]:
        if reload or not self.markets:
            self.set_markets(markets)
        return self.markets

    async def load_async(self: Any, reload: bool = False, params: Any = None) -> dict[str, Any]:
        return load(self, reload, params)

    Exchange.load_markets = load
    AsyncExchange.load_markets = load_async


def parse(argv: Sequence[str]) -> tuple[Path | None, list[str]]:
    """Split the launcher's own options from Freqtrade's arguments (everything after `--`)."""
    argv = list(argv)
    split = argv.index("--") if "--" in argv else -1
    own, freqtrade_args = argv[: max(split, 0)], argv[split + 1 :]
    parser = argparse.ArgumentParser(prog="gentrade_adapters.freqtrade.launcher")
    parser.add_argument("--markets", type=Path, help="ccxt markets snapshot (JSON keyed by symbol)")
    return parser.parse_args(own).markets, freqtrade_args


def exit_with_parent(poll_seconds: float = 1.0) -> None:
    """Watch the parent in a daemon thread; once it is gone, kill this run and its children."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        if os.getpgrp() == os.getpid():  # started as a group leader: hyperopt's workers go too
            os.killpg(os.getpgrp(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="gentrade-parent-watch", daemon=True).start()


JOB_NICENESS = 10


def run_as_batch_work() -> None:
    """
    Backtests and hyperopts are batch work: on a shared host the API, the database and the
    broker must answer first. SCHED_IDLE gives Freqtrade (and hyperopt's workers, who inherit
    it) only the CPU nothing else wants, and any other task that wakes preempts it at once;
    a niceness of 10 still lets it take a share from them. Where SCHED_IDLE is refused (not
    Linux, a seccomp profile) the niceness is the fallback.
    """
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(JOB_NICENESS)


UNWRAPPED_COLUMNS = "100000"


def main(argv: Sequence[str]) -> None:
    # Freqtrade's rich console wraps log lines at 200 columns when there is no terminal; a wrapped
    # line loses its level prefix, and with it its place in a failed job's reason.
    os.environ["COLUMNS"] = UNWRAPPED_COLUMNS
    run_as_batch_work()
    exit_with_parent()
    markets_file, freqtrade_args = parse(argv)
    if markets_file is not None:
        patch_markets(json.loads(markets_file.read_text()))
    if freqtrade_args[:1] == [commands.PROBE]:
        raise SystemExit(probe.probe(freqtrade_args[1:]))
    from freqtrade.main import main as freqtrade_main

    freqtrade_main(freqtrade_args)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
