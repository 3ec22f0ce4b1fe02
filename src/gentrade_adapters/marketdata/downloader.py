"""Freqtrade's `download-data` and a ccxt markets snapshot: the only market-data step with network."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from gentrade_core.domain.values import Pair, Timeframe, TimeRange
from gentrade_core.ports.market_data import MarketDataError

_OFFLINE_HINT = "no network? use data_source 'local' or 'synthetic'"
_CAPTURE_MARKETS = """
import json, sys
import ccxt
exchange = getattr(ccxt, sys.argv[1])()
with open(sys.argv[2], "w") as out:
    json.dump(exchange.load_markets(), out, default=str)
"""
_LOGGED_ERROR = re.compile(r" - ERROR - (.+)$")
_RAISED = re.compile(r"^[\w.]+(?:Error|Exception): (.+)$")


@attrs.frozen
class CommandResult:
    returncode: int
    output: str


CommandRunner = Callable[[Sequence[str]], CommandResult]


def run_command(args: Sequence[str], timeout: float = 3600) -> CommandResult:
    """Run a command to completion, stdout and stderr together."""
    try:
        done = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return CommandResult(-1, f"timed out after {timeout:.0f} s")
    return CommandResult(done.returncode, done.stdout + done.stderr)


def failure_reason(output: str) -> str:
    """The last exception and the last logged error of a failed run, not its whole traceback."""
    lines = [line.strip() for line in output.splitlines()]
    found = [
        next((m[1] for line in reversed(lines) if (m := pattern.search(line))), None)
        for pattern in (_RAISED, _LOGGED_ERROR)
    ]
    reasons = list(dict.fromkeys(r for r in found if r))
    return " / ".join(reasons) or (lines[-1] if lines and lines[-1] else "no output")


@attrs.frozen
class FreqtradeDownloader:
    """Runs Freqtrade and ccxt in a child process through `runner`, which tests replace."""

    runner: CommandRunner = run_command
    python: str = sys.executable

    def download(
        self,
        exchange: str,
        pairs: Sequence[Pair],
        timeframe: Timeframe,
        timerange: TimeRange,
        datadir: Path,
        prepend: bool = False,
    ) -> None:
        """Fetch candles into `datadir` (appending after, or with `prepend` before, what is there)."""
        userdir = datadir / "user_data"
        userdir.mkdir(parents=True, exist_ok=True)
        args = [
            self.python,
            "-m",
            "freqtrade",
            "download-data",
            "--userdir",
            str(userdir),
            "--exchange",
            exchange,
            "--pairs",
            *(p.symbol for p in pairs),
            "--timeframes",
            timeframe.value,
            "--timerange",
            str(timerange),
            "--datadir",
            str(datadir),
            "--data-format-ohlcv",
            "feather",
        ]
        result = self.runner([*args, "--prepend"] if prepend else args)
        if result.returncode != 0:
            names = ", ".join(p.symbol for p in pairs)
            raise MarketDataError(
                f"could not download {names} {timeframe} from {exchange}: "
                f"{failure_reason(result.output)}; {_OFFLINE_HINT}"
            )

    def capture_markets(self, exchange: str, target: Path) -> None:
        """Write the exchange's ccxt markets, as `load_markets()` returns them, to `target`."""
        result = self.runner([self.python, "-c", _CAPTURE_MARKETS, exchange, str(target)])
        if result.returncode != 0:
            raise MarketDataError(
                f"could not capture the markets of {exchange}: "
                f"{failure_reason(result.output)}; {_OFFLINE_HINT}"
            )
