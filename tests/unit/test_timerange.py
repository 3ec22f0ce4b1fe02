"""TimeRange follows Freqtrade's `YYYYMMDD-YYYYMMDD` syntax with open ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gentrade_core.domain.values import TimeRange
from gentrade_core.errors import ValidationFailed

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 30))


@given(days, st.integers(min_value=1, max_value=4000))
def test_closed_range_round_trips(start: date, length: int) -> None:
    """Any start before any end parses, and prints back to the same text."""
    end = start + timedelta(days=length)
    text = f"{start:%Y%m%d}-{end:%Y%m%d}"
    parsed = TimeRange.parse(text)
    assert datetime(start.year, start.month, start.day, tzinfo=UTC) == parsed.start
    assert text == str(parsed)


@given(days)
def test_open_ends(day: date) -> None:
    """Either end may be left open, as Freqtrade allows."""
    assert TimeRange.parse(f"{day:%Y%m%d}-").end is None
    assert TimeRange.parse(f"-{day:%Y%m%d}").start is None


@given(days, st.integers(min_value=0, max_value=400))
def test_start_not_before_end_is_refused(end: date, back: int) -> None:
    """A range whose start is on or after its end is refused, naming the field."""
    start = end + timedelta(days=back)
    with pytest.raises(ValidationFailed) as e:
        TimeRange.parse(f"{start:%Y%m%d}-{end:%Y%m%d}")
    assert "timerange" == e.value.findings[0].field


@given(st.text(max_size=30))
def test_garbage_is_a_validation_error_never_a_crash(text: str) -> None:
    """Arbitrary text either parses or raises ValidationFailed."""
    try:
        TimeRange.parse(text)
    except ValidationFailed as e:
        assert "timerange" == e.findings[0].field


@pytest.mark.parametrize(
    "text", ["2024-01-01", "20240230-", "-", "", "20240101-20240101", "2024011-20240201"]
)
def test_malformed_examples(text: str) -> None:
    """Common mistakes are refused with a message that shows the expected form."""
    with pytest.raises(ValidationFailed):
        TimeRange.parse(text)
