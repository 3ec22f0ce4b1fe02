"""
JSON scalars taken as they are written: a number is never `true` or `"0.01"`, a flag never `1`.

Pydantic's lax mode (which Litestar asks for, overriding `Strict()` on fields) would turn `true`
into 1.0 and `"yes"` into True; a request that says `stake_amount: true` is a mistake to name, not
a stake of one.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field


def _number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON number")
    return value


def _integer(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a JSON integer")
    return value


def _flag(value: object) -> object:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


Number = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]
Integer = Annotated[int, BeforeValidator(_integer)]
Flag = Annotated[bool, BeforeValidator(_flag)]
