"""
Bearer tokens, checked before anything else about a request: a caller without a valid token gets
401 whatever its body holds, so nothing of an anonymous request is decoded.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware
from litestar.types import ASGIApp

from gentrade_core.domain.principal import Principal
from gentrade_core.ports.identity import IdentityVerifier, InvalidToken

PUBLIC_PATHS = ["^/health$", "^/schema"]


class BearerAuth(AbstractAuthenticationMiddleware):
    """Turns `Authorization: Bearer <token>` into the acting principal (`request.user`)."""

    def __init__(self, app: ASGIApp, verifier: IdentityVerifier) -> None:
        super().__init__(app, exclude=PUBLIC_PATHS)
        self.verifier = verifier

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken(
                "send 'Authorization: Bearer <token>' (create one with `gentrade token create`)"
            )
        return AuthenticationResult(user=self.verifier.verify(token.strip()), auth=token.strip())


def bearer_auth(verifier: IdentityVerifier) -> DefineMiddleware:
    return DefineMiddleware(BearerAuth, verifier=verifier)


def principal(request: Request[Principal, Any, Any]) -> Principal:
    """The dependency handlers take: who is acting, as the middleware verified."""
    return request.user
