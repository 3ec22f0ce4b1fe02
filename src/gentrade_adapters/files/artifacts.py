"""Job artifacts as plain directories: `<root>/<job id>/...`."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from gentrade_adapters.files.atomic import write_atomically
from gentrade_core.ports.storage import ArtifactInfo, ArtifactNotFound, ArtifactStore

_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class FilesystemArtifactStore(ArtifactStore):
    def __init__(self, root: Path) -> None:
        self._root = root

    def _dir(self, job_id: str) -> Path:
        if not _JOB_ID.match(job_id):
            raise ArtifactNotFound(f"no job {job_id!r}")
        return self._root / job_id

    def _path(self, job_id: str, name: str) -> Path:
        base = self._dir(job_id).resolve()
        path = (base / name).resolve()
        if base not in path.parents:
            raise ArtifactNotFound(f"{name!r} is not inside job {job_id}")
        return path

    def job_dir(self, job_id: str) -> str:
        path = self._dir(job_id)
        path.mkdir(parents=True, exist_ok=True)
        return str(path.resolve())

    def write(self, job_id: str, name: str, data: bytes) -> None:
        write_atomically(self._path(job_id, name), data)

    def append(self, job_id: str, name: str, data: bytes) -> None:
        path = self._path(job_id, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as f:
            f.write(data)

    def read(self, job_id: str, name: str, offset: int = 0) -> bytes:
        path = self._path(job_id, name)
        try:
            with path.open("rb") as f:
                f.seek(offset)
                return f.read()
        except (FileNotFoundError, IsADirectoryError) as e:
            raise ArtifactNotFound(f"job {job_id} has no file {name!r}") from e

    def list(self, job_id: str) -> Sequence[ArtifactInfo]:
        base = self._dir(job_id)
        if not base.is_dir():
            return []
        return sorted(
            (
                ArtifactInfo(str(p.relative_to(base)), p.stat().st_size)
                for p in base.rglob("*")
                if p.is_file() and not p.name.endswith(".tmp")
            ),
            key=lambda a: a.name,
        )

    def delete(self, job_id: str) -> None:
        shutil.rmtree(self._dir(job_id), ignore_errors=True)
