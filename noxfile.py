"""Sessions run in the project's own .venv (made by ./dev), so nothing is installed twice."""

from __future__ import annotations

import sys

import nox

nox.options.default_venv_backend = "none"
nox.options.sessions = ["lint", "typecheck", "tests"]
PY = sys.executable


@nox.session(python=False)
def tests(session: nox.Session) -> None:
    """Unit, contract and end-to-end tests (real Freqtrade, real PostgreSQL)."""
    session.run(PY, "-m", "pytest", *(session.posargs or ["-q"]))


@nox.session(python=False)
def lint(session: nox.Session) -> None:
    """ruff, and import-linter's layer contracts (core pure, adapters never import the app)."""
    session.run(PY, "-m", "ruff", "check", "src", "tests", "noxfile.py")
    session.run(PY, "-m", "importlinter.cli", "lint-imports")


@nox.session(python=False)
def typecheck(session: nox.Session) -> None:
    """pyright, strict on gentrade_core."""
    session.run(PY, "-m", "pyright", "src")


@nox.session(python=False)
def runner_image(session: nox.Session) -> None:
    """Start dockerd if needed and build the Freqtrade runner image without a registry."""
    session.run("bash", "scripts/ensure_docker.sh", external=True)
    session.run("bash", "scripts/build_runner_image.sh", external=True)


@nox.session(python=False)
def demo(session: nox.Session) -> None:
    session.run(PY, "-m", "gentrade_app", "demo", *session.posargs)


@nox.session(python=False)
def bench(session: nox.Session) -> None:
    """
    Embedded: API-vs-CLI backtest overhead, list latency under 50 clients. Production: 100
    submissions from 20 clients on PostgreSQL + RabbitMQ + 2 workers (latency, lost, duplicated).
    """
    session.run(PY, "-m", "benchmarks.run", *session.posargs)
    session.run(PY, "-m", "benchmarks.load", *session.posargs)
