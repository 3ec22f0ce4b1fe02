"""Each user's Freqtrade `user_data/` under `<root>/<owner id>/user_data`."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from gentrade_adapters.files.atomic import write_atomically
from gentrade_core.domain.workspace import USER_DATA_FOLDERS
from gentrade_core.ports.storage import WorkspaceStore


def _folder(owner_id: str) -> str:
    # Owner ids come from identity providers and may hold any character; hash them into a safe name.
    return hashlib.sha256(owner_id.encode()).hexdigest()[:32]


class FilesystemWorkspaceStore(WorkspaceStore):
    def __init__(self, root: Path) -> None:
        self._root = root

    def _user_data(self, owner_id: str) -> Path:
        return self._root / _folder(owner_id) / "user_data"

    def ensure(self, owner_id: str) -> str:
        user_data = self._user_data(owner_id)
        for folder in USER_DATA_FOLDERS:
            (user_data / folder).mkdir(parents=True, exist_ok=True)
        config = user_data / "config.json"
        if not config.exists():
            write_atomically(config, json.dumps({"dry_run": True, "trading_mode": "spot"}, indent=2).encode())
        return str(user_data)

    def write_strategy(self, owner_id: str, name: str, code: str) -> None:
        self.ensure(owner_id)
        write_atomically(self._user_data(owner_id) / "strategies" / f"{name}.py", code.encode())

    def remove_strategy(self, owner_id: str, name: str) -> None:
        (self._user_data(owner_id) / "strategies" / f"{name}.py").unlink(missing_ok=True)

    def remove(self, owner_id: str) -> None:
        shutil.rmtree(self._root / _folder(owner_id), ignore_errors=True)
