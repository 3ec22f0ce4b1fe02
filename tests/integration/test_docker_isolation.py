"""
What the Docker runtime promises about isolation, read back from real containers with `docker
inspect` and checked from inside one; and the failures it must explain (no daemon, no image).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from gentrade_adapters.marketdata.downloader import FreqtradeDownloader
from gentrade_adapters.runtime.command_runner import CommandRuntime, RuntimeCommandRunner
from gentrade_adapters.runtime.docker import DockerRuntime
from gentrade_adapters.runtime.docker_plan import HOME_DIR
from gentrade_adapters.runtime.docker_user import run_as
from gentrade_adapters.runtime.limits import DEFAULT_LIMITS
from gentrade_core.ports.market_data import MarketDataError
from gentrade_core.ports.runtime import RunHandle, RunSpec, RuntimeUnavailable
from tests.contract.docker_support import containers, inspect, runner_image
from tests.contract.runtime_contract import backtest_spec, hyperopt_spec
from tests.strategies_src import DATA_DIR, TRADING_STRATEGY

__all__ = ["runner_image"]  # the fixture, imported so that pytest finds it here

pytestmark = pytest.mark.usefixtures("runner_image")
ONLINE_NETWORK = "host"
"""The network downloads use here: dockerd runs with --bridge=none (scripts/ensure_docker.sh)."""


def as_worker_would(spec: RunSpec, kind: str) -> RunSpec:
    """The spec with the name and labels the worker gives a job's run."""
    job_id = uuid.uuid4().hex[:12]
    labels = {"gentrade.job.id": job_id, "gentrade.job.kind": kind, "gentrade.owner": "u1"}
    return attrs.evolve(spec, name=f"gentrade-{kind}-{job_id}", labels=labels)


def job_spec(kind: str, workdir: Path) -> RunSpec:
    if kind == "hyperopt":
        return as_worker_would(hyperopt_spec(workdir, epochs=500), kind)
    return as_worker_would(backtest_spec(workdir, "SampleCross", TRADING_STRATEGY), kind)


def mounts(info: dict[str, Any]) -> set[tuple[str, str, bool]]:
    return {(m["Source"], m["Destination"], m["RW"]) for m in info["Mounts"]}


def started(runtime: DockerRuntime, spec: RunSpec) -> dict[str, Any]:
    """Start the run, inspect its container, then stop and remove it."""
    handle = runtime.start(spec)
    try:
        return inspect(spec.name)
    finally:
        handle.cleanup()


@pytest.mark.parametrize("kind", ["backtest", "hyperopt"])
def test_a_job_container_is_cut_off_and_confined(runner_image: str, tmp_path: Path, kind: str) -> None:
    """No network, read-only root + tmpfs, no capabilities, non-root, the kind's limits, two mounts."""
    spec = job_spec(kind, tmp_path)
    info = started(DockerRuntime(runner_image), spec)
    host, config, limits = info["HostConfig"], info["Config"], DEFAULT_LIMITS[kind]
    assert f"/{spec.name}" == info["Name"]
    assert spec.labels.items() <= config["Labels"].items()
    assert "none" == host["NetworkMode"]
    assert host["ReadonlyRootfs"] is True
    assert {"/tmp", HOME_DIR} == set(host["Tmpfs"])
    assert f"HOME={HOME_DIR}" in config["Env"]
    assert ["ALL"] == host["CapDrop"]
    assert ["no-new-privileges"] == host["SecurityOpt"]
    assert "0" != config["User"].split(":")[0]
    assert "{}:{}".format(*run_as(None)) == config["User"]
    assert (limits.pids, limits.memory_mb * 2**20, int(limits.cpus * 1e9)) == (
        host["PidsLimit"], host["Memory"], host["NanoCpus"]
    )  # fmt: skip
    assert {(str(tmp_path), "/job", True), (DATA_DIR, "/data", False)} == mounts(info)
    assert "/job" == config["WorkingDir"]
    assert [] == containers(f"label=gentrade.job.id={spec.labels['gentrade.job.id']}")


def test_hyperopts_get_more_resources_than_backtests() -> None:
    """CPU, memory and pids: the hyperopt defaults exceed the backtest defaults."""
    backtest, hyperopt = DEFAULT_LIMITS["backtest"], DEFAULT_LIMITS["hyperopt"]
    assert hyperopt.cpus and backtest.cpus and hyperopt.cpus > backtest.cpus
    assert hyperopt.memory_mb and backtest.memory_mb and hyperopt.memory_mb > backtest.memory_mb
    assert hyperopt.pids and backtest.pids and hyperopt.pids > backtest.pids


