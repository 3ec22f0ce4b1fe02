"""Value objects shared by strategies and jobs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import attrs

from gentrade_core.errors import ValidationFailed

_PAIR = re.compile(r"^[A-Z0-9]{1,20}/[A-Z0-9]{1,20}(:[A-Z0-9]{1,20})?$")
MAX_AMOUNT = 1e12
"""The largest stake, wallet or capital a request may name, in its stake currency."""
_CURRENCY = re.compile(r"^[A-Z0-9]{2,20}$")
_TIMEFRAME_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000}
TIMEFRAMES = (
    "1m",
    "3m",
    "5m",
    "15m",
    "30m",
    "1h",
    "2h",
    "4h",
    "6h",
    "8h",
    "12h",
    "1d",
    "3d",
    "1w",
    "1M",
)


@attrs.frozen
class Pair:
    """A ccxt symbol such as `ETH/BTC` (futures: `ETH/USDT:USDT`)."""

    symbol: str

    @classmethod
    def parse(cls, text: str, field: str = "pairs") -> Pair:
        symbol = text.strip().upper()
        if not _PAIR.match(symbol):
            raise ValidationFailed.single(field, f"{text!r} is not a pair like 'ETH/BTC'")
        return cls(symbol)

    @property
    def base(self) -> str:
        return self.symbol.split("/")[0]

    @property
    def quote(self) -> str:
        return self.symbol.split("/")[1].split(":")[0]

    @property
    def settle(self) -> str | None:
        """The settlement currency of a futures pair (`ETH/USDT:USDT`); None for spot."""
        return self.symbol.split(":")[1] if ":" in self.symbol else None

    @property
    def file_stem(self) -> str:
        """How Freqtrade names the pair in data files: `ETH/BTC` -> `ETH_BTC`."""
        return self.symbol.replace("/", "_").replace(":", "_")

    def __str__(self) -> str:
        return self.symbol


@attrs.frozen
class Timeframe:
    """A Freqtrade candle timeframe such as `5m` or `1h`."""

    value: str

    @classmethod
    def parse(cls, text: str, field: str = "timeframe") -> Timeframe:
        if text not in TIMEFRAMES:
            raise ValidationFailed.single(field, f"{text!r} is not one of {', '.join(TIMEFRAMES)}")
        return cls(text)

    @property
    def seconds(self) -> int:
        return int(self.value[:-1]) * _TIMEFRAME_UNITS[self.value[-1]]

    @property
    def delta(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    def __str__(self) -> str:
        return self.value


def _parse_day(text: str, field: str) -> datetime:
    if not (len(text) == 8 and text.isascii() and text.isdigit()):
        raise ValidationFailed.single(field, f"{text!r} is not a date in YYYYMMDD form")
    try:
        day = datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ValidationFailed.single(field, f"{text!r} is not a date in YYYYMMDD form") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@attrs.frozen
class TimeRange:
    """
    Freqtrade's `YYYYMMDD-YYYYMMDD` time range; either end may be open (`20240101-`).

    `start` is inclusive and `end` exclusive, both at midnight UTC, as Freqtrade reads them.
    """

    start: datetime | None
    end: datetime | None

    @classmethod
    def parse(cls, text: str, field: str = "timerange") -> TimeRange:
        parts = text.strip().split("-")
        if len(parts) != 2 or parts == ["", ""]:
            raise ValidationFailed.single(
                field, f"{text!r} is not a time range like '20240101-20240201', '20240101-' or '-20240201'"
            )
        start = _parse_day(parts[0], field) if parts[0] else None
        end = _parse_day(parts[1], field) if parts[1] else None
        if start and end and start >= end:
            raise ValidationFailed.single(field, f"{text!r} starts on or after its end")
        return cls(start, end)

    def __str__(self) -> str:
        start = f"{self.start:%Y%m%d}" if self.start else ""
        end = f"{self.end:%Y%m%d}" if self.end else ""
        return f"{start}-{end}"


@attrs.frozen
class Stake:
    """How much each trade puts in, in `currency`; `amount=None` is Freqtrade's 'unlimited'."""

    currency: str
    amount: float | None

    @classmethod
    def parse(cls, currency: str, amount: float | str | None) -> Stake:
        cur = currency.strip().upper()
        if not _CURRENCY.match(cur):
            raise ValidationFailed.single("stake_currency", f"{currency!r} is not a currency code like 'BTC'")
        if amount is None or amount == "unlimited":
            return cls(cur, None)
        try:
            value = float(amount)
        except (TypeError, ValueError):
            raise ValidationFailed.single(
                "stake_amount", f"{amount!r} is not a positive number or 'unlimited'"
            ) from None
        if not 0 < value <= MAX_AMOUNT:  # NaN fails too
            raise ValidationFailed.single(
                "stake_amount", f"{amount!r} must be a number above 0 and at most {MAX_AMOUNT:g}"
            )
        return cls(cur, value)

    @property
    def freqtrade_amount(self) -> float | str:
        return "unlimited" if self.amount is None else self.amount
