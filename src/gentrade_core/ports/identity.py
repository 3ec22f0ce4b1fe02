from __future__ import annotations

from abc import abstractmethod
from typing import Protocol

from gentrade_core.domain.principal import Principal


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired or not signed by us."""


class IdentityVerifier(Protocol):
    @abstractmethod
    def verify(self, token: str) -> Principal: ...
