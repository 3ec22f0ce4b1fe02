"""The request class: a JSON body too deeply nested to decode is the client's error (400), not ours."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException


class GentradeRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            # msgspec refuses to recurse past the interpreter's limit; no body we accept nests so deep.
            raise ClientException("the request body is nested too deeply to be JSON we accept") from None
