"""Settings from the environment (`GENTRADE_` prefix); all state lives under `data_dir`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from gentrade_core.domain.requests import DataSource


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GENTRADE_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path.home() / ".gentrade")
    database_url: str | None = None
    """SQLAlchemy URL; default a SQLite file under `data_dir`."""
    market_data_dir: Path | None = None
    """A folder of Freqtrade-format candle files (flat or under `<exchange>/`) for `data_source=local`."""
    token_secret: str | None = None
    """Signs local bearer tokens; default a random secret kept in `data_dir/token.secret`."""
    workers: int = Field(default=2, ge=1, le=64)
    max_code_bytes: int = Field(default=1_000_000, ge=1_000)
    heartbeat_seconds: float = Field(default=2.0, gt=0)
    job_heartbeat_timeout: float = Field(default=60.0, gt=0)
    """Seconds without a heartbeat after which the reaper takes a job back from its worker."""
    job_max_attempts: int = Field(default=3, ge=1)
    """Attempts (worker crashes included) before the reaper fails a job for good."""
    queue_url: str | None = None
    """`amqp://...` (RabbitMQ) or `redis://...` (Redis): jobs go to Dramatiq workers (`gentrade worker`).
    Unset, they run on threads of this process."""
    queue_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9_.-]*$")
    """Prefixes Dramatiq queue names, so deployments (or test runs) can share one broker."""
    hyperopt_concurrency: int = Field(default=2, ge=1)
    """Hyperopts running at once across all Dramatiq workers together."""
    check_wait_seconds: float = Field(default=120.0, gt=0, le=600)
    """How long `?wait_for_checks=true` waits for a strategy's load check before answering `pending`."""
    job_deadline_seconds: float = Field(default=6 * 3600.0, gt=0)
    """A Freqtrade run taking longer is stopped and its job fails; keep RabbitMQ's consumer_timeout above."""
    runtime: Literal["local", "docker", "kubernetes"] | None = None
    """Where Freqtrade runs; unset: `kubernetes` inside a cluster (KUBERNETES_SERVICE_HOST), else `local`."""
    runner_image: str = "gentrade-runner:2026.9"
    """The Freqtrade + launcher image Docker and Kubernetes runs use (`nox -s runner_image` builds it)."""
    docker_network: str | None = None
    """The Docker network download containers use (`host` where dockerd runs without a bridge)."""
    k8s_namespace: str | None = None
    k8s_kubeconfig: str | None = None
    k8s_context: str | None = None
    k8s_data_claim: str | None = None
    """A PersistentVolumeClaim holding the candle cache (`data_dir/market-data`), mounted read-only."""
    k8s_data_host_path: str | None = None
    """Or a node path holding it (single-node clusters)."""
    k8s_ttl_seconds: int = Field(default=3600, ge=0)
    k8s_run_as_user: int = Field(default=1000, ge=1)
    auto_migrate: bool = True
    """Upgrade the database schema at start-up (embedded mode); production runs `gentrade migrate`."""

    @field_validator("data_dir", "market_data_dir")
    @classmethod
    def _absolute(cls, path: Path | None) -> Path | None:
        # Freqtrade runs with each job's directory as its cwd, so relative paths would break there.
        return path.expanduser().resolve() if path is not None else None

    @property
    def effective_runtime(self) -> str:
        if self.runtime:
            return self.runtime
        return "kubernetes" if os.environ.get("KUBERNETES_SERVICE_HOST") else "local"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'gentrade.db'}"

    @property
    def default_data_source(self) -> DataSource:
        return DataSource.LOCAL if self.market_data_dir else DataSource.EXCHANGE
