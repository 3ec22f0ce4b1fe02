"""
The Freqtrade command lines of a job: what follows `freqtrade`, run with the job directory as cwd.

Paths are relative to the job directory or start with `data_dir`, so an isolating runtime can remap
both. `--userdir .` puts `hyperopt_results/` (and the folders Freqtrade insists on) in the job
directory; `--datadir` is required because Freqtrade ignores `datadir` from the config file.
"""

from __future__ import annotations

from gentrade_core.domain.requests import HyperoptRequest
from gentrade_core.domain.values import TimeRange
from gentrade_core.freqtrade import layout

HYPEROPT_JOBS = 2
"""Hyperopt worker processes: one per core of a small host."""


def _common(command: str, strategy_name: str, timerange: TimeRange | str, data_dir: str) -> tuple[str, ...]:
    return (
        command,
        "--config", layout.CONFIG,
        "--userdir", ".",
        "--strategy", strategy_name,
        "--strategy-path", layout.STRATEGY_DIR,
        "--timerange", str(timerange),
        "--datadir", data_dir,
        "--no-color",
    )  # fmt: skip


def backtest_args(strategy_name: str, timerange: TimeRange | str, data_dir: str) -> tuple[str, ...]:
    """`backtesting` that always runs afresh (`--cache none`) and exports trades to the job directory."""
    return (
        *_common("backtesting", strategy_name, timerange, data_dir),
        "--export", "trades",
        "--backtest-directory", layout.BACKTEST_RESULTS,
        "--cache", "none",
    )  # fmt: skip


def hyperopt_args(
    strategy_name: str, request: HyperoptRequest, data_dir: str, *, jobs: int = HYPEROPT_JOBS
) -> tuple[str, ...]:
    """
    `hyperopt` writing its `.fthypt` under `hyperopt_results/`; the best parameters are read from
    there, so Freqtrade is told not to write them beside the strategy (the inputs stay as written).
    """
    args = (
        *_common("hyperopt", strategy_name, request.timerange, data_dir),
        "--epochs", str(request.epochs),
        "--spaces", *request.spaces,
        "--hyperopt-loss", request.loss,
        "--job-workers", str(jobs),
        "--disable-param-export",
    )  # fmt: skip
    if request.min_trades is not None:
        args = (*args, "--min-trades", str(request.min_trades))
    return args


PROBE = "gentrade-probe"
"""The launcher's own command: Freqtrade loads the strategy and reports on it (`layout.PROBE_REPORT`)."""


def probe_args(strategy_name: str) -> tuple[str, ...]:
    return (
        PROBE,
        "--config", layout.CONFIG,
        "--strategy", strategy_name,
        "--strategy-path", layout.STRATEGY_DIR,
        "--output", layout.PROBE_REPORT,
    )  # fmt: skip
