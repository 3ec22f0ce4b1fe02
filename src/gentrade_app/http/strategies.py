from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import Parameter

from gentrade_app.bootstrap import Services
from gentrade_app.http.views import PageOut, StrategyIn, StrategyOut, StrategyUpdate, VersionOut
from gentrade_core.domain.principal import Principal


class StrategyController(Controller):
    path = "/api/v1/strategies"
    tags = ["strategies"]

    @post("/", sync_to_thread=True)
    def create(self, data: StrategyIn, services: Services, principal: Principal) -> StrategyOut:
        strategy = services.strategies.create(principal, data.name, data.code, data.description)
        return StrategyOut.of(strategy)

    @get("/", sync_to_thread=True)
    def list_strategies(
        self,
        services: Services,
        principal: Principal,
        offset: int = Parameter(default=0, ge=0),
        limit: int = Parameter(default=50, ge=1, le=500),
    ) -> PageOut[StrategyOut]:
        return PageOut.of(services.strategies.list(principal, offset, limit), StrategyOut.of)

    @get("/{strategy_id:str}", sync_to_thread=True)
    def get_strategy(self, strategy_id: str, services: Services, principal: Principal) -> StrategyOut:
        return StrategyOut.of(services.strategies.get(principal, strategy_id))

    @put("/{strategy_id:str}", sync_to_thread=True)
    def update(
        self, strategy_id: str, data: StrategyUpdate, services: Services, principal: Principal
    ) -> StrategyOut:
        strategy = services.strategies.update(
            principal, strategy_id, code=data.code, description=data.description, name=data.name
        )
        return StrategyOut.of(strategy)

    @delete("/{strategy_id:str}", sync_to_thread=True)
    def remove(self, strategy_id: str, services: Services, principal: Principal) -> None:
        services.strategies.delete(principal, strategy_id)

    @get("/{strategy_id:str}/versions", sync_to_thread=True)
    def versions(self, strategy_id: str, services: Services, principal: Principal) -> list[VersionOut]:
        return [VersionOut.of(v) for v in services.strategies.versions(principal, strategy_id)]
