"""
The Kubernetes runtime: the runtime contract through the real client and real HTTP, against the
fake API server in `tests/k8s_fake` (its kubelet runs the pod's command on this host) or, with
GENTRADE_TEST_KUBECONFIG set, against a real cluster (see docs/runtimes.md). Then what only
Kubernetes has: the objects of a run, its NetworkPolicy, image and deadline failures, and the
result stream's defences against what untrusted code prints.
"""

from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import attrs
import psutil
import pytest
from kubernetes import client, config

from gentrade_adapters.runtime.kubernetes import DataVolume, JobOptions, KubernetesRuntime
from gentrade_adapters.runtime.kubernetes.api import KubeApi
from gentrade_adapters.runtime.kubernetes.handle import KubernetesRunHandle
from gentrade_adapters.runtime.kubernetes.plan import RUN_LABEL
from gentrade_adapters.runtime.kubernetes.pod_entry import END_MARKER, FILE_MARKER
from gentrade_adapters.runtime.kubernetes.pod_status import LOST_EXIT_CODE
from gentrade_adapters.runtime.kubernetes.results import ResultFiles
from gentrade_core.freqtrade import layout
from gentrade_core.ports.runtime import RunState, Runtime, RuntimeUnavailable
from tests.contract.runtime_contract import (
    RUN_MARKER,
    RuntimeContract,
    backtest_spec,
    hyperopt_spec,
    marked_processes,
)
from tests.k8s_fake import FakeKubernetes
from tests.strategies_src import DATA_DIR, TRADING_STRATEGY

IMAGE = "gentrade-runner:test"
CLAIM = "gentrade-candles"
CANDLES = str(Path(DATA_DIR).parent)
"""The data volume's root on this host: the shared data folder holding the test's candle folder."""
REAL_CLUSTER = os.environ.get("GENTRADE_TEST_KUBECONFIG")


def real_cluster_runtime() -> KubernetesRuntime:
    """The runtime of a real cluster, as the environment describes it (docs/runtimes.md)."""
    host_path = os.environ.get("GENTRADE_TEST_K8S_DATA_HOST_PATH")
    return KubernetesRuntime.from_environment(
        image=os.environ.get("GENTRADE_TEST_RUNNER_IMAGE", IMAGE),
        kubeconfig=REAL_CLUSTER,
        namespace=os.environ.get("GENTRADE_TEST_K8S_NAMESPACE"),
        data=DataVolume(
            host_root=CANDLES,
            claim_name=None if host_path else os.environ.get("GENTRADE_TEST_K8S_DATA_CLAIM", CLAIM),
            host_path=host_path,
        ),
    )


@pytest.fixture(scope="module")
def fake_kubernetes() -> Iterator[FakeKubernetes]:
    with FakeKubernetes(claims={CLAIM: CANDLES}, images={IMAGE}) as fake:
        yield fake


def fake_runtime(fake: FakeKubernetes, **options: object) -> KubernetesRuntime:
    data = DataVolume(host_root=CANDLES, claim_name=CLAIM)
    return KubernetesRuntime(fake.api_client(), image=IMAGE, data=data, options=JobOptions(**options))  # type: ignore[arg-type]


class TestKubernetesRuntime(RuntimeContract):
    runtime: KubernetesRuntime

    @pytest.fixture(autouse=True)
    def _runtime(self, request: pytest.FixtureRequest) -> Iterator[None]:
        if REAL_CLUSTER:
            self.runtime = real_cluster_runtime()
            yield
            return
        fake: FakeKubernetes = request.getfixturevalue("fake_kubernetes")
        self.runtime = fake_runtime(fake)
        yield
        assert [] == fake.unhandled, "the adapter used REST paths the fake API server does not serve"

    def make_runtime(self) -> Runtime:
        return self.runtime

    def processes_left(self, marker: str) -> list[psutil.Process]:
        """
        The fake kubelet runs containers on this host, so their processes are found there. A real
        cluster's are not: each live pod of the run counts as two stand-ins (a pod is its processes).
        """
        if not REAL_CLUSTER:
            return marked_processes(marker)
        namespace = os.environ.get("GENTRADE_TEST_K8S_NAMESPACE", "default")
        pods = client.CoreV1Api(config.new_client_from_config(REAL_CLUSTER)).list_namespaced_pod(namespace)
        live = [
            pod
            for pod in pods.items or []
            if pod.spec
            and any(e.name == RUN_MARKER and e.value == marker for e in pod.spec.containers[0].env or [])
        ]
        return [psutil.Process()] * 2 * len(live)


