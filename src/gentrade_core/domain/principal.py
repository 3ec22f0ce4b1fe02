from __future__ import annotations

import attrs


@attrs.frozen
class Principal:
    """The acting user; every use case takes one."""

    user_id: str
