"""
Splitting a file with several strategy classes into one runnable file per strategy.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gentrade_core.errors import ValidationFailed
from gentrade_core.freqtrade.screen import screen_strategy
from gentrade_core.freqtrade.split import StrategyPiece, split_strategies

HEADER = """\
# Shared header: kept in every piece.
from freqtrade.strategy import IStrategy


def helper(x):
    return x
"""

TWO_AND_A_CHILD = (
    HEADER
    + """

class Settings:
    timeframe = "1h"


@decorate
class First(Settings, IStrategy):
    pass


# A comment between the classes stays.
class Second(IStrategy):
    can_short = True


class Child(First):
    startup_candle_count = 5
"""
)


def without(code: str, *blocks: str) -> str:
    for block in blocks:
        assert block in code
        code = code.replace(block, "")
    return code


FIRST = "@decorate\nclass First(Settings, IStrategy):\n    pass\n"
SECOND = "class Second(IStrategy):\n    can_short = True\n"
CHILD = "class Child(First):\n    startup_candle_count = 5\n"


def test_pieces_in_file_order_with_their_ancestors():
    """
    Each piece drops the other strategy classes (decorators included) but keeps its own in-file
    ancestors, the non-strategy classes, the helpers and the comments, verbatim.
    """
    assert [
        StrategyPiece("First", without(TWO_AND_A_CHILD, SECOND, CHILD)),
        StrategyPiece("Second", without(TWO_AND_A_CHILD, FIRST, CHILD)),
        StrategyPiece("Child", without(TWO_AND_A_CHILD, SECOND)),
    ] == split_strategies(TWO_AND_A_CHILD)


def test_pieces_pass_the_screen_alone():
    """
    Each piece is screened as the whole file is under the piece's name, and with no name at all.
    """
    for piece in split_strategies(TWO_AND_A_CHILD):
        expected = screen_strategy(TWO_AND_A_CHILD, piece.name)

        assert expected == screen_strategy(piece.code, piece.name)
        assert expected == screen_strategy(piece.code)


def test_one_strategy_is_its_own_piece():
    """
    A file with one strategy class, whatever else it holds, is returned unchanged.
    """
    code = HEADER + "\n\nclass Only(IStrategy):\n    pass\n\n\nclass Helper:\n    pass\n"

    assert [StrategyPiece("Only", code)] == split_strategies(code)


def test_line_breaks_are_kept():
    """
    Pieces keep the file's own line breaks, Windows ones included.
    """
    head = "from freqtrade.strategy import IStrategy\r\n\r\n"
    a, b = "class A(IStrategy):\r\n    pass\r\n", "class B(IStrategy):\r\n    pass\r\n"

    assert [StrategyPiece("A", head + a), StrategyPiece("B", head + b)] == split_strategies(head + a + b)


def test_no_strategy_no_pieces():
    """
    A file without strategy classes has nothing to split.
    """
    assert [] == split_strategies(HEADER)


def test_invalid_python_is_refused_as_the_screen_does():
    """
    Code that does not parse raises the screen's `ValidationFailed`, with the same findings.
    """
    code = "class A(IStrategy:\n    pass\n"

    with pytest.raises(ValidationFailed) as split:
        split_strategies(code)
    with pytest.raises(ValidationFailed) as screened:
        screen_strategy(code)

    assert screened.value.findings == split.value.findings
    assert [("code", 1)] == [(f.field, f.line) for f in split.value.findings]


@st.composite
def class_files(draw: st.DrawFn) -> str:
    """
    A file of a few classes: strategies, subclasses of earlier classes, helpers, some decorated, some
    assigning a class-level literal or something unreadable.
    """
    names = [f"C{i}" for i in range(draw(st.integers(1, 5)))]
    blocks = [HEADER, "\n\nclass Helper:\n    pass\n"]
    for i, name in enumerate(names):
        bases = draw(st.sampled_from(["IStrategy", "Helper", *names[:i]]))
        body = draw(
            st.sampled_from(["pass", "timeframe = '5m'", "startup_candle_count = 3", "timeframe = TF"])
        )
        decorator = draw(st.sampled_from(["", "@decorate\n"]))
        comment = draw(st.sampled_from(["", f"# about {name}\n"]))
        blocks.append(f"\n{comment}{decorator}class {name}({bases}):\n    {body}\n")
    return "".join(blocks)


@given(class_files())
def test_split_never_changes_what_the_screen_says(code: str):
    """
    For every piece, the screen says the same of it under its name as of the whole file under that
    name: the same result, or a refusal for the same reasons (on other lines).
    """
    for piece in split_strategies(code):
        try:
            expected = screen_strategy(code, piece.name)
        except ValidationFailed as e:
            with pytest.raises(ValidationFailed) as caught:
                screen_strategy(piece.code, piece.name)
            assert [f.message for f in e.findings] == [f.message for f in caught.value.findings]
        else:
            assert expected == screen_strategy(piece.code, piece.name)
