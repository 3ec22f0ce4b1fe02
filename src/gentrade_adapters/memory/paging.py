"""Paging shared by the in-memory repositories."""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from datetime import datetime
from typing import Protocol, TypeVar

from gentrade_core.ports.repositories import Page


class Listed(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def created_at(self) -> datetime: ...


L = TypeVar("L", bound=Listed)


def newest_first(items: Iterable[L], offset: int, limit: int) -> Page[L]:
    """Newest first, ties broken by id as the SQL adapter does."""
    ordered = sorted(items, key=lambda i: (i.created_at, i.id), reverse=True)
    return Page(deepcopy(ordered[offset : offset + limit]), len(ordered), offset, limit)
