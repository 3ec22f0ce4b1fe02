"""
The domain error hierarchy.

Every error the core raises on purpose is a `DomainError`; entry points map the
subclasses onto their own vocabulary (HTTP status codes, CLI exit codes).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs


@attrs.frozen
class Finding:
    """
    One reason a piece of input was refused: the field (or code line) and why.
    """

    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.field} (line {self.line})" if self.line is not None else self.field
        return f"{where}: {self.message}"


class DomainError(Exception):
    """Base of every error the core raises on purpose."""


class NotFound(DomainError):
    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} not found")
        self.kind = kind
        self.ident = ident


class Forbidden(DomainError):
    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} belongs to another user")
        self.kind = kind
        self.ident = ident


class Conflict(DomainError):
    """The request contradicts what is stored (a duplicate name, a job in the wrong state)."""


class ValidationFailed(DomainError):
    """Input broke a rule; `findings` names each field and reason."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(str(f) for f in self.findings))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls([Finding(field, message)])


class TooLarge(ValidationFailed):
    """Input is over a size limit."""


class IllegalTransition(DomainError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a job cannot move from {current!r} to {target!r}")
        self.current = current
        self.target = target


class Unavailable(DomainError):
    """A service the use case needs (queue, database) cannot be reached right now."""
