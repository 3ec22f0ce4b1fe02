"""
The host side of `pod_entry.py`'s result stream: writes the files a pod sends through its log into
the job directory. The pod runs untrusted code that can print anything, so only paths inside the
result folders are accepted, symlinks are never followed, and the total size is capped.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from gentrade_adapters.runtime.kubernetes.pod_entry import END_MARKER, FILE_MARKER, RESULT_DIRS


def _safe_path(name: str) -> str | None:
    path = PurePosixPath(name)
    parts = path.parts
    if path.is_absolute() or len(parts) < 2 or parts[0] not in RESULT_DIRS:
        return None
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return None
    return path.as_posix()


class ResultFiles:
    def __init__(self, workdir: Path, max_bytes: int) -> None:
        self._workdir = workdir
        self._max_bytes = max_bytes
        self._written = 0
        self._started: set[str] = set()
        self.end_code: int | None = None
        """The exit code the pod announced after its last file; None until the stream is complete."""
        self.problem: str | None = None

    def take(self, line: str) -> bool:
        """Handle `line` if it belongs to the result stream; False means it is ordinary output."""
        marker, _, rest = line.partition(" ")
        if marker == END_MARKER and rest.lstrip("-").isdigit():
            self.end_code = int(rest)
            return True
        if marker != FILE_MARKER:
            return False
        name, _, payload = rest.partition(" ")
        relative = _safe_path(unquote(name))
        try:
            data = base64.b64decode(payload, validate=True)
        except binascii.Error:
            return False
        if relative is None:
            return False
        if self._written + len(data) > self._max_bytes:
            self.problem = f"the run's result files exceed {self._max_bytes} bytes; the rest was dropped"
            return True
        self._write(relative, data)
        return True

    def _write(self, relative: str, data: bytes) -> None:
        """The first chunk of a file in this run replaces what an earlier attempt left; later ones append."""
        target = self._workdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW
        flags |= os.O_APPEND if relative in self._started else os.O_TRUNC
        self._started.add(relative)
        descriptor = os.open(target, flags, 0o644)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        self._written += len(data)
