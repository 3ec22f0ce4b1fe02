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
def demo(session: nox.Session) -> None:
    session.run(PY, "-m", "gentrade_app", "demo", *session.posargs)


@nox.session(python=False)
def bench(session: nox.Session) -> None:
    """Prints API-vs-CLI backtest overhead and list latency under 50 concurrent clients."""
    session.run(PY, "-m", "benchmarks.run", *session.posargs)
