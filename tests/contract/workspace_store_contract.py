"""The workspace-store contract every `WorkspaceStore` adapter must pass."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from gentrade_core.domain.workspace import USER_DATA_FOLDERS
from gentrade_core.ports.storage import WorkspaceStore


class WorkspaceStoreContract(ABC):
    @abstractmethod
    def make_store(self, tmp_path: Path) -> WorkspaceStore: ...

    def test_ensure_creates_a_freqtrade_user_data_tree(self, tmp_path: Path) -> None:
        """The tree Freqtrade expects exists, with a config.json, and ensure is idempotent."""
        sut = self.make_store(tmp_path)
        first = Path(sut.ensure("alice"))
        assert first == Path(sut.ensure("alice"))
        assert all((first / folder).is_dir() for folder in USER_DATA_FOLDERS)
        assert (first / "config.json").is_file()

    def test_strategies_are_written_and_removed(self, tmp_path: Path) -> None:
        """A stored strategy appears as `strategies/<Name>.py` in its owner's workspace only."""
        sut = self.make_store(tmp_path)
        sut.write_strategy("alice", "MyStrat", "code = 1\n")
        alice, bob = Path(sut.ensure("alice")), Path(sut.ensure("bob"))
        assert "code = 1\n" == (alice / "strategies" / "MyStrat.py").read_text()
        assert not (bob / "strategies" / "MyStrat.py").exists()
        sut.remove_strategy("alice", "MyStrat")
        assert not (alice / "strategies" / "MyStrat.py").exists()

    def test_remove_deletes_the_users_workspace(self, tmp_path: Path) -> None:
        """Removing a user removes their workspace and leaves others alone."""
        sut = self.make_store(tmp_path)
        alice, bob = Path(sut.ensure("alice")), Path(sut.ensure("bob"))
        sut.remove("alice")
        assert (False, True) == (alice.exists(), bob.exists())

    def test_owner_ids_cannot_escape_the_root(self, tmp_path: Path) -> None:
        """Odd owner ids (from identity providers) stay inside the store's root."""
        sut = self.make_store(tmp_path)
        path = Path(sut.ensure("../../etc"))
        assert tmp_path in path.resolve().parents
