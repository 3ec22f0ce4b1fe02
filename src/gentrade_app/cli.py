"""The `gentrade` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gentrade_app.settings import Settings
from gentrade_core.domain.principal import Principal
from gentrade_core.domain.requests import DataSource
from gentrade_core.errors import DomainError

app = typer.Typer(help="GenTrade: store, backtest and hyperopt Freqtrade strategies.", no_args_is_help=True)
token_app = typer.Typer(help="Local bearer tokens for the HTTP API.", no_args_is_help=True)
app.add_typer(token_app, name="token")
console = Console()
err = Console(stderr=True)

User = Annotated[str, typer.Option("--user", help="Act as this user.")]


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    processes: Annotated[int, typer.Option(help="API processes; more use more cores.")] = 1,
) -> None:
    """Run the HTTP API (OpenAPI at /schema); without GENTRADE_QUEUE_URL it runs jobs on its own threads."""
    import uvicorn

    uvicorn.run("gentrade_app.http.app:create_app", factory=True, host=host, port=port, workers=processes)


@app.command()
def worker(
    threads: Annotated[
        int | None, typer.Option(help="Jobs at once in this process (default GENTRADE_WORKERS).")
    ] = None,
    queues: Annotated[
        list[str] | None, typer.Option("--queue", help="backtests, hyperopts or downloads; repeat.")
    ] = None,
) -> None:
    """Run Dramatiq workers (needs GENTRADE_QUEUE_URL) and the reaper, until SIGTERM."""
    import logging

    from gentrade_app.worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_worker(Settings(), threads=threads, queues=queues or ())


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the latest migration."""
    from gentrade_adapters.sql.migrate import upgrade

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url)
    console.print(f"database at head: {settings.sqlalchemy_url}")


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option("--user", help="The user the token acts as.")], days: int = 30
) -> None:
    """Print a signed bearer token for USER, alone on stdout."""
    from datetime import timedelta

    from gentrade_adapters.auth.local_tokens import LocalTokens
    from gentrade_app.bootstrap import token_secret

    print(LocalTokens(token_secret(Settings())).issue(user, timedelta(days=days)))


@app.command()
def demo(output: Path = Path("gentrade-demo")) -> None:
    """Store a strategy, backtest and hyperopt it on synthetic data, print the results and chart them."""
    from gentrade_app.demo import run_demo

    raise typer.Exit(run_demo(output, console))


@app.command("import")
def import_folder(path: Path, user: User = "local") -> None:
    """
    Store every strategy in a Freqtrade user_data folder (or a folder of strategies), with its
    parameter file, and show whether Freqtrade loads each; importing the same folder again stores
    nothing new.
    """
    from gentrade_app.bootstrap import build_services
    from gentrade_app.report import import_table
    from gentrade_app.strategy_sources import read_folder
    from gentrade_core.usecases.strategy_import import ImportStatus

    services = build_services(Settings())
    principal = Principal(user)
    try:
        outcomes = services.imports.run(principal, read_folder(path))
        with console.status("Freqtrade is loading the imported strategies"):
            loads = {
                o.strategy_id: services.strategies.wait_for_check(
                    services.strategies.get(principal, o.strategy_id), services.settings.check_wait_seconds
                )
                for o in outcomes
                if o.strategy_id is not None
            }
    except DomainError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from None
    finally:
        services.close()
    console.print(import_table(outcomes, loads))
    raise typer.Exit(1 if any(o.status is ImportStatus.REFUSED for o in outcomes) else 0)


def _run_cli_job(kind: str, strategy_file: Path, user: str, fields: dict[str, object]) -> None:
    from gentrade_app.bootstrap import build_services
    from gentrade_app.jobs_cli import run_job_from_file

    services = build_services(Settings())
    try:
        code = run_job_from_file(services, Principal(user), kind, strategy_file, fields, console)
    except DomainError as e:
        err.print(f"[red]error:[/red] {e}")
        code = 2
    finally:
        services.close()
    raise typer.Exit(code)


Pairs = Annotated[list[str], typer.Option("--pair", "-p", help="Repeat for each pair, e.g. -p ETH/BTC.")]
Range = Annotated[str, typer.Option("--timerange", help="YYYYMMDD-YYYYMMDD; either end may be open.")]


def _request_fields(arguments: dict[str, object]) -> dict[str, object]:
    """A command's own arguments, less those that are not request fields."""
    return {k: v for k, v in arguments.items() if k not in ("strategy_file", "user")}


@app.command()
def backtest(
    strategy_file: Path,
    pairs: Pairs,
    timerange: Range,
    user: User = "local",
    timeframe: str = "5m",
    exchange: str = "binance",
    stake_currency: str = "USDT",
    stake_amount: str = "unlimited",
    data_source: DataSource | None = None,
) -> None:
    """Backtest the IStrategy in STRATEGY_FILE (stored or updated as a new version) and wait for it."""
    _run_cli_job("backtest", strategy_file, user, _request_fields(locals()))


@app.command()
def hyperopt(
    strategy_file: Path,
    pairs: Pairs,
    timerange: Range,
    user: User = "local",
    timeframe: str = "5m",
    exchange: str = "binance",
    stake_currency: str = "USDT",
    stake_amount: str = "unlimited",
    data_source: DataSource | None = None,
    epochs: int = 50,
    spaces: list[str] | None = None,
    loss: str = "SharpeHyperOptLossDaily",
) -> None:
    """Hyperopt the IStrategy in STRATEGY_FILE and wait for it, with a progress bar."""
    _run_cli_job(
        "hyperopt", strategy_file, user, _request_fields(locals()) | {"spaces": spaces or ["default"]}
    )
