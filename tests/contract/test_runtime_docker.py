"""The Docker runtime: the runtime contract against a real dockerd, plus its own translation rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gentrade_adapters.runtime.docker import DockerRuntime
from gentrade_adapters.runtime.docker_plan import container_name, limits_for, remap
from gentrade_core.ports.runtime import Limits, RunSpec, Runtime
from tests.contract.docker_support import containers, containers_with_env, runner_image
from tests.contract.runtime_contract import RUN_MARKER, RuntimeContract, marked_processes

__all__ = ["runner_image"]  # the fixture, imported so that pytest finds it here


class TestDockerRuntime(RuntimeContract):
    @pytest.fixture(autouse=True)
    def _image(self, runner_image: str) -> None:
        self.image = runner_image

    def make_runtime(self) -> Runtime:
        return DockerRuntime(self.image)

    def processes_left(self, marker: str) -> list[Any]:
        """The run's processes (visible on the host: containers share its kernel) and its containers."""
        return [*marked_processes(marker), *containers_with_env(f"{RUN_MARKER}={marker}")]


def test_args_under_the_job_or_data_dir_are_remapped_to_the_mounts() -> None:
    """Whole paths and paths below them move; look-alike prefixes and other args stay."""
    prefixes = {"/srv/jobs/j1": "/job", "/srv/cache/binance": "/data"}
    args = ["--datadir", "/srv/cache/binance", "/srv/jobs/j1/out.json", "/srv/jobs/j10", "--userdir", "."]
    assert ("--datadir", "/data", "/job/out.json", "/srv/jobs/j10", "--userdir", ".") == remap(args, prefixes)


def test_unset_limits_come_from_the_defaults_of_the_runs_kind() -> None:
    """A hyperopt's own memory limit stays; CPU and pids come from the hyperopt defaults."""
    defaults = {"backtest": Limits(1.0, 1024, 100), "hyperopt": Limits(2.0, 4096, 400)}
    spec = RunSpec(
        name="x",
        args=(),
        workdir="/w",
        limits=Limits(memory_mb=512),
        labels={"gentrade.job.kind": "hyperopt"},
    )
    assert Limits(2.0, 512, 400) == limits_for(spec, defaults)
    assert Limits(1.0, 1024, 100) == limits_for(RunSpec(name="x", args=(), workdir="/w"), defaults)


def test_container_names_keep_only_what_docker_accepts() -> None:
    """Job names pass unchanged; anything else is made a valid container name."""
    assert "gentrade-backtest-01J9" == container_name("gentrade-backtest-01J9")
    assert "my-job-1" == container_name("_my job/1")
    assert ("gentrade-0", "gentrade-run") == (container_name("0"), container_name("/"))


def test_a_leftover_container_of_the_same_job_is_replaced(runner_image: str, tmp_path: Path) -> None:
    """A retried job reuses its name: the dead attempt's container gives way to the new run."""
    name = f"gentrade-backtest-retry-{tmp_path.name}"
    spec = RunSpec(name=name, args=("--version",), workdir=str(tmp_path))
    sut = DockerRuntime(runner_image)
    sut.start(spec).wait(60)  # not cleaned up, as if its worker had died
    handle = sut.start(spec)
    code = handle.wait(60)
    lines = list(handle.logs())
    handle.cleanup()
    assert 0 == code
    assert any("freqtrade 2026.9" in line for line in lines)
    assert [] == containers(f"name=^{name}$")
