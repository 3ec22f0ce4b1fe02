"""
Schemathesis over the whole OpenAPI document, every check, stateful links included: no 5xx, and no
answer the document does not describe. Bounded examples keep it inside CI's time budget.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar import Litestar

from gentrade_app.bootstrap import Services

# Rules a JSON schema cannot say (the code must define an IStrategy class that passes the screen;
# pairs quoted in the stake currency; a real calendar date; a version the strategy has; an upload is a
# zip holding Python files) make some schema-valid bodies 422. Everywhere else a schema-valid request
# must be accepted.
CONFIG = """
[auth.openapi.bearer]
bearer = "{token}"

[generation]
max-examples = 20

[[operations]]
include-path-regex = "^/api/v1/(strategies|backtests|hyperopts)/?(\\\\{strategy_id\\\\}|import)?$"
include-method-regex = "^(POST|PUT)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "413", "422"]
"""


@pytest.fixture(scope="module")
def api(app: Litestar, services: Services) -> schemathesis.schemas.BaseSchema:
    """The document with the caller's token as its `bearer` scheme, so auth checks know about it."""
    token = services.tokens.issue("fuzzer")
    config = schemathesis.config.SchemathesisConfig.from_str(CONFIG.replace("{token}", token))
    return schemathesis.openapi.from_asgi("/schema/openapi.json", app, config=config)


schema = schemathesis.pytest.from_fixture("api")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case: Any) -> None:
    """Generated requests, valid and invalid, each get an answer the document describes."""
    case.call_and_validate()


def test_stateful_workflows_conform(api: schemathesis.schemas.BaseSchema) -> None:
    """Create, read, update, cancel and delete in sequences linked by the ids the API hands out."""
    api.as_state_machine().run(
        settings=settings(
            max_examples=40,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
