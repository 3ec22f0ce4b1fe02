"""
Load a strategy the way Freqtrade does and write down what it reports.

    python -m gentrade_adapters.freqtrade.launcher --markets markets.json -- \
        gentrade-probe --config config.json --strategy Name --strategy-path strategies

Freqtrade's own `StrategyResolver` loads the class with the job's config, so a strategy that passes
here is one `backtesting` can load. The report (`layout.PROBE_REPORT`, JSON) holds the facts the
platform needs before it runs anything: timeframe, can_short, startup candles, ROI and stoploss, the
hyperoptable parameters by space with the values a run uses (parameter file, `*_params`, defaults),
and the informative (pair, timeframe) candles the strategy asks for given the config's whitelist —
from `informative_pairs()` and `@informative` alike. The strategy is started as a backtest starts it
(a real exchange with its markets from the snapshot, the pair list, the data provider,
`bot_start()`), so what it reports is what a run would see.

A strategy that cannot be loaded ends the process with code 2 and Freqtrade's reason as an ERROR line,
as `freqtrade` itself does.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gentrade_core.domain.strategy_check import Parameter, StrategyFacts
from gentrade_core.freqtrade import commands, layout

log = logging.getLogger("gentrade.probe")


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=commands.PROBE)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--strategy", required=True)
    parser.add_argument("--strategy-path", required=True)
    parser.add_argument("--output", type=Path, default=Path(layout.PROBE_REPORT))
    return parser.parse_args(list(argv))


def _parameters(strategy: Any) -> dict[str, list[Parameter]]:
    from freqtrade.strategy.hyper import detect_all_parameters

    return {
        space: [
            Parameter(name, type(p).__name__, _jsonable(p.value), bool(p.optimize))
            for name, p in sorted(parameters.items())
        ]
        for space, parameters in sorted(detect_all_parameters(strategy).items())
    }


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _start(strategy: Any, config: dict[str, Any]) -> None:
    """What a backtest does before its first candle: data provider, `bot_start()`, parameter values."""
    from freqtrade.data.dataprovider import DataProvider
    from freqtrade.plugins.pairlistmanager import PairListManager
    from freqtrade.resolvers import ExchangeResolver

    exchange = ExchangeResolver.load_exchange(config, load_leverage_tiers=False)
    pairlists = PairListManager(exchange, config)
    pairlists.refresh_pairlist()
    strategy.dp = DataProvider(config, exchange, pairlists)
    strategy.ft_bot_start()


def probe(argv: Sequence[str]) -> int:
    from freqtrade.configuration import Configuration
    from freqtrade.exceptions import FreqtradeException
    from freqtrade.loggers import setup_logging_pre
    from freqtrade.resolvers import StrategyResolver

    setup_logging_pre()
    args = _parse(argv)
    try:
        config = Configuration.from_files([str(args.config)])
        config.update(strategy=args.strategy, strategy_path=args.strategy_path)
        strategy = StrategyResolver.load_strategy(config)
        _start(strategy, config)
        facts = StrategyFacts(
            timeframe=strategy.timeframe,
            can_short=bool(strategy.can_short),
            startup_candle_count=int(strategy.startup_candle_count or 0),
            minimal_roi={str(k): float(v) for k, v in strategy.minimal_roi.items()},
            stoploss=float(strategy.stoploss),
            parameters=_parameters(strategy),
            informative=sorted({(p, tf) for p, tf, *_ in strategy.gather_informative_pairs()}),
        )
    except FreqtradeException as e:
        log.error(str(e))
        return 2
    except Exception as e:  # the strategy's own code: an import, a class body, a method
        log.exception("the strategy could not be loaded: %s: %s", type(e).__name__, e)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(facts.as_report(), indent=2))
    log.info("strategy %s loaded; report in %s", args.strategy, args.output)
    return 0