@pytest.mark.freqtrade
@pytest.mark.skipif(bool(REAL_CLUSTER), reason="inspects the fake API server's objects")
class TestKubernetesObjects:
    @pytest.fixture(autouse=True)
    def _data(self) -> None:
        if not Path(DATA_DIR).is_dir():
            pytest.skip(f"the shared market data {DATA_DIR} is not on this machine")

    def test_a_run_is_cut_off_streams_epochs_and_leaves_nothing_after_cancel(
        self, fake_kubernetes: FakeKubernetes, tmp_path: Path
    ) -> None:
        """The NetworkPolicy is created before anything else and selects the pod; epochs reach the job
        directory while the hyperopt runs; after cancel and cleanup nothing of the run is left."""
        marker = uuid.uuid4().hex
        sut = fake_runtime(fake_kubernetes).start(hyperopt_spec(tmp_path, epochs=500, marker=marker))
        deadline = time.monotonic() + 90
        while not list((tmp_path / layout.HYPEROPT_RESULTS).glob("*.fthypt")) and time.monotonic() < deadline:
            assert sut.wait(0.5) is None, "\n".join(sut.logs())
        [policy] = fake_kubernetes.objects("NetworkPolicy", {RUN_LABEL: sut.name})
        [pod] = fake_kubernetes.objects("Pod", policy["spec"]["podSelector"]["matchLabels"])
        owners = {kind: fake_kubernetes.objects(kind, {RUN_LABEL: sut.name})[0]["metadata"]["ownerReferences"]
                  for kind in ("ConfigMap", "NetworkPolicy")}  # fmt: skip
        sut.cancel()
        sut.cleanup()
        left = [(k, n) for k, n in fake_kubernetes.cluster.store.all() if n.startswith(sut.name)]
        created = [
            k
            for verb, k, n in fake_kubernetes.cluster.store.history
            if verb == "create" and n.startswith(sut.name)
        ]
        assert ["NetworkPolicy", "ConfigMap", "Job", "Pod"] == created, "the policy must exist before the pod"
        assert ("Running", [], []) == (pod["status"]["phase"], left, marked_processes(marker))
        assert {"ConfigMap": ["Job"], "NetworkPolicy": ["Job"]} == {
            kind: [ref["kind"] for ref in refs] for kind, refs in owners.items()
        }

    def test_labels_carry_the_job_sanitised(self, fake_kubernetes: FakeKubernetes, tmp_path: Path) -> None:
        """An owner id that is no valid label value is cleaned and hashed; the job id and kind stay."""
        spec = backtest_spec(tmp_path, "SampleCross", TRADING_STRATEGY, "20180110-20180111")
        labels = {
            "gentrade.job.id": "j1",
            "gentrade.job.kind": "backtest",
            "gentrade.owner": "ann@example.com",
        }
        sut = fake_runtime(fake_kubernetes).start(attrs.evolve(spec, labels=labels))
        [job] = fake_kubernetes.objects("Job", {RUN_LABEL: sut.name})
        sut.cleanup()
        job_labels = job["metadata"]["labels"]
        assert ("j1", "backtest") == (job_labels["gentrade.job.id"], job_labels["gentrade.job.kind"])
        assert job_labels["gentrade.owner"].startswith("ann-example.com-")

    def test_an_image_the_cluster_cannot_pull_fails_the_run_and_says_how_to_fix_it(
        self, fake_kubernetes: FakeKubernetes, tmp_path: Path
    ) -> None:
        """ErrImagePull ends the run as FAILED with the image's name and the build command in the logs."""
        runtime = KubernetesRuntime(
            fake_kubernetes.api_client(), image="no-such-image:1", data=DataVolume(CANDLES, claim_name=CLAIM)
        )
        sut = runtime.start(backtest_spec(tmp_path, "SampleCross", TRADING_STRATEGY))
        code = sut.wait(30)
        lines = list(sut.logs())
        sut.cleanup()
        assert (True, RunState.FAILED) == (code not in (None, 0), sut.state())
        assert any("no-such-image:1" in line and "nox -s runner_image" in line for line in lines), lines

    def test_the_active_deadline_ends_a_run_that_takes_too_long(
        self, fake_kubernetes: FakeKubernetes, tmp_path: Path
    ) -> None:
        """A one-second deadline kills the backtest; the run fails with Kubernetes' reason in the logs."""
        sut = fake_runtime(fake_kubernetes, active_deadline_seconds=1).start(
            backtest_spec(tmp_path, "SampleCross", TRADING_STRATEGY)
        )
        code = sut.wait(30)
        lines = list(sut.logs())
        sut.cleanup()
        assert (True, RunState.FAILED) == (code not in (None, 0), sut.state())
        assert any("DeadlineExceeded" in line for line in lines), lines[-10:]

    def test_a_host_path_data_volume_is_refused_under_restricted_pod_security(
        self, fake_kubernetes: FakeKubernetes, tmp_path: Path
    ) -> None:
        """The fake enforces the restricted profile, which forbids hostPath; nothing of the run is left."""
        runtime = KubernetesRuntime(
            fake_kubernetes.api_client(), image=IMAGE, data=DataVolume(CANDLES, host_path=CANDLES)
        )
        before = fake_kubernetes.cluster.store.all()
        with pytest.raises(RuntimeUnavailable, match=r"PodSecurity.*volume data is not an allowed type"):
            runtime.start(backtest_spec(tmp_path, "SampleCross", TRADING_STRATEGY))
        assert before == fake_kubernetes.cluster.store.all()