PROBE = """
import json, os, socket
def refused(action):
    try:
        action()
    except OSError as e:
        return type(e).__name__
    return None
print(json.dumps({
    "uid": os.getuid(),
    "interfaces": sorted(name for _, name in socket.if_nameindex()),
    "connect": refused(lambda: socket.create_connection(("1.1.1.1", 80), timeout=2)),
    "write_root": refused(lambda: open("/etc/gentrade-probe", "w")),
    "write_data": refused(lambda: open("/data/gentrade-probe", "w")),
    "write_job": refused(lambda: open("/job/probe.txt", "w").write("ok")),
    "write_tmp": refused(lambda: open("/tmp/probe", "w").write("ok")),
}))
"""


def test_inside_a_job_container_only_the_job_dir_and_scratch_are_writable(
    runner_image: str, tmp_path: Path
) -> None:
    """Seen from inside: only loopback, no route out, root and data read-only, job dir and /tmp writable."""
    spec = as_worker_would(
        RunSpec(name="probe", args=(), workdir=str(tmp_path), data_dir=DATA_DIR), "backtest"
    )
    handle = DockerRuntime(runner_image).start_command(spec, ["python", "-c", PROBE])
    code = handle.wait(60)
    lines = list(handle.logs())
    handle.cleanup()
    assert 0 == code, "\n".join(lines)
    facts = json.loads(lines[-1])
    assert 0 != facts["uid"]
    assert ["lo"] == facts["interfaces"]
    assert facts["connect"] is not None
    assert ("OSError", "OSError") == (facts["write_root"], facts["write_data"])
    assert (None, None) == (facts["write_job"], facts["write_tmp"])
    assert "ok" == (tmp_path / "probe.txt").read_text()


@attrs.define
class InspectingRuntime(CommandRuntime):
    """Runs through a real `DockerRuntime` and keeps `docker inspect` of each container it starts."""

    runtime: DockerRuntime
    seen: list[dict[str, Any]] = attrs.field(factory=list[dict[str, Any]])

    def start(self, spec: RunSpec) -> RunHandle:
        return self.start_command(spec, ())

    def start_command(self, spec: RunSpec, command: Sequence[str]) -> RunHandle:
        handle = self.runtime.start_command(spec, command)
        self.seen.append(inspect(spec.name))
        return handle


WRITE_ARG = "import sys; open(sys.argv[1], 'w').write('fetched'); print('wrote', sys.argv[1])"


def test_a_download_container_has_the_network_and_only_the_cache_mounted(
    runner_image: str, tmp_path: Path
) -> None:
    """Network on, the cache read-write at /job (host paths in the command remapped), nothing else."""
    runtime = InspectingRuntime(DockerRuntime(runner_image, online_network=ONLINE_NETWORK))
    sut = RuntimeCommandRunner(runtime, tmp_path)
    (tmp_path / "binance").mkdir()  # by the worker, as root here: handed over to the container's user
    result = sut(["/usr/bin/python3", "-c", WRITE_ARG, str(tmp_path / "binance" / "out.txt")])
    [info] = runtime.seen
    assert (0, "wrote /job/binance/out.txt") == (result.returncode, result.output.strip())
    assert "fetched" == (tmp_path / "binance" / "out.txt").read_text()
    assert ONLINE_NETWORK == info["HostConfig"]["NetworkMode"]
    assert {(str(tmp_path), "/job", True)} == mounts(info)
    assert info["HostConfig"]["ReadonlyRootfs"] is True
    assert "download" == info["Config"]["Labels"]["gentrade.job.kind"]
    assert info["Name"].startswith("/gentrade-download-")
    assert [] == containers("label=gentrade.job.kind=download")


def test_the_downloader_runs_in_the_container_and_explains_failures(
    runner_image: str, tmp_path: Path
) -> None:
    """FreqtradeDownloader through the runner: with the network cut, ccxt's own error reaches the message."""
    runner = RuntimeCommandRunner(DockerRuntime(runner_image, online_network="none"), tmp_path)
    sut = FreqtradeDownloader(runner=runner)
    with pytest.raises(MarketDataError, match=r"could not capture the markets of binance: .*binance"):
        sut.capture_markets("binance", tmp_path / "markets.json")


def test_an_unreachable_daemon_is_reported_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DOCKER_HOST at a dead socket: RuntimeUnavailable naming the address and how to fix it."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/dead.sock")
    spec = RunSpec(name="unreachable", args=("--version",), workdir=str(tmp_path))
    expected = (
        f"cannot reach the Docker daemon at unix://{tmp_path}/dead.sock: start dockerd or set DOCKER_HOST"
    )
    with pytest.raises(RuntimeUnavailable, match=re.escape(expected)):
        DockerRuntime().start(spec)


def test_a_missing_image_is_reported_with_how_to_build_it(runner_image: str, tmp_path: Path) -> None:
    """No pull is tried; the message names the image and the build command; no container is left."""
    spec = RunSpec(name=f"gentrade-backtest-noimage-{tmp_path.name}", args=(), workdir=str(tmp_path))
    with pytest.raises(
        RuntimeUnavailable, match=r"runner image gentrade-runner:missing not found: .*runner_image"
    ):
        DockerRuntime("gentrade-runner:missing").start(spec)
    assert [] == containers(f"name=^{spec.name}$")
