"""Translate SQLAlchemy's exceptions into the repository port's errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy import exc

from gentrade_core.ports.repositories import DuplicateError, RepositoryError, StoreUnavailable

P = ParamSpec("P")
R = TypeVar("R")

_UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE


def _is_duplicate(error: exc.IntegrityError) -> bool:
    original = error.orig
    postgres = getattr(original, "sqlstate", None) == _UNIQUE_VIOLATION
    return postgres or "UNIQUE constraint failed" in str(original)


def translated(method: Callable[P, R]) -> Callable[P, R]:
    """
    Run `method`, raising DuplicateError for a broken unique key or primary key, StoreUnavailable
    when the database cannot be reached (or, for SQLite, stays locked), RepositoryError otherwise.
    """

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except exc.IntegrityError as e:
            if _is_duplicate(e):
                raise DuplicateError(str(e.orig)) from e
            raise RepositoryError(str(e.orig)) from e
        except exc.OperationalError as e:
            raise StoreUnavailable(str(e.orig)) from e
        except exc.DBAPIError as e:
            if e.connection_invalidated:
                raise StoreUnavailable(str(e.orig)) from e
            raise RepositoryError(str(e.orig)) from e

    return wrapper
