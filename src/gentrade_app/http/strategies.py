from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from gentrade_app.bootstrap import Services
from gentrade_app.http.openapi import AUTHENTICATED, BEARER, BODY, ID_IN_PATH, errors
from gentrade_app.http.paging import LIMIT, OFFSET
from gentrade_app.http.strategy_views import (
    ImportReportOut,
    StrategyIn,
    StrategyOut,
    StrategyUpdate,
    VersionOut,
)
from gentrade_app.http.views import PageOut
from gentrade_app.strategy_sources import read_zip
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import ID_PATTERN
from gentrade_core.domain.strategy import Strategy


@dataclass
class ImportForm:
    """A form, not a bare file: Litestar answers 500 to a multipart body with no file in it."""

    file: UploadFile


STRATEGY_ID = Parameter(pattern=ID_PATTERN, description="The strategy's id")
WAIT_FOR_CHECKS = Parameter(
    default=False,
    description="Answer once the new version's load check has passed or failed "
    "(at most GENTRADE_CHECK_WAIT_SECONDS; still `pending` after that)",
)


def _out(services: Services, strategy: Strategy, wait_for_checks: bool = False) -> StrategyOut:
    if wait_for_checks:
        services.strategies.wait_for_check(strategy, services.settings.check_wait_seconds)
    return StrategyOut.of(strategy, services.strategies.checks([strategy]))


class StrategyController(Controller):
    path = "/api/v1/strategies"
    tags = ["strategies"]
    security = BEARER

    @post("/", sync_to_thread=True, responses=errors(AUTHENTICATED, BODY, 409, 413))
    def create(
        self,
        data: StrategyIn,
        services: Services,
        principal: Principal,
        wait_for_checks: bool = WAIT_FOR_CHECKS,
    ) -> StrategyOut:
        strategy = services.strategies.create(principal, data.name, data.code, data.description)
        return _out(services, strategy, wait_for_checks)

    @post("/import", sync_to_thread=True, status_code=200, responses=errors(AUTHENTICATED, BODY, 413))
    def import_zip(
        self,
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        services: Services,
        principal: Principal,
    ) -> ImportReportOut:
        """
        A zip of a Freqtrade `user_data` folder or of strategy files, as the form field `file`: every
        strategy class stored (files with several are split), `<Name>.json` parameter files kept, and
        per class: stored (with its version), unchanged (same code already stored) or refused (why).
        """
        outcomes = services.imports.run(principal, read_zip(data.file.file.read()))
        return ImportReportOut.of(outcomes)

    @get("/", sync_to_thread=True, responses=errors(AUTHENTICATED, 422))
    def list_strategies(
        self, services: Services, principal: Principal, offset: int = OFFSET, limit: int = LIMIT
    ) -> PageOut[StrategyOut]:
        page = services.strategies.list(principal, offset, limit)
        checks = services.strategies.checks(page.items)
        return PageOut.of(page, lambda s: StrategyOut.of(s, checks))

    @get("/{strategy_id:str}", sync_to_thread=True, responses=errors(AUTHENTICATED, ID_IN_PATH))
    def get_strategy(
        self, services: Services, principal: Principal, strategy_id: str = STRATEGY_ID
    ) -> StrategyOut:
        return _out(services, services.strategies.get(principal, strategy_id))

    @put("/{strategy_id:str}", sync_to_thread=True, responses=errors(AUTHENTICATED, BODY, ID_IN_PATH, 413))
    def update(
        self,
        data: StrategyUpdate,
        services: Services,
        principal: Principal,
        strategy_id: str = STRATEGY_ID,
        wait_for_checks: bool = WAIT_FOR_CHECKS,
    ) -> StrategyOut:
        strategy = services.strategies.update(
            principal, strategy_id, code=data.code, description=data.description, name=data.name
        )
        return _out(services, strategy, wait_for_checks)

    @delete("/{strategy_id:str}", sync_to_thread=True, responses=errors(AUTHENTICATED, ID_IN_PATH, 409))
    def remove(self, services: Services, principal: Principal, strategy_id: str = STRATEGY_ID) -> None:
        services.strategies.delete(principal, strategy_id)

    @get("/{strategy_id:str}/versions", sync_to_thread=True, responses=errors(AUTHENTICATED, ID_IN_PATH))
    def versions(
        self, services: Services, principal: Principal, strategy_id: str = STRATEGY_ID
    ) -> list[VersionOut]:
        strategy = services.strategies.get(principal, strategy_id)
        checks = services.strategies.checks([strategy], every_version=True)
        return [VersionOut.of(strategy.id, v, checks) for v in strategy.versions]
