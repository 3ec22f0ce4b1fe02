"""
What a user asks a job to do. Pydantic models so every entry point (Python, HTTP, CLI) gets the same
field-by-field validation; the value objects do the parsing.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gentrade_core.domain.values import Pair, Stake, Timeframe, TimeRange
from gentrade_core.errors import ValidationFailed

_EXCHANGE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
HYPEROPT_SPACES = (
    "all",
    "buy",
    "sell",
    "enter",
    "exit",
    "roi",
    "stoploss",
    "trailing",
    "protection",
    "trades",
    "default",
)
HYPEROPT_LOSSES = (
    "ShortTradeDurHyperOptLoss",
    "OnlyProfitHyperOptLoss",
    "SharpeHyperOptLoss",
    "SharpeHyperOptLossDaily",
    "SortinoHyperOptLoss",
    "SortinoHyperOptLossDaily",
    "CalmarHyperOptLoss",
    "MaxDrawDownHyperOptLoss",
    "MaxDrawDownRelativeHyperOptLoss",
    "MaxDrawDownPerPairHyperOptLoss",
    "ProfitDrawDownHyperOptLoss",
    "MultiMetricHyperOptLoss",
)


class DataSource(StrEnum):
    LOCAL = "local"
    SYNTHETIC = "synthetic"
    EXCHANGE = "exchange"


def _value_error(error: ValidationFailed) -> ValueError:
    return ValueError("; ".join(f.message for f in error.findings))


class JobRequest(BaseModel):
    """The fields every Freqtrade job shares."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    strategy_id: str = Field(min_length=1)
    strategy_version: int | None = Field(default=None, ge=1)
    exchange: str = "binance"
    pairs: list[str] = Field(min_length=1, max_length=200)
    timeframe: str = "5m"
    timerange: str
    stake_currency: str = "USDT"
    stake_amount: float | str = Field(default="unlimited")
    dry_run_wallet: float | None = Field(default=None, gt=0)
    max_open_trades: int | None = Field(default=None, ge=-1)
    data_source: DataSource | None = None
    overrides: dict[str, Any] = Field(default_factory=dict[str, Any])

    @field_validator("exchange")
    @classmethod
    def _exchange(cls, value: str) -> str:
        name = value.strip().lower()
        if not _EXCHANGE.match(name):
            raise ValueError(f"{value!r} is not an exchange id like 'binance'")
        return name

    @field_validator("pairs")
    @classmethod
    def _pairs(cls, value: list[str]) -> list[str]:
        try:
            symbols = [Pair.parse(p).symbol for p in value]
        except ValidationFailed as e:
            raise _value_error(e) from None
        if len(set(symbols)) != len(symbols):
            raise ValueError("lists a pair more than once")
        return symbols

    @field_validator("timeframe")
    @classmethod
    def _timeframe(cls, value: str) -> str:
        try:
            return Timeframe.parse(value).value
        except ValidationFailed as e:
            raise _value_error(e) from None

    @field_validator("timerange")
    @classmethod
    def _timerange(cls, value: str) -> str:
        try:
            return str(TimeRange.parse(value))
        except ValidationFailed as e:
            raise _value_error(e) from None

    @field_validator("stake_currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        try:
            return Stake.parse(value, None).currency
        except ValidationFailed as e:
            raise _value_error(e) from None

    @field_validator("stake_amount")
    @classmethod
    def _amount(cls, value: float | str) -> float | str:
        try:
            return Stake.parse("BTC", value).freqtrade_amount
        except ValidationFailed as e:
            raise _value_error(e) from None

    @model_validator(mode="after")
    def _pairs_quoted_in_stake(self) -> JobRequest:
        wrong = [p for p in self.pairs if Pair(p).quote != self.stake_currency]
        if wrong:
            raise ValueError(
                f"pairs {', '.join(wrong)} are not quoted in the stake currency {self.stake_currency}"
            )
        return self

    @property
    def pair_values(self) -> list[Pair]:
        return [Pair(p) for p in self.pairs]

    @property
    def timeframe_value(self) -> Timeframe:
        return Timeframe(self.timeframe)

    @property
    def timerange_value(self) -> TimeRange:
        return TimeRange.parse(self.timerange)

    @property
    def stake(self) -> Stake:
        return Stake.parse(self.stake_currency, self.stake_amount)


class BacktestRequest(JobRequest):
    """A backtest: run the strategy over the time range once."""


class HyperoptRequest(JobRequest):
    """A hyperopt: search the strategy's parameter spaces for `epochs` epochs."""

    epochs: int = Field(default=50, ge=1, le=10_000)
    spaces: list[str] = Field(default_factory=lambda: ["default"], min_length=1)
    loss: str = "SharpeHyperOptLossDaily"
    min_trades: int | None = Field(default=None, ge=1)

    @field_validator("spaces")
    @classmethod
    def _spaces(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in HYPEROPT_SPACES]
        if unknown:
            raise ValueError(f"unknown spaces {unknown}; choose from {', '.join(HYPEROPT_SPACES)}")
        return value

    @field_validator("loss")
    @classmethod
    def _loss(cls, value: str) -> str:
        if value not in HYPEROPT_LOSSES:
            raise ValueError(f"{value!r} is not one of {', '.join(HYPEROPT_LOSSES)}")
        return value
