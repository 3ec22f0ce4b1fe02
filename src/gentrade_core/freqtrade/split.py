"""
Split a file holding several Freqtrade strategies into one runnable file per strategy.

Freqtrade loads one strategy class by name, and the platform stores one strategy per file; community
files often hold several (a base and its variants, or unrelated strategies side by side). Each piece is
the original text with the other strategy classes' lines removed — except the piece's own in-file
ancestors — so comments, imports, helper functions and other classes stay verbatim.

When `screen_strategy(code, expected_name=piece.name)` accepts the whole file, it accepts the piece with
the same result: removing classes the strategy does not derive from removes findings, never adds them.
"""

from __future__ import annotations

import ast

import attrs

from gentrade_core.freqtrade.screen import StrategyClasses, parse_code, source_lines


@attrs.frozen
class StrategyPiece:
    """One strategy class of a file, and the code that runs it on its own."""

    name: str
    code: str


def split_strategies(code: str) -> list[StrategyPiece]:
    """
    One piece per strategy class in `code`, in file order; a file with one gives the input unchanged.

    Raises `ValidationFailed` when `code` is not valid Python, as the screen does.
    """
    classes = StrategyClasses.of(parse_code(code))
    lines = source_lines(code)
    pieces: list[StrategyPiece] = []
    for strategy in classes.strategies:
        kept = {strategy, *classes.ancestors(strategy)}
        dropped = {n for other in classes.strategies if other not in kept for n in _line_numbers(other)}
        text = "".join(line for number, line in enumerate(lines, 1) if number not in dropped)
        pieces.append(StrategyPiece(strategy.name, text))
    return pieces


def _line_numbers(cls: ast.ClassDef) -> range:
    """The lines of a class statement, its decorators included."""
    first = min([cls.lineno, *(d.lineno for d in cls.decorator_list)])
    return range(first, (cls.end_lineno or cls.lineno) + 1)
