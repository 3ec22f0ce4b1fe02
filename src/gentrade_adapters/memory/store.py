"""The committed state that in-memory units of work share."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gentrade_adapters.memory.staged import Staged


class InMemoryStore:
    """
    The committed rows of every table. Units of work over one store see each other's commits, as
    connections to one database do; a lock makes reads and commits safe across threads.
    """

    def __init__(self) -> None:
        self._tables: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def rows(self, table: str) -> dict[str, Any]:
        """A snapshot; stored objects are replaced on commit, never mutated, so sharing them is safe."""
        with self._lock:
            return dict(self._tables.get(table, {}))

    def apply(self, staged: Iterable[Staged[Any]]) -> None:
        """Check every table's writes, then apply them all, so a commit is all or nothing."""
        with self._lock:
            merged = [(s.table, s.merged(self._tables.get(s.table, {}))) for s in staged]
            self._tables.update(merged)
