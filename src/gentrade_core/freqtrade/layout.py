"""Where things live inside a job's directory (relative paths; runtimes run Freqtrade there)."""

CONFIG = "config.json"
STRATEGY_DIR = "strategies"
MARKETS = "markets.json"
BACKTEST_RESULTS = "backtest_results"
HYPEROPT_RESULTS = "hyperopt_results"
LOG = "freqtrade.log"
