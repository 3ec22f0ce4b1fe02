"""
Parsing Freqtrade's output. The fixtures come from real Freqtrade 2026.9 runs of `SampleCross` and
`SampleHyperopt` (tests/strategies_src.py) on ETH/BTC + LTC/BTC, 20180110-20180130, 0.01 BTC stake;
the backtest's trade list and the epochs' metrics are trimmed, the headline figures are untouched.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from gentrade_core.domain.backtest import BacktestSummary, TradeRecord
from gentrade_core.domain.hyperopt import HyperoptEpoch
from gentrade_core.freqtrade.results import (
    ResultFormatError,
    latest_backtest_zip_name,
    parse_backtest_result,
    parse_hyperopt_epochs,
    read_backtest_zip,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
STEM = "backtest-result-2026-11-21_23-36-21"


@pytest.fixture
def result() -> dict[str, Any]:
    return json.loads((FIXTURES / "backtest_result_samplecross.json").read_text())


@pytest.fixture
def fthypt_lines() -> list[str]:
    # Five epochs of a real SampleHyperopt run's .fthypt (JSON lines), trimmed to the fields read.
    return (FIXTURES / "hyperopt_samplehyperopt.jsonl").read_text().splitlines(keepends=True)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_summary_carries_freqtrades_figures(result: dict[str, Any]) -> None:
    """Every field comes from the run, as Freqtrade printed it (-1.26 %, 417 trades, 75/0/342, ...)."""
    expected = BacktestSummary(
        total_trades=417,
        profit_total=-0.012620550000000001,
        profit_total_abs=-0.012620550000000001,
        profit_percentage=-1.2620550000000001,
        avg_profit=-0.003023487348350326,
        max_drawdown=0.012735759999999985,
        sharpe_ratio=-161.1613482295784,
        sortino_ratio=-309.3479246116677,
        calmar_ratio=-99.6428742863346,
        win_rate=0.17985611510791366,
        wins=75,
        draws=0,
        losses=342,
        best_pair="ETH/BTC",
        worst_pair="LTC/BTC",
        starting_balance=1.0,
        final_balance=0.98737945,
        market_change=0.023911346788913015,
        backtest_start="2018-01-10 07:25:00",
        backtest_end="2018-01-30 00:00:00",
    )
    assert expected == parse_backtest_result(result, "SampleCross")[0]


def test_trades_are_read_in_order(result: dict[str, Any]) -> None:
    """Each trade keeps its pair, dates, rates, amounts, profit and exit reason."""
    _, trades = parse_backtest_result(result, "SampleCross")
    expected_first = TradeRecord(
        pair="ETH/BTC",
        open_date="2018-01-11 00:20:00+00:00",
        close_date="2018-01-11 00:25:00+00:00",
        open_rate=0.086489,
        close_rate=0.08839539,
        amount=0.11562163,
        stake_amount=0.01,
        profit_abs=0.0002002,
        profit_ratio=0.020000001685860143,
        exit_reason="roi",
        is_short=False,
    )
    assert [expected_first, "exit_signal", "exit_signal"] == [
        trades[0],
        trades[1].exit_reason,
        trades[2].exit_reason,
    ]


def test_pairs_without_trades_are_neither_best_nor_worst(result: dict[str, Any]) -> None:
    """Only pairs that traded are ranked; with none, both are None."""
    stats = result["strategy"]["SampleCross"]
    for row in stats["results_per_pair"]:
        row["trades"] = 0
    summary, _ = parse_backtest_result(result, "SampleCross")
    assert (None, None) == (summary.best_pair, summary.worst_pair)


@pytest.mark.parametrize("value", [None, float("nan"), float("inf")])
def test_unmeasurable_ratios_become_none(result: dict[str, Any], value: float | None) -> None:
    """A missing, null or non-finite ratio is reported as unknown, not as a number."""
    stats = result["strategy"]["SampleCross"]
    stats["sharpe"] = value
    del stats["market_change"]
    summary, _ = parse_backtest_result(result, "SampleCross")
    assert (None, None) == (summary.sharpe_ratio, summary.market_change)


def test_another_strategys_result_is_refused(result: dict[str, Any]) -> None:
    """The error names the strategies the result does hold."""
    with pytest.raises(ResultFormatError, match=r"'Other'.*\['SampleCross'\]"):
        parse_backtest_result(result, "Other")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda r: r.pop("strategy"), "'strategy' section"),
        (lambda r: r["strategy"]["SampleCross"].pop("profit_total"), "no 'profit_total'"),
        (lambda r: r["strategy"]["SampleCross"].update(total_trades="many"), "not a number"),
        (lambda r: r["strategy"]["SampleCross"].update(wins=True), "not a number"),
        (lambda r: r["strategy"]["SampleCross"]["trades"][0].pop("pair"), "no 'pair'"),
    ],
)
def test_content_that_is_not_a_freqtrade_result_is_refused(
    result: dict[str, Any], damage: Any, message: str
) -> None:
    """A ValueError subclass says what is missing or wrong, instead of zeros being stored."""
    damaged = copy.deepcopy(result)
    damage(damaged)
    with pytest.raises(ResultFormatError, match=message):
        parse_backtest_result(damaged, "SampleCross")
    assert issubclass(ResultFormatError, ValueError)


def test_the_zip_yields_the_result_json_not_its_companions(result: dict[str, Any]) -> None:
    """Of the zip's JSON members, the one whose stem every other member extends is the result."""
    data = zip_of(
        {
            f"{STEM}.json": json.dumps(result).encode(),
            f"{STEM}_config.json": b'{"dry_run": true}',
            f"{STEM}_SampleCross.json": b'{"params": {}}',
            f"{STEM}_SampleCross.py": b"class SampleCross: ...",
        }
    )
    assert result == read_backtest_zip(data)


