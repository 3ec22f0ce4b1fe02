"""Query parameters of every list: bounded so any database can hold them."""

from __future__ import annotations

from litestar.params import Parameter

from gentrade_core.domain.requests import MAX_INT

OFFSET = Parameter(default=0, ge=0, le=MAX_INT, description="How many items to skip")
LIMIT = Parameter(default=50, ge=1, le=500, description="How many items to return at most")
