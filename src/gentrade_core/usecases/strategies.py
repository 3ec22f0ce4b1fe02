"""Create, edit, read and delete strategies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import attrs

from gentrade_core.domain.principal import Principal
from gentrade_core.domain.strategy import Origin, Strategy, StrategyVersion
from gentrade_core.domain.workspace import UserWorkspace
from gentrade_core.errors import Conflict, ValidationFailed
from gentrade_core.freqtrade.screen import DEFAULT_POLICY, ScreenPolicy, screen_strategy
from gentrade_core.ports.clock import Clock, IdGenerator
from gentrade_core.ports.repositories import DuplicateError, Page, UnitOfWork
from gentrade_core.ports.storage import WorkspaceStore
from gentrade_core.usecases.access import owned

MAX_DESCRIPTION = 10_000


def _check_description(description: str) -> None:
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed.single("description", f"is longer than {MAX_DESCRIPTION} characters")
    if "\x00" in description:
        # PostgreSQL refuses NUL in text; refusing it everywhere keeps SQLite and PostgreSQL alike.
        raise ValidationFailed.single("description", "contains a NUL character")


@attrs.define
class Strategies:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator
    workspaces: WorkspaceStore
    policy: ScreenPolicy = DEFAULT_POLICY

    def create(
        self,
        principal: Principal,
        name: str,
        code: str,
        description: str = "",
        origin: Origin = Origin.USER,
    ) -> Strategy:
        _check_description(description)
        screen_strategy(code, expected_name=name, policy=self.policy)
        now = self.clock.now()
        strategy = Strategy(
            id=self.ids.new_id(),
            owner_id=principal.user_id,
            name=name,
            description=description,
            created_at=now,
            updated_at=now,
        )
        strategy.add_version(code, now, origin)
        with self.uow() as uow:
            if uow.strategies.get_by_name(principal.user_id, name) is not None:
                raise Conflict(f"you already have a strategy named {name!r}")
            self._ensure_workspace(uow, principal, now)
            try:
                uow.strategies.add(strategy)
                uow.commit()
            except DuplicateError as e:
                raise Conflict(f"you already have a strategy named {name!r}") from e
        self.workspaces.write_strategy(principal.user_id, name, code)
        return strategy

    def put_code(
        self, principal: Principal, code: str, description: str = "", origin: Origin = Origin.USER
    ) -> Strategy:
        """Store code under its class name: a new strategy, or a new version of the one with that name."""
        name = screen_strategy(code, policy=self.policy).class_name
        with self.uow() as uow:
            existing = uow.strategies.get_by_name(principal.user_id, name)
        if existing is None:
            return self.create(principal, name, code, description, origin)
        return self.update(principal, existing.id, code=code, origin=origin)

    def update(
        self,
        principal: Principal,
        strategy_id: str,
        code: str | None = None,
        description: str | None = None,
        name: str | None = None,
        origin: Origin = Origin.USER,
    ) -> Strategy:
        """Change the description and/or add a new version of the code; old versions stay."""
        with self.uow() as uow:
            strategy = owned(principal, uow.strategies.get(strategy_id), "strategy", strategy_id)
            if name is not None and name != strategy.name:
                raise ValidationFailed.single(
                    "name", f"cannot change from {strategy.name!r}; the name is the strategy's class name"
                )
            now = self.clock.now()
            if description is not None:
                _check_description(description)
                strategy.description = description
                strategy.updated_at = now
            if code is not None and code != strategy.current.code:
                screen_strategy(code, expected_name=strategy.name, policy=self.policy)
                strategy.add_version(code, now, origin)
            uow.strategies.save(strategy)
            uow.commit()
        self.workspaces.write_strategy(principal.user_id, strategy.name, strategy.current.code)
        return strategy

    def get(self, principal: Principal, strategy_id: str) -> Strategy:
        with self.uow() as uow:
            return owned(principal, uow.strategies.get(strategy_id), "strategy", strategy_id)

    def versions(self, principal: Principal, strategy_id: str) -> list[StrategyVersion]:
        return list(self.get(principal, strategy_id).versions)

    def list(self, principal: Principal, offset: int = 0, limit: int = 50) -> Page[Strategy]:
        with self.uow() as uow:
            return uow.strategies.list(principal.user_id, offset=offset, limit=limit)

    def delete(self, principal: Principal, strategy_id: str) -> None:
        """Delete a strategy that no job refers to; its jobs must be deleted first."""
        with self.uow() as uow:
            strategy = owned(principal, uow.strategies.get(strategy_id), "strategy", strategy_id)
            jobs = uow.backtests.count_for_strategy(strategy_id) + uow.hyperopts.count_for_strategy(
                strategy_id
            )
            if jobs:
                raise Conflict(
                    f"strategy {strategy_id!r} still has {jobs} backtests/hyperopts; delete them first"
                )
            uow.strategies.delete(strategy_id)
            uow.commit()
        self.workspaces.remove_strategy(principal.user_id, strategy.name)

    def _ensure_workspace(self, uow: UnitOfWork, principal: Principal, now: datetime) -> None:
        if uow.workspaces.get(principal.user_id) is None:
            self.workspaces.ensure(principal.user_id)
            uow.workspaces.add(UserWorkspace(owner_id=principal.user_id, created_at=now))
