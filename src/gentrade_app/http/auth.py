from __future__ import annotations

from typing import Any

from litestar import Request

from gentrade_core.domain.principal import Principal
from gentrade_core.ports.identity import IdentityVerifier, InvalidToken


def principal_from(verifier: IdentityVerifier):
    """A dependency that turns `Authorization: Bearer <token>` into the acting principal."""

    def principal(request: Request[Any, Any, Any]) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken(
                "send 'Authorization: Bearer <token>' (create one with `gentrade token create`)"
            )
        return verifier.verify(token.strip())

    return principal