NETWORK_PROBE = (
    TRADING_STRATEGY.replace(
        '        dataframe["fast"]', '        probe_network()\n        dataframe["fast"]', 1
    )
    + """

def probe_network() -> None:
    import os, socket

    host = os.environ.get("KUBERNETES_SERVICE_HOST", "1.1.1.1")
    port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
    try:
        socket.create_connection((host, int(port)), timeout=3).close()
    except OSError as e:
        print("GENTRADE-NETWORK-BLOCKED", e, flush=True)
        return
    raise RuntimeError(f"GENTRADE-NETWORK-REACHABLE {host}:{port}")
"""
)


@pytest.mark.freqtrade
@pytest.mark.skipif(
    not REAL_CLUSTER, reason="the fake kubelet runs pods in this host's network: no NetworkPolicy"
)
def test_the_network_policy_keeps_the_strategy_off_the_network(tmp_path: Path) -> None:
    """On a real cluster whose CNI enforces NetworkPolicy, strategy code cannot reach even the API server."""
    sut = real_cluster_runtime().start(
        backtest_spec(tmp_path, "SampleCross", NETWORK_PROBE, "20180110-20180111")
    )
    lines = list(sut.logs())
    code = sut.wait(300)
    sut.cleanup()
    assert 0 == code, "\n".join(lines[-30:])
    assert any("GENTRADE-NETWORK-BLOCKED" in line for line in lines)


def test_an_unreachable_api_server_is_reported_as_unavailable(tmp_path: Path) -> None:
    """Nothing listens on the port: start() raises RuntimeUnavailable naming the API's address."""
    sut = KubernetesRuntime(client.ApiClient(client.Configuration(host="http://127.0.0.1:9")), image=IMAGE)
    spec = backtest_spec(tmp_path, "SampleCross", TRADING_STRATEGY)
    with pytest.raises(RuntimeUnavailable, match=r"cannot reach the Kubernetes API at http://127\.0\.0\.1:9"):
        sut.start(attrs.evolve(spec, data_dir=None))


def test_candles_outside_the_data_volume_are_refused_before_anything_is_created(tmp_path: Path) -> None:
    """A data_dir the pods cannot see is a configuration error, named with the volume's root."""
    sut = KubernetesRuntime(client.ApiClient(client.Configuration(host="http://127.0.0.1:9")), image=IMAGE,
                            data=DataVolume(host_root="/srv/candles", claim_name=CLAIM))  # fmt: skip
    with pytest.raises(RuntimeUnavailable, match="/srv/candles"):
        sut.start(backtest_spec(tmp_path, "SampleCross", TRADING_STRATEGY))


def _file_line(path: str, data: bytes) -> str:
    return f"{FILE_MARKER} {path} {base64.b64encode(data).decode()}"


