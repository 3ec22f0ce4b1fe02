"""The in-memory workspace repository."""

from __future__ import annotations

from gentrade_adapters.memory.staged import Staged
from gentrade_core.domain.workspace import UserWorkspace
from gentrade_core.ports.repositories import WorkspaceRepository


class InMemoryWorkspaceRepository(WorkspaceRepository):
    def __init__(self, table: Staged[UserWorkspace]) -> None:
        self._table = table

    def add(self, workspace: UserWorkspace) -> None:
        self._table.insert(workspace.owner_id, workspace)

    def get(self, owner_id: str) -> UserWorkspace | None:
        return self._table.get(owner_id)

    def delete(self, owner_id: str) -> None:
        self._table.delete(owner_id)
