"""`/health` turns an unreachable database into 503 with the reason."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from gentrade_adapters.sql.engine import make_engine, make_session_factory
from gentrade_adapters.sql.unit_of_work import SqlUnitOfWork
from gentrade_app.bootstrap import build_services
from gentrade_app.http.app import create_app
from gentrade_app.settings import Settings


def test_database_down_is_503_naming_it(tmp_path: Path) -> None:
    """A database that cannot be opened makes /health answer 503 and say which check failed."""
    sessions = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}"))
    services = build_services(
        Settings(data_dir=tmp_path, token_secret="x" * 40), uow=lambda: SqlUnitOfWork(sessions)
    )
    try:
        with TestClient(create_app(services)) as client:
            response = client.get("/health")
    finally:
        services.close()
    assert 503 == response.status_code
    assert "database unreachable" in response.json()["checks"]["database"]
