"""One transaction's writes to one in-memory table."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from copy import deepcopy
from typing import Generic, TypeVar

from gentrade_adapters.memory.store import InMemoryStore
from gentrade_core.errors import NotFound
from gentrade_core.ports.repositories import ConcurrentUpdate, DuplicateError

T = TypeVar("T")


class Staged(Generic[T]):
    """One transaction's writes to one table, invisible to others until the store applies them."""

    def __init__(
        self,
        store: InMemoryStore,
        table: str,
        unique: Callable[[T], Hashable] | None = None,
        version: Callable[[T], int] | None = None,
    ) -> None:
        self.store = store
        self.table = table
        self._unique = unique
        self._version = version
        self._changes: dict[str, T | None] = {}
        self._inserted: set[str] = set()

    def visible(self) -> dict[str, T]:
        """What this transaction sees: the latest commits plus its own writes (not copies)."""
        return self._overlay(self.store.rows(self.table))

    def get(self, key: str) -> T | None:
        return deepcopy(self.visible().get(key))

    def insert(self, key: str, item: T) -> None:
        if key in self.visible():
            raise DuplicateError(f"{self.table} {key!r} already exists")
        self._write(key, item)
        if key not in self.store.rows(self.table):  # not a re-add of a row this transaction deleted
            self._inserted.add(key)

    def update(self, key: str, item: T) -> None:
        if key not in self.visible():
            raise NotFound(self.table, key)
        self._write(key, item)

    def delete(self, key: str) -> None:
        self._changes[key] = None
        self._inserted.discard(key)

    def merged(self, committed: dict[str, T]) -> dict[str, T]:
        """
        `committed` with these writes applied; DuplicateError if another transaction committed a
        clashing row since they were staged.
        """
        if self._inserted & committed.keys():
            raise DuplicateError(f"{self.table} {sorted(self._inserted & committed.keys())} already exist")
        self._check_versions(committed)
        rows = self._overlay(committed)
        for key, item in self._changes.items():
            if item is not None:
                self._check_unique(rows, key, item)
        return rows

    def _check_versions(self, committed: dict[str, T]) -> None:
        """An update staged from version v may only land on version v (another commit moved it on)."""
        if self._version is None:
            return
        for key, item in self._changes.items():
            if item is None or key in self._inserted or key not in committed:
                continue
            if self._version(committed[key]) != self._version(item) - 1:
                raise ConcurrentUpdate(f"{self.table} {key!r} changed since it was read")

    def clear(self) -> None:
        self._changes.clear()
        self._inserted.clear()

    def _overlay(self, committed: dict[str, T]) -> dict[str, T]:
        rows = dict(committed)
        for key, item in self._changes.items():
            if item is None:
                rows.pop(key, None)
            else:
                rows[key] = item
        return rows

    def _write(self, key: str, item: T) -> None:
        copy = deepcopy(item)
        self._check_unique(self.visible(), key, copy)
        self._changes[key] = copy

    def _check_unique(self, rows: dict[str, T], key: str, item: T) -> None:
        if self._unique is None:
            return
        value = self._unique(item)
        if any(k != key and self._unique(other) == value for k, other in rows.items()):
            raise DuplicateError(f"{self.table} {value!r} already exists")
