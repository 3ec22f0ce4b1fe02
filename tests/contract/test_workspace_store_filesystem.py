from __future__ import annotations

from pathlib import Path

from gentrade_adapters.files.workspaces import FilesystemWorkspaceStore
from gentrade_core.ports.storage import WorkspaceStore
from tests.contract.workspace_store_contract import WorkspaceStoreContract


class TestFilesystemWorkspaceStore(WorkspaceStoreContract):
    def make_store(self, tmp_path: Path) -> WorkspaceStore:
        return FilesystemWorkspaceStore(tmp_path / "workspaces")
