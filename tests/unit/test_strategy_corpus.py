"""
The screen and the splitter over real-looking strategies: the corpus in `tests/corpus` (its manifest
says what each file should give) and the sample strategies shipped in Freqtrade's own package.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from gentrade_core.errors import ValidationFailed
from gentrade_core.freqtrade.screen import ScreenResult, screen_strategy
from gentrade_core.freqtrade.split import split_strategies

CORPUS = Path(__file__).parents[1] / "corpus"
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
BY_FILE = {entry["file"]: entry for entry in MANIFEST}


def corpus_code(entry: dict[str, Any]) -> str:
    return (CORPUS / "strategies" / entry["file"]).read_text(encoding="utf-8")


def expected_result(name: str, facts: dict[str, Any]) -> ScreenResult:
    return ScreenResult(name, facts["startup_candle_count"], facts["timeframe"], facts["can_short"])


def freqtrade_templates() -> list[Path]:
    """Freqtrade's sample strategies: the templates that define an `IStrategy` subclass."""
    spec = importlib.util.find_spec("freqtrade")
    if spec is None or spec.origin is None:
        return []
    templates = sorted((Path(spec.origin).parent / "templates").glob("*.py"))
    return [t for t in templates if "(IStrategy)" in t.read_text(encoding="utf-8")]


def test_manifest_covers_the_corpus():
    """
    Every corpus file has exactly one manifest entry, so no file goes unchecked.
    """
    files = sorted(p.name for p in (CORPUS / "strategies").glob("*.py"))

    assert files == sorted(BY_FILE)
    assert len(MANIFEST) == len(BY_FILE)


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"])
def test_screen_outcome(entry: dict[str, Any]):
    """
    The screen accepts a file with the class and literals the manifest names, or refuses it with the
    manifest's reason; a refusal is for what the screen can see, never for what only loading finds.
    """
    code = corpus_code(entry)

    if entry["screen"] == "passed":
        assert expected_result(entry["classes"][-1], entry) == screen_strategy(code)
    else:
        with pytest.raises(ValidationFailed) as caught:
            screen_strategy(code)
        assert [f for f in caught.value.findings if entry["screen_reason"] in f.message], caught.value


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"])
def test_split_names_every_strategy_class(entry: dict[str, Any]):
    """
    `split_strategies` gives one piece per strategy class, in file order; a file with one strategy
    class is its own single piece.
    """
    code = corpus_code(entry)

    pieces = split_strategies(code)

    assert entry["classes"] == [p.name for p in pieces]
    if len(pieces) == 1:
        assert code == pieces[0].code


@pytest.mark.parametrize(
    ("entry", "piece_facts"),
    [
        pytest.param(entry, piece, id=f"{entry['file']}:{piece['name']}")
        for entry in MANIFEST
        for piece in entry.get("pieces", [])
    ],
)
def test_each_piece_passes_on_its_own(entry: dict[str, Any], piece_facts: dict[str, Any]):
    """
    Each piece of a file with several strategies passes the screen under its own name, reading the
    same literals as the whole file screened under that name.
    """
    code = corpus_code(entry)
    [piece] = [p for p in split_strategies(code) if p.name == piece_facts["name"]]

    expected = expected_result(piece.name, piece_facts)
    assert expected == screen_strategy(code, expected_name=piece.name)
    assert expected == screen_strategy(piece.code, expected_name=piece.name)


def test_pieces_keep_shared_code_and_drop_the_other_strategies():
    """
    Unrelated strategies are cut apart, keeping helpers and comments; a subclass keeps its base, and
    the base piece loses the subclass.
    """
    rsi, macd = split_strategies(corpus_code(BY_FILE["two_strategies.py"]))
    base, fast = split_strategies(corpus_code(BY_FILE["base_and_variant.py"]))

    assert "def volume_ok(" in rsi.code and "class MacdCross(" not in rsi.code
    assert "# MACD crossing its signal line" in macd.code and "class RsiDip(" not in macd.code
    assert "class EmaCross(" in fast.code and "class EmaCrossFast(" in fast.code
    assert "class EmaCrossFast(" not in base.code


def test_freqtrade_templates_are_found():
    """
    The template check below is not vacuous: Freqtrade ships several sample strategies.
    """
    pytest.importorskip("freqtrade")

    assert len(freqtrade_templates()) >= 3


@pytest.mark.parametrize("template", freqtrade_templates(), ids=lambda p: p.name)
def test_freqtrade_templates_pass(template: Path):
    """
    No sample strategy that Freqtrade itself ships is refused.
    """
    code = template.read_text(encoding="utf-8")

    assert screen_strategy(code).class_name in code
