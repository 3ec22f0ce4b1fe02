"""What `GET /health` reports: can this process reach the services its jobs depend on?"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from gentrade_core.ports.repositories import RepositoryError, UnitOfWork

Check = Callable[[], str | None]
"""Returns None when healthy, else what is wrong."""


def database_check(uow: Callable[[], UnitOfWork]) -> Check:
    def check() -> str | None:
        try:
            with uow() as u:
                u.workspaces.get("")  # the cheapest read every store supports
        except RepositoryError as e:
            return f"database unreachable: {e}"
        return None

    return check


def broker_check(url: str) -> Check:
    from urllib.parse import urlsplit

    from gentrade_adapters.queue.dramatiq_broker import broker_reachable  # Dramatiq only when configured

    where = urlsplit(url)._replace(netloc=urlsplit(url).hostname or "").geturl()  # no credentials

    def check() -> str | None:
        return None if broker_reachable(url) else f"broker unreachable at {where}"

    return check


def run_checks(checks: Mapping[str, Check]) -> tuple[bool, dict[str, str]]:
    results = {name: check() for name, check in checks.items()}
    return all(r is None for r in results.values()), {name: r or "ok" for name, r in results.items()}
