"""Job requests: every field bounded and typed as JSON writes it, checked before anything is stored."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from pydantic import ValidationError

from gentrade_core.domain.requests import BacktestRequest, Exchange, HyperoptRequest
from gentrade_core.errors import ValidationFailed

JOB: dict[str, Any] = {
    "strategy_id": "s1",
    "pairs": ["ETH/BTC"],
    "timerange": "20180110-20180130",
    "stake_currency": "BTC",
    "stake_amount": 0.01,
}


def refused_fields(**changes: Any) -> set[str]:
    with pytest.raises(ValidationError) as raised:
        HyperoptRequest(**(JOB | changes))
    return {str(e["loc"][0]) for e in raised.value.errors()}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stake_amount": 1e300}, "stake_amount"),
        ({"stake_amount": True}, "stake_amount"),
        ({"stake_amount": "0.01"}, "stake_amount"),
        ({"stake_amount": float("nan")}, "stake_amount"),
        ({"dry_run_wallet": 1e13}, "dry_run_wallet"),
        ({"max_open_trades": 10**30}, "max_open_trades"),
        ({"max_open_trades": True}, "max_open_trades"),
        ({"strategy_version": 2**63}, "strategy_version"),
        ({"strategy_version": 2**31}, "strategy_version"),
        ({"epochs": 10**6}, "epochs"),
        ({"min_trades": 2**31}, "min_trades"),
        ({"exchange": "mtgox"}, "exchange"),
        ({"exchange": "binanceusdm"}, "exchange"),
        ({"pairs": ["ETH/BTC:BTC"]}, "pairs"),
        ({"strategy_id": "a\x00b"}, "strategy_id"),
        ({"strategy_id": "x" * 65}, "strategy_id"),
        ({"spaces": ["buy", "everything"]}, "spaces"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_out_of_bounds_mistyped_and_unsupported_values_are_refused(
    changes: dict[str, Any], field: str
) -> None:
    """Each is refused at once, naming the field, instead of failing later inside a worker."""
    assert {field} == refused_fields(**changes)


def test_a_futures_pair_is_named_as_such() -> None:
    """Spot jobs only: the message says why the pair is refused."""
    with pytest.raises(ValidationError, match=r"ETH/BTC:BTC: futures pairs; jobs trade spot pairs"):
        BacktestRequest(**(JOB | {"pairs": ["ETH/BTC:BTC"]}))


def test_integers_and_the_largest_values_are_accepted() -> None:
    """A whole-number stake is a number, and the bounds themselves are allowed."""
    sut = HyperoptRequest(
        **(
            JOB
            | {"stake_amount": 1, "max_open_trades": 10_000, "strategy_version": 2**31 - 1, "epochs": 10_000}
        )
    )
    assert (1.0, 10_000, 2**31 - 1) == (sut.stake_amount, sut.max_open_trades, sut.strategy_version)


def test_a_stored_request_that_todays_rules_refuse_still_loads_and_is_refused_when_run() -> None:
    """Rules tighten; old jobs stay readable, and a worker fails them with the reason instead of running."""
    stored = BacktestRequest(**JOB).model_dump(mode="json") | {
        "overrides": {"logfile": "/tmp/evil.log"},
        "data_source": "local",
    }
    sut = BacktestRequest.from_stored(stored)
    assert ({"logfile": "/tmp/evil.log"}, "local") == (sut.overrides, sut.data_source)
    with pytest.raises(ValidationFailed) as raised:
        sut.checked()
    assert ["overrides"] == [f.field for f in raised.value.findings]
    assert raised.value.findings[0].message.startswith("logfile: not a setting a job may override")


def test_the_exchanges_are_freqtrades_spot_exchanges() -> None:
    """Every exchange a job may name is one Freqtrade 2026.9 supports, and every spot one is offered."""
    supported = pytest.importorskip("freqtrade.exchange.common").SUPPORTED_EXCHANGES
    futures_only = {"binanceusdm", "krakenfutures"}
    assert set(supported) - futures_only == set(get_args(Exchange))
