"""Local signed bearer tokens (HS256 JWTs) for the embedded mode; `gentrade token create` issues them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from gentrade_core.domain.principal import Principal
from gentrade_core.ports.identity import IdentityVerifier, InvalidToken

_ISSUER = "gentrade-local"


class LocalTokens(IdentityVerifier):
    def __init__(self, secret: str) -> None:
        if len(secret) < 32:
            raise ValueError("the token secret must be at least 32 characters")
        self._secret = secret

    def issue(self, user: str, ttl: timedelta = timedelta(days=30)) -> str:
        now = datetime.now(UTC)
        claims = {"sub": user, "iss": _ISSUER, "iat": now, "exp": now + ttl}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=["HS256"], issuer=_ISSUER, options={"require": ["sub", "exp"]}
            )
        except jwt.PyJWTError as e:
            raise InvalidToken(str(e)) from e
        return Principal(user_id=str(claims["sub"]))
