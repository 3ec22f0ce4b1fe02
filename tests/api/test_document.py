"""The OpenAPI document states the rules the request models check, as JSON Schema tools read them."""

from __future__ import annotations

import json
from typing import Any

from gentrade_core.domain.requests import ID_PATTERN, MAX_INT
from gentrade_core.domain.values import MAX_AMOUNT

BODIES = ("BacktestRequest", "HyperoptRequest", "RunOverrides", "StrategyIn", "StrategyUpdate")


def test_request_bodies_carry_their_patterns_bounds_and_closed_shapes(document: dict[str, Any]) -> None:
    """Patterns, bounds inside optional fields, and `additionalProperties: false` survive publishing."""
    schemas = document["components"]["schemas"]
    job = schemas["BacktestRequest"]["properties"]
    assert ID_PATTERN == job["strategy_id"]["pattern"]
    assert {"type": "integer", "minimum": 1, "maximum": MAX_INT} == job["strategy_version"]["anyOf"][0]
    assert MAX_AMOUNT == job["stake_amount"]["anyOf"][0]["maximum"]
    assert "#/components/schemas/RunOverrides" == job["overrides"]["$ref"]
    assert {"type": "number", "minimum": 0, "maximum": 0.1} == schemas["RunOverrides"]["properties"]["fee"][
        "anyOf"
    ][0]
    assert {name: False for name in BODIES} == {
        name: schemas[name]["additionalProperties"] for name in BODIES
    }


def test_bounds_use_json_schemas_names(document: dict[str, Any]) -> None:
    """Pydantic's `ge`/`le`/`gt`/`lt` mean nothing to a JSON Schema tool; none is left in any schema."""
    text = json.dumps(document["components"])
    assert [] == [key for key in ('"ge":', '"le":', '"gt":', '"lt":') if key in text]
