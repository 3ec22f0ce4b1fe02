"""
The Freqtrade settings a user may tune for one run: an allow-list, each value checked at submit.

Everything else in a Freqtrade config (paths, logging, databases, the API server and other
services, dry run, trading mode, the exchange and its keys, pair lists, FreqAI) is GenTrade's to
set: a run may be tuned, never pointed at files, processes or the network. Bounds follow
Freqtrade 2026.9's own config schema (a test holds them to it), so what passes here loads there.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gentrade_core.domain.json_types import Flag, Integer, Number
from gentrade_core.domain.values import MAX_AMOUNT

Ratio = Annotated[Number, Field(ge=0, le=1)]
OrderType = Literal["limit", "market"]
TimeInForce = Literal["GTC", "FOK", "IOC", "PO", "gtc", "fok", "ioc", "po"]
PriceSide = Literal["ask", "bid", "same", "other"]
RoiMinutes = Annotated[str, Field(pattern=r"^[0-9]{1,7}$")]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DepthOfMarket(_Section):
    enabled: Flag = False
    bids_to_ask_delta: Annotated[Number, Field(ge=0, le=1000)] = 1


class ExitPricing(_Section):
    price_side: PriceSide | None = None
    use_order_book: Flag | None = None
    order_book_top: Annotated[Integer, Field(ge=1, le=50)] | None = None
    price_last_balance: Ratio | None = None


class EntryPricing(ExitPricing):
    check_depth_of_market: DepthOfMarket | None = None


class UnfilledTimeout(_Section):
    entry: Annotated[Number, Field(ge=1, le=1_000_000)] | None = None
    exit: Annotated[Number, Field(ge=1, le=1_000_000)] | None = None
    exit_timeout_count: Annotated[Integer, Field(ge=0, le=1000)] | None = None
    unit: Literal["minutes", "seconds"] | None = None


class OrderTypes(_Section):
    """Replaces the strategy's order types as a whole, so Freqtrade's four required keys are required."""

    entry: OrderType
    exit: OrderType
    stoploss: OrderType
    stoploss_on_exchange: Flag
    force_exit: OrderType | None = None
    force_entry: OrderType | None = None
    emergency_exit: OrderType | None = None
    stoploss_price_type: Literal["last", "mark", "index"] | None = None
    stoploss_on_exchange_interval: Annotated[Integer, Field(ge=1, le=86_400)] | None = None
    stoploss_on_exchange_limit_ratio: Ratio | None = None


class OrderTimeInForce(_Section):
    entry: TimeInForce
    exit: TimeInForce


class RunOverrides(_Section):
    """
    What a backtest or hyperopt may change in Freqtrade's config; a key left out (or null) keeps
    the value from the strategy or GenTrade's template.
    """

    fee: Annotated[Number, Field(ge=0, le=0.1)] | None = None
    minimal_roi: Annotated[dict[RoiMinutes, Number], Field(max_length=100)] | None = None
    stoploss: Annotated[Number, Field(ge=-1, lt=0)] | None = None
    trailing_stop: Flag | None = None
    trailing_stop_positive: Ratio | None = None
    trailing_stop_positive_offset: Ratio | None = None
    trailing_only_offset_is_reached: Flag | None = None
    use_exit_signal: Flag | None = None
    exit_profit_only: Flag | None = None
    exit_profit_offset: Annotated[Number, Field(ge=-1, le=100)] | None = None
    ignore_roi_if_entry_signal: Flag | None = None
    ignore_buying_expired_candle_after: Annotated[Integer, Field(ge=0, le=31_536_000)] | None = None
    position_adjustment_enable: Flag | None = None
    max_entry_position_adjustment: Annotated[Integer, Field(ge=-1, le=1000)] | None = None
    entry_pricing: EntryPricing | None = None
    exit_pricing: ExitPricing | None = None
    unfilledtimeout: UnfilledTimeout | None = None
    order_types: OrderTypes | None = None
    order_time_in_force: OrderTimeInForce | None = None
    tradable_balance_ratio: Ratio | None = None
    available_capital: Annotated[Number, Field(ge=0, le=MAX_AMOUNT)] | None = None
    amend_last_stake_amount: Flag | None = None
    last_stake_amount_min_ratio: Ratio | None = None
    amount_reserve_percent: Annotated[Number, Field(ge=0, le=0.5)] | None = None
    enable_protections: Flag | None = None
    position_stacking: Flag | None = None
    backtest_breakdown: (
        Annotated[list[Literal["day", "week", "month", "year", "weekday"]], Field(max_length=5)] | None
    ) = None

    @model_validator(mode="before")
    @classmethod
    def _only_allowed_keys(cls, data: object) -> object:
        """Name every refused key at once, and say why, rather than pydantic's 'extra inputs'."""
        if isinstance(data, dict):
            keys = cast(dict[object, object], data).keys()
            refused = sorted(str(k) for k in keys if k not in cls.model_fields)
            if refused:
                raise ValueError(
                    f"{', '.join(refused)}: not a setting a job may override (GenTrade sets paths, "
                    "logging, databases, services, dry run and the exchange); the schema of "
                    "`overrides` lists what a job may tune"
                )
        return cast(object, data)

    def to_config(self) -> dict[str, Any]:
        """The keys the user set, as Freqtrade config; nulls mean 'not overridden'."""
        dumped: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        return dumped
