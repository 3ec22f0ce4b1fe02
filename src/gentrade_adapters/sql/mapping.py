"""Strategy and workspace rows to aggregates and back."""

from __future__ import annotations

from gentrade_adapters.sql.rows import StrategyRow, StrategyVersionRow, WorkspaceRow
from gentrade_core.domain.strategy import Origin, Strategy, StrategyVersion
from gentrade_core.domain.workspace import UserWorkspace


def version_row(strategy_id: str, version: StrategyVersion) -> StrategyVersionRow:
    return StrategyVersionRow(
        strategy_id=strategy_id,
        number=version.number,
        code=version.code,
        origin=version.origin.value,
        created_at=version.created_at,
        parameters=version.parameters,
    )


def write_strategy(row: StrategyRow, strategy: Strategy) -> None:
    """Copy the fields and append the versions the row lacks; stored versions never change."""
    row.owner_id = strategy.owner_id
    row.name = strategy.name
    row.description = strategy.description
    row.created_at = strategy.created_at
    row.updated_at = strategy.updated_at
    row.spec = strategy.spec
    stored = {v.number for v in row.versions}
    row.versions.extend(version_row(strategy.id, v) for v in strategy.versions if v.number not in stored)


def to_strategy(row: StrategyRow) -> Strategy:
    versions = [
        StrategyVersion(v.number, v.code, v.created_at, Origin(v.origin), v.parameters) for v in row.versions
    ]
    return Strategy(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        description=row.description,
        created_at=row.created_at,
        updated_at=row.updated_at,
        versions=versions,
        spec=row.spec,
    )


def to_workspace(row: WorkspaceRow) -> UserWorkspace:
    return UserWorkspace(owner_id=row.owner_id, created_at=row.created_at)
