from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import Parameter

from gentrade_app.bootstrap import Services
from gentrade_app.http.openapi import AUTHENTICATED, BEARER, BODY, ID_IN_PATH, errors
from gentrade_app.http.paging import LIMIT, OFFSET
from gentrade_app.http.views import PageOut, StrategyIn, StrategyOut, StrategyUpdate, VersionOut
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import ID_PATTERN

STRATEGY_ID = Parameter(pattern=ID_PATTERN, description="The strategy's id")


class StrategyController(Controller):
    path = "/api/v1/strategies"
    tags = ["strategies"]
    security = BEARER

    @post("/", sync_to_thread=True, responses=errors(AUTHENTICATED, BODY, 409, 413))
    def create(self, data: StrategyIn, services: Services, principal: Principal) -> StrategyOut:
        strategy = services.strategies.create(principal, data.name, data.code, data.description)
        return StrategyOut.of(strategy)

    @get("/", sync_to_thread=True, responses=errors(AUTHENTICATED, 422))
    def list_strategies(
        self, services: Services, principal: Principal, offset: int = OFFSET, limit: int = LIMIT
    ) -> PageOut[StrategyOut]:
        return PageOut.of(services.strategies.list(principal, offset, limit), StrategyOut.of)

    @get("/{strategy_id:str}", sync_to_thread=True, responses=errors(AUTHENTICATED, ID_IN_PATH))
    def get_strategy(
        self, services: Services, principal: Principal, strategy_id: str = STRATEGY_ID
    ) -> StrategyOut:
        return StrategyOut.of(services.strategies.get(principal, strategy_id))

    @put("/{strategy_id:str}", sync_to_thread=True, responses=errors(AUTHENTICATED, BODY, ID_IN_PATH, 413))
    def update(
        self, data: StrategyUpdate, services: Services, principal: Principal, strategy_id: str = STRATEGY_ID
    ) -> StrategyOut:
        strategy = services.strategies.update(
            principal, strategy_id, code=data.code, description=data.description, name=data.name
        )
        return StrategyOut.of(strategy)

    @delete("/{strategy_id:str}", sync_to_thread=True, responses=errors(AUTHENTICATED, ID_IN_PATH, 409))
    def remove(self, services: Services, principal: Principal, strategy_id: str = STRATEGY_ID) -> None:
        services.strategies.delete(principal, strategy_id)

    @get("/{strategy_id:str}/versions", sync_to_thread=True, responses=errors(AUTHENTICATED, ID_IN_PATH))
    def versions(
        self, services: Services, principal: Principal, strategy_id: str = STRATEGY_ID
    ) -> list[VersionOut]:
        return [VersionOut.of(v) for v in services.strategies.versions(principal, strategy_id)]
