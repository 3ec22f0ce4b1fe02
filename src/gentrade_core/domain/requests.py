"""
What a user asks a job to do. Pydantic models so every entry point (Python, HTTP, CLI) gets the same
field-by-field validation; the value objects do the parsing. The JSON schema says what the
validators check wherever a schema can (patterns, enums, bounds), so generated clients agree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from gentrade_core.domain.json_types import Integer, Number
from gentrade_core.domain.overrides import RunOverrides
from gentrade_core.domain.values import MAX_AMOUNT, TIMEFRAMES, Pair, Stake, Timeframe, TimeRange
from gentrade_core.errors import Finding, ValidationFailed

Exchange = Literal[
    "binance",
    "binanceus",
    "bingx",
    "bitget",
    "bybit",
    "bybiteu",
    "gate",
    "gateeu",
    "htx",
    "hyperliquid",
    "kraken",
    "myokx",
    "okx",
]
"""Freqtrade 2026.9's supported exchanges that trade spot (a test holds this to Freqtrade's list)."""
MAX_INT = 2**31 - 1
"""The largest integer a request field may hold: every SQL database stores it."""
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
SPOT_PAIR_PATTERN = r"^[A-Za-z0-9]{1,20}/[A-Za-z0-9]{1,20}$"
TIMERANGE_PATTERN = r"^([0-9]{8})?-([0-9]{8})?$"
CURRENCY_PATTERN = r"^[A-Za-z0-9]{2,20}$"
Amount = Annotated[Number, Field(gt=0, le=MAX_AMOUNT)]
"""A JSON number (integers too) above zero; never a boolean or a numeric string."""


def _stake_amount(value: object) -> float | str:
    """A JSON number or 'unlimited' (`true`, `"0.01"` are mistakes, not stakes); `Stake` checks the range."""
    if value == "unlimited":
        return "unlimited"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number or 'unlimited'")
    try:
        return Stake.parse("BTC", value).freqtrade_amount
    except ValidationFailed as e:
        raise _value_error(e) from None


StakeAmount = Annotated[
    float | str,
    PlainValidator(_stake_amount),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_AMOUNT},
                {"type": "string", "const": "unlimited"},
            ]
        }
    ),
]
"""One error naming the field, rather than one per branch of the union."""
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


def findings_of(error: ValidationError) -> list[Finding]:
    """Pydantic's errors as findings: the dotted field path and the message."""
    return [
        Finding(".".join(str(part) for part in e["loc"]) or "request", e["msg"].removeprefix("Value error, "))
        for e in error.errors()
    ]


def _value_error(error: ValidationFailed) -> ValueError:
    return ValueError("; ".join(f.message for f in error.findings))


class JobRequest(BaseModel):
    """The fields every Freqtrade job shares."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "strategy_id": "0f8fad5bd9cb469fa16570867728950e",
                    "pairs": ["ETH/BTC", "LTC/BTC"],
                    "timeframe": "5m",
                    "timerange": "20180110-20180130",
                    "stake_currency": "BTC",
                    "stake_amount": 0.01,
                    "data_source": "local",
                }
            ]
        },
    )

    strategy_id: str = Field(pattern=ID_PATTERN)
    strategy_version: Annotated[Integer, Field(ge=1, le=MAX_INT)] | None = None
    exchange: Exchange = "binance"
    pairs: list[str] = Field(
        min_length=1,
        max_length=200,
        json_schema_extra={"items": {"type": "string", "pattern": SPOT_PAIR_PATTERN, "maxLength": 41}},
    )
    timeframe: str = Field(default="5m", json_schema_extra={"enum": list(TIMEFRAMES)})
    timerange: str = Field(max_length=17, json_schema_extra={"pattern": TIMERANGE_PATTERN})
    stake_currency: str = Field(default="USDT", json_schema_extra={"pattern": CURRENCY_PATTERN})
    stake_amount: StakeAmount = "unlimited"
    dry_run_wallet: Amount | None = None
    max_open_trades: Annotated[Integer, Field(ge=-1, le=10_000)] | None = None
    data_source: DataSource | None = None
    overrides: RunOverrides = Field(
        default_factory=RunOverrides,
        description="Freqtrade settings to tune for this run; only the keys listed are accepted.",
    )

    @field_validator("pairs")
    @classmethod
    def _pairs(cls, value: list[str]) -> list[str]:
        try:
            pairs = [Pair.parse(p) for p in value]
        except ValidationFailed as e:
            raise _value_error(e) from None
        futures = [p.symbol for p in pairs if p.settle is not None]
        if futures:
            raise ValueError(f"{', '.join(futures)}: futures pairs; jobs trade spot pairs such as 'ETH/BTC'")
        symbols = [p.symbol for p in pairs]
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

    @model_validator(mode="after")
    def _pairs_quoted_in_stake(self) -> JobRequest:
        wrong = [p for p in self.pairs if Pair(p).quote != self.stake_currency]
        if wrong:
            raise ValueError(
                f"pairs {', '.join(wrong)} are not quoted in the stake currency {self.stake_currency}"
            )
        return self

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> Self:
        """
        A request as it was accepted when stored. Rules tighten over time; a job stored under older
        rules must still load (to be listed, read and deleted), so what no longer validates is
        taken as stored, and `checked()` fails it if a worker ever runs it.
        """
        try:
            return cls.model_validate(data)
        except ValidationError:
            fields = dict(data)
            if fields.get("data_source") is not None:
                fields["data_source"] = DataSource(fields["data_source"])
            return cls.model_construct(**fields)

    def as_stored(self) -> dict[str, Any]:
        """As JSON; a request loaded by `from_stored` may hold raw values, which are kept as they are."""
        return self.model_dump(mode="json", warnings=False)

    def checked(self) -> Self:
        """This request under today's rules; `ValidationFailed` naming each field it breaks."""
        try:
            return type(self).model_validate(self.as_stored())
        except ValidationError as e:
            raise ValidationFailed(findings_of(e)) from None

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

    epochs: Annotated[Integer, Field(ge=1, le=10_000)] = 50
    spaces: list[str] = Field(
        default_factory=lambda: ["default"],
        min_length=1,
        max_length=len(HYPEROPT_SPACES),
        json_schema_extra={"items": {"type": "string", "enum": list(HYPEROPT_SPACES)}},
    )
    loss: str = Field(default="SharpeHyperOptLossDaily", json_schema_extra={"enum": list(HYPEROPT_LOSSES)})
    min_trades: Annotated[Integer, Field(ge=1, le=MAX_INT)] | None = None

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