def test_result_lines_write_only_inside_the_result_folders(tmp_path: Path) -> None:
    """Chunks append to a result file; paths that climb out, are absolute or name other folders are
    left as ordinary output and write nothing."""
    sut = ResultFiles(tmp_path, max_bytes=1000)
    taken = [
        sut.take(_file_line("hyperopt_results/a.fthypt", b"one\n")),
        sut.take(_file_line("hyperopt_results/a.fthypt", b"two\n")),
        sut.take(_file_line("hyperopt_results/../../escaped", b"x")),
        sut.take(_file_line("/etc/passwd", b"x")),
        sut.take(_file_line("strategies/Evil.py", b"x")),
        sut.take("an ordinary log line"),
        sut.take(f"{END_MARKER} 0"),
    ]
    assert [True, True, False, False, False, False, True] == taken
    assert "one\ntwo\n" == (tmp_path / "hyperopt_results" / "a.fthypt").read_text()
    assert ["a.fthypt"] == [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert 0 == sut.end_code


def test_result_files_beyond_the_cap_are_dropped_and_reported(tmp_path: Path) -> None:
    """A pod that sends more than max_bytes gets a problem recorded instead of a full disk."""
    sut = ResultFiles(tmp_path, max_bytes=10)
    sut.take(_file_line("backtest_results/big.zip", b"x" * 8))
    sut.take(_file_line("backtest_results/big.zip", b"x" * 8))
    assert 8 == (tmp_path / "backtest_results" / "big.zip").stat().st_size
    assert sut.problem is not None and "10 bytes" in sut.problem


class ScriptedApi:
    """Stands in for our `KubeApi` to play endings a healthy cluster rarely produces: a pod that
    runs, writes `log` and exits with `exit_code`."""

    namespace = "default"

    def __init__(self, log: list[bytes], exit_code: int) -> None:
        self._log, self._exit_code = log, exit_code
        self.deleted: list[str] = []

    def pods(self, run: str) -> list[client.V1Pod]:
        if self.deleted:
            return []
        return [
            client.V1Pod(metadata=client.V1ObjectMeta(name="p"), status=client.V1PodStatus(phase="Running"))
        ]

    def pod(self, name: str) -> client.V1Pod:
        terminated = client.V1ContainerStateTerminated(exit_code=self._exit_code)
        status = client.V1ContainerStatus(
            name="freqtrade", image="i", image_id="", ready=False, restart_count=0,
            state=client.V1ContainerState(terminated=terminated),
        )  # fmt: skip
        return client.V1Pod(status=client.V1PodStatus(phase="Succeeded", container_statuses=[status]))

    def job_failure(self, name: str) -> None:
        return None

    def log(self, pod: str) -> Iterator[bytes]:
        yield from self._log

    def delete(self, kind: str, name: str) -> None:
        self.deleted.append(kind)


def scripted_handle(api: ScriptedApi, workdir: Path) -> KubernetesRunHandle:
    return KubernetesRunHandle(cast(KubeApi, api), "run", workdir, JobOptions(poll_seconds=0.01))


def test_output_split_across_chunks_comes_out_as_whole_lines(tmp_path: Path) -> None:
    """Lines cut by chunk boundaries are joined again; a last line without a newline is kept."""
    end = f"{END_MARKER} 0\n".encode()
    sut = scripted_handle(ScriptedApi([b"hel", b"lo\nwor", b"ld\n", end, b"tail"], exit_code=0), tmp_path)
    assert 0 == sut.wait(10)
    assert ["hello", "world", "tail"] == list(sut.logs())


def test_a_log_cut_off_before_the_end_marker_fails_the_run(tmp_path: Path) -> None:
    """Exit code 0 but the results never finished arriving: the run FAILS and says why."""
    partial = (_file_line("backtest_results/a.zip", b"PK") + "\n").encode()
    api = ScriptedApi([b"Backtesting...\n", partial], exit_code=0)
    sut = scripted_handle(api, tmp_path)
    assert LOST_EXIT_CODE == sut.wait(10)
    lines = list(sut.logs())
    sut.cleanup()
    assert RunState.FAILED == sut.state()
    assert "ended before all its result files arrived" in lines[-1]
    assert ["Job", "Job", "NetworkPolicy", "ConfigMap"] == api.deleted[:1] + api.deleted[-3:]
