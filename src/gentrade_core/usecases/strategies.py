"""
Create, edit, read and delete strategies.

Every version stored gets a load check: a `StrategyCheck` job queued in the same transaction, which a
worker runs through the configured runtime (Freqtrade loads the class and reports on it). Storing
stays fast; `checks` and `wait_for_check` read the outcome.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from gentrade_core.domain.job import JobKind
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.strategy import Origin, Strategy, StrategyVersion
from gentrade_core.domain.strategy_check import LoadCheck, LoadStatus, StrategyCheck, newest_checks
from gentrade_core.domain.workspace import UserWorkspace
from gentrade_core.errors import Conflict, ValidationFailed
from gentrade_core.freqtrade.screen import DEFAULT_POLICY, ScreenPolicy, screen_strategy
from gentrade_core.ports.clock import Clock, IdGenerator
from gentrade_core.ports.queue import JobQueue, QueueUnavailable
from gentrade_core.ports.repositories import DuplicateError, Page, UnitOfWork
from gentrade_core.ports.storage import ArtifactStore, WorkspaceStore
from gentrade_core.usecases.access import owned

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 10_000
CHECK_POLL_SECONDS = 0.25
NOT_CHECKED = LoadCheck(LoadStatus.PENDING)


class Keep(Enum):
    PARAMETERS = "keep"


KEEP = Keep.PARAMETERS
"""`parameters=KEEP`: a new version keeps the parameter file of the newest one (an edit of the code
alone does not drop the hyperopt results an import brought)."""


def _given(parameters: dict[str, Any] | Keep | None) -> dict[str, Any] | None:
    """A new strategy has no version to keep parameters from."""
    return None if isinstance(parameters, Keep) else parameters


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
    queue: JobQueue
    artifacts: ArtifactStore
    policy: ScreenPolicy = DEFAULT_POLICY

    def create(
        self,
        principal: Principal,
        name: str,
        code: str,
        description: str = "",
        origin: Origin = Origin.USER,
        parameters: dict[str, Any] | None = None,
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
        version = strategy.add_version(code, now, origin, parameters)
        with self.uow() as uow:
            if uow.strategies.get_by_name(principal.user_id, name) is not None:
                raise Conflict(f"you already have a strategy named {name!r}")
            self._ensure_workspace(uow, principal, now)
            try:
                uow.strategies.add(strategy)
                check = self._add_check(uow, strategy, version)
                uow.commit()
            except DuplicateError as e:
                raise Conflict(f"you already have a strategy named {name!r}") from e
        self.workspaces.write_strategy(principal.user_id, name, code)
        self._send(check)
        return strategy

    def put_code(
        self,
        principal: Principal,
        code: str,
        description: str = "",
        origin: Origin = Origin.USER,
        parameters: dict[str, Any] | Keep | None = KEEP,
    ) -> Strategy:
        """Store code under its class name: a new strategy, or a new version of the one with that name."""
        name = screen_strategy(code, policy=self.policy).class_name
        existing = self.find(principal, name)
        if existing is None:
            return self.create(principal, name, code, description, origin, _given(parameters))
        return self.update(principal, existing.id, code=code, origin=origin, parameters=parameters)

    def update(
        self,
        principal: Principal,
        strategy_id: str,
        code: str | None = None,
        description: str | None = None,
        name: str | None = None,
        origin: Origin = Origin.USER,
        parameters: dict[str, Any] | Keep | None = KEEP,
    ) -> Strategy:
        """
        Change the description and/or add a new version of the code; old versions stay. A version
        is added when the code or the parameter file differs from the newest one.
        """
        check: StrategyCheck | None = None
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
            current = strategy.current
            kept = current.parameters if parameters is KEEP else parameters
            if code is not None and (code, kept) != (current.code, current.parameters):
                screen_strategy(code, expected_name=strategy.name, policy=self.policy)
                check = self._add_check(uow, strategy, strategy.add_version(code, now, origin, kept))
            uow.strategies.save(strategy)
            uow.commit()
        self.workspaces.write_strategy(principal.user_id, strategy.name, strategy.current.code)
        if check is not None:
            self._send(check)
        return strategy

    def get(self, principal: Principal, strategy_id: str) -> Strategy:
        with self.uow() as uow:
            return owned(principal, uow.strategies.get(strategy_id), "strategy", strategy_id)

    def find(self, principal: Principal, name: str) -> Strategy | None:
        """The caller's strategy of that (class) name, if any."""
        with self.uow() as uow:
            return uow.strategies.get_by_name(principal.user_id, name)

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
            checks = uow.checks.delete_for_strategy(strategy_id)
            uow.strategies.delete(strategy_id)
            uow.commit()
        for check_id in checks:
            self.artifacts.delete(check_id)
        self.workspaces.remove_strategy(principal.user_id, strategy.name)

    def checks(
        self, strategies: Sequence[Strategy], every_version: bool = False
    ) -> dict[tuple[str, int], LoadCheck]:
        """
        The load check of the current version of each of `strategies` (which the caller owns), or of
        every version, by (strategy id, version number).
        """
        versions = [
            (s.id, number)
            for s in strategies
            for number in ([v.number for v in s.versions] if every_version else [s.current_version])
        ]
        with self.uow() as uow:
            found = newest_checks(uow.checks.for_versions(versions))
        return {key: LoadCheck.of(c) if (c := found.get(key)) else NOT_CHECKED for key in versions}

    def wait_for_check(self, strategy: Strategy, timeout: float) -> LoadCheck:
        """The newest version's load check once it has passed or failed, or still pending at `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            check = self.checks([strategy])[(strategy.id, strategy.current_version)]
            if check.done or time.monotonic() >= deadline:
                return check
            time.sleep(CHECK_POLL_SECONDS)

    def _add_check(self, uow: UnitOfWork, strategy: Strategy, version: StrategyVersion) -> StrategyCheck:
        check = StrategyCheck(
            id=self.ids.new_id(),
            owner_id=strategy.owner_id,
            created_at=self.clock.now(),
            strategy_id=strategy.id,
            strategy_version=version.number,
        )
        uow.checks.add(check)
        return check

    def _send(self, check: StrategyCheck) -> None:
        """The check is stored: with the queue down the reaper sends it later, so storing still succeeds."""
        try:
            self.queue.enqueue(JobKind.CHECK, check.id)
        except QueueUnavailable:
            log.warning("queue unavailable; the reaper will send check %s of %s", check.id, check.strategy_id)

    def _ensure_workspace(self, uow: UnitOfWork, principal: Principal, now: datetime) -> None:
        if uow.workspaces.get(principal.user_id) is None:
            self.workspaces.ensure(principal.user_id)
            uow.workspaces.add(UserWorkspace(owner_id=principal.user_id, created_at=now))
