"""Where things live inside a job's directory (relative paths; runtimes run Freqtrade there)."""

CONFIG = "config.json"
STRATEGY_DIR = "strategies"
MARKETS = "markets.json"
BACKTEST_RESULTS = "backtest_results"
HYPEROPT_RESULTS = "hyperopt_results"
LOG = "freqtrade.log"
PROBE_REPORT = "probe/strategy.json"
"""What `gentrade-probe` found when Freqtrade loaded the strategy (under a folder the pod ships back)."""


def strategy_file(name: str) -> str:
    return f"{STRATEGY_DIR}/{name}.py"


def parameter_file(name: str) -> str:
    """Freqtrade reads a strategy's parameters from the JSON file beside it, named as it is."""
    return f"{STRATEGY_DIR}/{name}.json"
