"""Ownership checks every use case applies to what it loads."""

from __future__ import annotations

from typing import Protocol, TypeVar

from gentrade_core.domain.principal import Principal
from gentrade_core.errors import Forbidden, NotFound


class Owned(Protocol):
    @property
    def owner_id(self) -> str: ...


OwnedT = TypeVar("OwnedT", bound=Owned)


def owned(principal: Principal, item: OwnedT | None, kind: str, ident: str) -> OwnedT:
    """Return `item` if the principal owns it: an unknown id is 404, a foreign one 403."""
    if item is None:
        raise NotFound(kind, ident)
    if item.owner_id != principal.user_id:
        raise Forbidden(kind, ident)
    return item
