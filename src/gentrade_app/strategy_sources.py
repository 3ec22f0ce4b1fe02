"""
Read what a strategy import takes: a Freqtrade folder on disk (`gentrade import PATH`) or a zip
upload (`POST /api/v1/strategies/import`), as `SourceFile`s. Only `.py` and `.json` files are read.

A zip is read in memory, never extracted, within limits on entries and on the bytes its entries
declare, so an archive that inflates to gigabytes is refused before any of it is inflated.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from gentrade_core.errors import TooLarge, ValidationFailed
from gentrade_core.usecases.strategy_import import SourceFile

SUFFIXES = (".py", ".json")
MAX_ENTRIES = 2_000
MAX_BYTES = 50_000_000
SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", "__MACOSX"})
"""Caches, and the AppleDouble twins (`__MACOSX/.../._name.py`) macOS adds to the zips it makes."""


def _wanted(parts: tuple[str, ...]) -> bool:
    """Not hidden (`.git/`, `._name.py`), not in a cache folder; `()` is an entry named `..` or `.`."""
    hidden_or_cache = any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts)
    return bool(parts) and not hidden_or_cache and parts[-1].endswith(SUFFIXES)


def read_folder(root: Path) -> list[SourceFile]:
    """Every strategy and parameter file under `root`, by path relative to it."""
    if not root.is_dir():
        raise ValidationFailed.single("path", f"{root} is not a folder")
    found: list[SourceFile] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and _wanted(relative.parts):
            found.append(SourceFile(relative.as_posix(), path.read_bytes()))
    return found


def read_zip(data: bytes, field: str = "file") -> list[SourceFile]:
    """Every strategy and parameter file in a zip archive, by its path inside."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise ValidationFailed.single(field, "is not a zip archive") from None
    with archive:
        entries = [
            e
            for e in archive.infolist()
            if not e.is_dir() and _wanted(PurePosixPath(_clean(e.filename)).parts)
        ]
        if len(entries) > MAX_ENTRIES:
            raise TooLarge.single(field, f"holds {len(entries)} files; at most {MAX_ENTRIES} are imported")
        declared = sum(e.file_size for e in entries)
        if declared > MAX_BYTES:
            raise TooLarge.single(field, f"unpacks to {declared} bytes; the limit is {MAX_BYTES}")
        try:
            return [SourceFile(_clean(e.filename), archive.read(e)) for e in entries]
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as e:
            # corrupt data, encryption, an unknown compression method
            raise ValidationFailed.single(field, f"cannot be read: {e}") from None


def _clean(name: str) -> str:
    """The entry's name as a relative path: no leading `/`, `.` or `..` parts (names only label files)."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p.strip("/") not in ("", ".", "..")]
    return "/".join(parts)
