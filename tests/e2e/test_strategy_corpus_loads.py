"""
The corpus through the whole intake with real Freqtrade: imported (multi-class files split), then
each class's load check run by the embedded workers. Every outcome is the one `manifest.json`
documents, and none of the sample strategies shipped in Freqtrade's own package is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import freqtrade
import pytest

from gentrade_app.bootstrap import Services, build_services
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.strategy_check import LoadCheck, LoadStatus
from gentrade_core.usecases.strategy_import import ImportStatus, SourceFile
from tests.embedded import embedded_settings

pytestmark = pytest.mark.freqtrade

CORPUS = Path(__file__).parents[1] / "corpus"
TEMPLATES = Path(freqtrade.__file__).parent / "templates"
TEMPLATE_STRATEGIES = ("sample_strategy.py", "FreqaiExampleStrategy.py", "FreqaiExampleHybridStrategy.py")
SHIPPED = ("SampleStrategy", "FreqaiExampleStrategy", "FreqaiExampleHybridStrategy")
ME = Principal("corpus")


def _files() -> list[SourceFile]:
    """A user_data folder holding the corpus and Freqtrade's own sample strategies."""
    corpus = sorted((CORPUS / "strategies").glob("*.py"))
    return [SourceFile(f"user_data/strategies/{p.name}", p.read_bytes()) for p in corpus] + [
        SourceFile(f"user_data/strategies/{n}", (TEMPLATES / n).read_bytes()) for n in TEMPLATE_STRATEGIES
    ]


def _expected() -> dict[str, dict[str, Any]]:
    """Per class: the manifest's facts (a multi-class file's pieces carry their own)."""
    by_class: dict[str, dict[str, Any]] = {}
    for entry in json.loads((CORPUS / "manifest.json").read_text()):
        for piece in entry.get("pieces") or [entry]:
            name = piece.get("name", entry["classes"][-1])
            by_class[name] = {**entry, **piece}
    return by_class


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, dict[str, LoadCheck]]]:
    services = build_services(embedded_settings(tmp_path_factory.mktemp("gentrade"), heartbeat_seconds=0.5))
    try:
        outcomes = services.imports.run(ME, _files())
        loads: dict[str, LoadCheck] = {}
        for outcome in outcomes:
            if outcome.strategy_id is not None and outcome.strategy is not None:
                strategy = services.strategies.get(ME, outcome.strategy_id)
                loads[outcome.strategy] = services.strategies.wait_for_check(strategy, timeout=300)
        yield services, loads
    finally:
        services.close()


def test_every_class_the_screen_accepts_gets_the_documented_load_outcome(
    imported: tuple[Services, dict[str, LoadCheck]],
) -> None:
    """Passed with the facts the manifest lists, or failed with Freqtrade's documented reason."""
    _, loads = imported
    expected = {n: e for n, e in _expected().items() if n in loads}
    assert set(expected) == set(loads) - set(SHIPPED)
    for name, entry in expected.items():
        load = loads[name]
        assert entry["load"] == load.status.value, (name, load.reason)
        if load.status is LoadStatus.FAILED:
            assert entry["load_reason"] in (load.reason or ""), name
            continue
        assert load.facts is not None
        facts = (load.facts.timeframe, load.facts.can_short, load.facts.startup_candle_count)
        assert (entry["timeframe"], entry["can_short"], entry["startup_candle_count"]) == facts, name
        assert [tuple(p) for p in entry["informative"]] == load.facts.informative, name


def test_the_screens_refusals_are_the_documented_ones(
    imported: tuple[Services, dict[str, LoadCheck]],
) -> None:
    """Only the classes the manifest says the screen refuses are missing from the store."""
    services, loads = imported
    refused = {
        name
        for name, entry in _expected().items()
        if entry["screen"] == "refused" and len(entry["classes"]) == 1
    }
    assert refused and not refused & set(loads)
    stored = {s.name for s in services.strategies.list(ME, limit=100).items}
    assert stored == set(loads)


def test_freqtrades_own_sample_strategies_pass_the_screen_and_load_where_spot_can_run_them(
    imported: tuple[Services, dict[str, LoadCheck]],
) -> None:
    """
    All three are stored. The FreqAI examples are short-capable, which Freqtrade refuses in the spot
    markets GenTrade runs, so their checks fail with Freqtrade's own explanation.
    """
    _, loads = imported
    assert {"SampleStrategy": (LoadStatus.PASSED, None)} == {
        "SampleStrategy": (loads["SampleStrategy"].status, loads["SampleStrategy"].reason)
    }
    for name in ("FreqaiExampleStrategy", "FreqaiExampleHybridStrategy"):
        assert LoadStatus.FAILED == loads[name].status
        assert "Short strategies cannot run in spot markets" in (loads[name].reason or "")


def test_importing_the_corpus_again_stores_nothing(imported: tuple[Services, dict[str, LoadCheck]]) -> None:
    """The same files a second time: every class unchanged."""
    services, loads = imported
    again = services.imports.run(ME, _files())
    assert {ImportStatus.UNCHANGED} == {o.status for o in again if o.strategy in loads}
