"""
Bring your own Freqtrade folder: every strategy class in a `user_data` directory (or a folder of
strategies) stored as a strategy, with the parameter file Freqtrade keeps beside it.

The caller reads the files (a directory, a zip) into `SourceFile`s; this decides. Where the files
hold a `strategies/` folder only what is under it counts (a `user_data` directory also holds
hyperopt losses, notebooks, FreqAI models). Each class becomes one strategy named as the class: a
file holding several is split (`split_strategies`), each piece keeping the classes it derives from.
`X.json` beside `X.py` is Freqtrade's parameter file; it goes with the class it names.

Importing is idempotent: a class whose code and parameters equal its strategy's newest version is
reported unchanged, and nothing is stored for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any, cast

import attrs

from gentrade_core.domain.principal import Principal
from gentrade_core.errors import ValidationFailed
from gentrade_core.freqtrade.screen import check_size
from gentrade_core.freqtrade.split import StrategyPiece, split_strategies
from gentrade_core.usecases.strategies import Strategies

STRATEGY_FOLDER = "strategies"
PARAMETER_SCHEMA_KEYS = ("strategy_name", "params")


@attrs.frozen
class SourceFile:
    path: str
    """Relative, with `/` separators (`user_data/strategies/MyStrategy.py`)."""
    content: bytes


class ImportStatus(StrEnum):
    STORED = "stored"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@attrs.frozen
class ImportOutcome:
    """What became of one strategy class (or of a file, when no class could be read from it)."""

    file: str
    status: ImportStatus
    strategy: str | None = None
    strategy_id: str | None = None
    version: int | None = None
    parameters: bool = False
    reasons: tuple[str, ...] = ()


def strategy_files(paths: Iterable[str]) -> list[str]:
    """
    The Python files that hold strategies: those under a `strategies/` folder if there is one (even
    one holding only `__init__.py` or parameter files), else all of them.
    """
    paths = list(paths)
    python = sorted(p for p in paths if p.endswith(".py") and PurePosixPath(p).name != "__init__.py")
    if any(_under_strategies(p) for p in paths):
        return [p for p in python if _under_strategies(p)]
    return python


def _under_strategies(path: str) -> bool:
    return STRATEGY_FOLDER in PurePosixPath(path).parts[:-1]


@attrs.define
class StrategyImport:
    strategies: Strategies

    def run(self, principal: Principal, files: Sequence[SourceFile]) -> list[ImportOutcome]:
        """Store every class found; one outcome per class, or per file that could not be read."""
        by_path = {f.path: f.content for f in files}
        outcomes: list[ImportOutcome] = []
        seen: dict[str, str] = {}  # class name -> the file it came from
        for path in strategy_files(by_path):
            outcomes.extend(self._file(principal, path, by_path, seen))
        if not outcomes:
            raise ValidationFailed.single("files", "hold no Python files: nothing to import")
        return outcomes

    def _file(
        self, principal: Principal, path: str, by_path: Mapping[str, bytes], seen: dict[str, str]
    ) -> Iterable[ImportOutcome]:
        try:
            code = by_path[path].decode("utf-8")
            check_size(code, self.strategies.policy)  # the whole file is parsed to split it
            pieces = split_strategies(code)
        except UnicodeDecodeError:
            return [_refused(path, "is not UTF-8 text")]
        except ValidationFailed as e:
            return [_refused(path, *map(str, e.findings))]
        if not pieces:
            return [_refused(path, "has no class deriving from IStrategy")]
        parameters, problem = _parameter_file(path, by_path, {p.name for p in pieces})
        outcomes = [_refused(path, problem)] if problem else []
        for piece in pieces:
            if piece.name in seen:
                reason = f"class {piece.name} is also defined in {seen[piece.name]}, imported first"
                outcomes.append(ImportOutcome(path, ImportStatus.REFUSED, piece.name, reasons=(reason,)))
                continue
            seen[piece.name] = path
            outcomes.append(self._piece(principal, path, piece, parameters.get(piece.name)))
        return outcomes

    def _piece(
        self, principal: Principal, path: str, piece: StrategyPiece, parameters: dict[str, Any] | None
    ) -> ImportOutcome:
        """Stored as a new strategy or version (`Strategies` screens it), or unchanged."""
        existing = self.strategies.find(principal, piece.name)
        status, strategies = ImportStatus.STORED, self.strategies
        try:
            if existing is None:
                stored = strategies.create(principal, piece.name, piece.code, parameters=parameters)
            elif (existing.current.code, existing.current.parameters) == (piece.code, parameters):
                stored, status = existing, ImportStatus.UNCHANGED
            else:
                stored = self.strategies.update(
                    principal, existing.id, code=piece.code, parameters=parameters
                )
        except ValidationFailed as e:
            return ImportOutcome(path, ImportStatus.REFUSED, piece.name, reasons=tuple(map(str, e.findings)))
        return ImportOutcome(
            path, status, piece.name, stored.id, stored.current_version, parameters is not None
        )


def _refused(path: str, *reasons: str) -> ImportOutcome:
    """A file no class could be stored from, or what of it was not kept."""
    return ImportOutcome(path, ImportStatus.REFUSED, reasons=reasons)


def _parameter_file(
    path: str, by_path: Mapping[str, bytes], classes: set[str]
) -> tuple[dict[str, dict[str, Any]], str | None]:
    """
    The parameter file beside `path` (`X.json` for `X.py`) by the class it names, or why it is not kept.
    Freqtrade refuses to load a class whose file's parameter file names another class.
    """
    json_path = str(PurePosixPath(path).with_suffix(".json"))
    if json_path not in by_path:
        return {}, None
    try:
        parameters: object = json.loads(by_path[json_path])
    except (UnicodeDecodeError, ValueError) as e:
        return {}, f"{json_path} is not valid JSON ({e}); not kept"
    if not isinstance(parameters, dict) or not all(k in parameters for k in PARAMETER_SCHEMA_KEYS):
        return {}, f"{json_path} is not a Freqtrade parameter file (no strategy_name and params); not kept"
    found = cast(dict[str, Any], parameters)
    name = str(found["strategy_name"])
    if name not in classes:
        return {}, f"{json_path} holds parameters of {name!r}, which {path} does not define; not kept"
    return {name: found}, None