@pytest.mark.parametrize(
    "data",
    [
        b"not a zip",
        zip_of({"notes.txt": b"x"}),
        zip_of({f"{STEM}.json": b"{broken"}),
        zip_of({f"{STEM}.json": b"[]"}),
    ],
)
def test_a_zip_without_a_result_is_refused(data: bytes) -> None:
    """Not a zip, no result member, unreadable or non-object JSON: all ResultFormatError."""
    with pytest.raises(ResultFormatError):
        read_backtest_zip(data)


def test_last_result_names_the_latest_zip() -> None:
    """The name is returned as written by Freqtrade."""
    assert f"{STEM}.zip" == latest_backtest_zip_name({"latest_backtest": f"{STEM}.zip"})


@pytest.mark.parametrize(
    "content", [{}, {"latest_backtest": 3}, {"latest_backtest": "../x.zip"}, {"latest_backtest": "a.json"}]
)
def test_last_result_must_name_a_zip_in_its_folder(content: dict[str, Any]) -> None:
    """Missing, non-text, path-escaping or non-zip names are refused."""
    with pytest.raises(ResultFormatError):
        latest_backtest_zip_name(content)


def test_fthypt_gives_epoch_count_and_the_lowest_loss_marked_best(fthypt_lines: list[str]) -> None:
    """Epoch 2 (buy_drop 18, 53 trades) beat epoch 1 and the three that followed."""
    expected = HyperoptEpoch(
        epoch=2,
        loss=-0.7862345092506289,
        profit=0.0004018699999999994,
        profit_abs=0.0004018699999999994,
        total_trades=53,
        params={"buy_drop": 18},
        is_best=True,
    )
    assert (5, expected) == parse_hyperopt_epochs(fthypt_lines)


def test_a_half_written_last_line_is_skipped(fthypt_lines: list[str]) -> None:
    """Hyperopt may be writing the file while it is read: the partial epoch is not counted yet."""
    assert 4 == parse_hyperopt_epochs([*fthypt_lines[:4], fthypt_lines[4][:100]])[0]


def test_an_unreadable_line_before_the_last_is_an_error(fthypt_lines: list[str]) -> None:
    """Only the end of the file can be incomplete."""
    with pytest.raises(ResultFormatError, match="line 2"):
        parse_hyperopt_epochs([fthypt_lines[0], "{oops\n", *fthypt_lines[1:]])


def test_no_best_epoch_without_epochs_marked_best(fthypt_lines: list[str]) -> None:
    """Epochs Freqtrade did not mark best (e.g. too few trades) never become the best."""
    epochs = [json.loads(line) | {"is_best": False} for line in fthypt_lines]
    assert (5, None) == parse_hyperopt_epochs(json.dumps(e) for e in epochs)
    assert (0, None) == parse_hyperopt_epochs(["", "\n"])
