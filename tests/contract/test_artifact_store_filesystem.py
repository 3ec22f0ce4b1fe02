from __future__ import annotations

from pathlib import Path

from gentrade_adapters.files.artifacts import FilesystemArtifactStore
from gentrade_core.ports.storage import ArtifactStore
from tests.contract.artifact_store_contract import ArtifactStoreContract


class TestFilesystemArtifactStore(ArtifactStoreContract):
    def make_store(self, tmp_path: Path) -> ArtifactStore:
        return FilesystemArtifactStore(tmp_path / "jobs")
