"""The workspace repository over a SQLAlchemy session."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from gentrade_adapters.sql.errors import translated
from gentrade_adapters.sql.mapping import to_workspace
from gentrade_adapters.sql.rows import WorkspaceRow
from gentrade_core.domain.workspace import UserWorkspace
from gentrade_core.ports.repositories import WorkspaceRepository


class SqlWorkspaceRepository(WorkspaceRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    @translated
    def add(self, workspace: UserWorkspace) -> None:
        self._session.add(WorkspaceRow(owner_id=workspace.owner_id, created_at=workspace.created_at))
        self._session.flush()

    @translated
    def get(self, owner_id: str) -> UserWorkspace | None:
        row = self._session.get(WorkspaceRow, owner_id)
        return None if row is None else to_workspace(row)

    @translated
    def delete(self, owner_id: str) -> None:
        self._session.execute(delete(WorkspaceRow).where(WorkspaceRow.owner_id == owner_id))
