"""
Server paths in job errors and logs, replaced by names the user knows.

Freqtrade's output, its tracebacks and our own error messages name absolute paths on the worker:
the job's directory, the candle folder, the virtualenv, the Python installation. They mean nothing
to the user and tell strangers how the server is laid out, so every text a job shows goes through
a `PathMask`: known folders become labels (`./strategies/Foo.py`, `<market data>/ETH_BTC-5m.feather`),
installed packages become module paths (`freqtrade/main.py`) and the standard library `<python>/...`.

Only absolute paths are looked at, and only whole path components match, so `/data/jobs` masks
`/data/jobs/1` but neither `/data/jobsX` nor `/srv/data/jobs`. Of the rules that fit a path, the
one that explains more of it wins.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

import attrs

JOB_DIR = "."
"""The job's own directory: Freqtrade's cwd, where the user's strategy, config and results are."""
MARKET_DATA = "<market data>"
"""The candle folder a job read, and the configured local market folder."""
DATA = "<data>"
"""GenTrade's data directory (database, job directories, candle cache)."""
PYTHON = "<python>"
"""The Python standard library."""
IMPORT_ROOT = ""
"""A folder Python imports packages from: paths under it are shown as module paths (`pkg/mod.py`)."""

_PATH = re.compile(r"(?<![\w.+@~%/-])/[\w.+@~%/-]*")
"""An absolute path: a run of path characters starting with `/` that is not the tail of a longer one."""
_PACKAGES = re.compile(r"/(?:site|dist)-packages/")
_STDLIB = re.compile(r"(?:/[^/]+)*/lib(?:64)?/python\d(?:\.\d+)?t?(?=/|$)")
"""`/usr/lib/python3.11`, `/root/.pyenv/versions/3.11.7/lib/python3.11`, `/usr/local/lib64/python3.12t`."""


def _ordered(paths: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Normalised absolute prefixes, later labels winning for one prefix, longest first; `/` is refused."""
    labels: dict[str, str] = {}
    for path, label in paths:
        prefix = posixpath.normpath(path)
        if prefix.startswith("/") and prefix.strip("/"):
            labels[prefix] = label
    return tuple(sorted(labels.items(), key=lambda item: len(item[0]), reverse=True))


def _relabel(label: str, rest: str) -> str:
    """`rest` (empty or starting with `/`) under `label`; an import root leaves the relative path."""
    if label == IMPORT_ROOT:
        return rest.lstrip("/") or "."
    return label + rest


@attrs.frozen
class PathMask:
    """
    Replaces absolute path prefixes in text with labels. Build it with `PathMask.of({prefix: label})`;
    the empty mask still hides installed packages and the standard library.
    """

    prefixes: tuple[tuple[str, str], ...] = ()
    """(prefix, label), normalised and longest first, as `of` and `with_paths` make them."""

    @classmethod
    def of(cls, paths: Mapping[str, str]) -> PathMask:
        return cls(_ordered(paths.items()))

    def with_paths(self, paths: Mapping[str, str]) -> PathMask:
        """This mask plus `paths`; for a prefix it already has, the new label wins."""
        return PathMask(_ordered([*self.prefixes, *paths.items()]))

    def mask(self, text: str) -> str:
        """`text` with every absolute path the mask knows replaced; other text is left as it is."""
        if "/" not in text:
            return text
        return _PATH.sub(lambda match: self._path(match.group()), text)

    def _path(self, token: str) -> str:
        path = token.rstrip(".")  # a path that ends a sentence keeps its full stop
        stop = token[len(path) :]
        best: tuple[int, str] | None = None
        for prefix, label in self.prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                best = (len(prefix), _relabel(label, path[len(prefix) :]))
                break
        packages = [m.end() for m in _PACKAGES.finditer(path)]
        if packages and (best is None or packages[-1] > best[0]):
            best = (packages[-1], path[packages[-1] :])
        stdlib = _STDLIB.match(path)
        if stdlib and (best is None or stdlib.end() > best[0]):
            best = (stdlib.end(), PYTHON + path[stdlib.end() :])
        return token if best is None else best[1] + stop
