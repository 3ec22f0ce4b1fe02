"""
The Kubernetes runtime's manifests, built without a cluster: each one valid against the Kubernetes
1.37 schema (kubernetes-validate, strict), and every security setting of the pod asserted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import kubernetes_validate
import pytest

from gentrade_adapters.runtime.kubernetes.manifests import config_map, job, network_policy, owner_reference
from gentrade_adapters.runtime.kubernetes.names import config_key, label_value, object_name
from gentrade_adapters.runtime.kubernetes.options import DataVolume, JobOptions
from gentrade_adapters.runtime.kubernetes.plan import RUN_LABEL, RunPlan, launcher_args, run_labels
from gentrade_adapters.runtime.kubernetes.pod import ENTRY_KEY
from gentrade_adapters.runtime.limits import fill_limits as limits_for
from gentrade_core.ports.runtime import Limits, RunSpec, RuntimeUnavailable
from tests.k8s_fake.admission import restricted_violations

KUBERNETES = "1.37"
LABEL_VALUE = re.compile(r"([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?")
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
FILES = {
    "config.json": b"{}",
    "markets.json": b'{"ETH/BTC": {}}',
    "strategies/SampleCross.py": b"class X: ...",
}
CLAIM = DataVolume(host_root="/srv/gentrade/market-data", claim_name="candles")
LIMITS = Limits(cpus=1.5, memory_mb=2048, pids=256)


def plan(data: DataVolume | None = CLAIM, limits: Limits = LIMITS) -> RunPlan:
    name = object_name("gentrade-backtest-j1")
    return RunPlan(
        name=name,
        labels=run_labels({"gentrade.job.id": "j1", "gentrade.owner": "ann@example.com"}, name),
        image="registry.example/gentrade-runner:2026.9",
        launcher_args=(
            "--markets",
            "markets.json",
            "--",
            "backtesting",
            "--datadir",
            "/gentrade/data/binance",
        ),
        env={"GENTRADE_TEST_RUN": "x"},
        limits=limits,
        inputs=tuple(FILES),
        data=data,
    )


def pod_of(manifest: dict[str, Any]) -> dict[str, Any]:
    return manifest["spec"]["template"]["spec"]


@pytest.mark.parametrize(
    "sut",
    [
        job(plan(), JobOptions()),
        job(plan(data=DataVolume("/data", host_path="/var/lib/gentrade"), limits=Limits()), JobOptions()),
        job(plan(data=None), JobOptions(active_deadline_seconds=60, ttl_seconds_after_finished=0)),
        config_map(plan(), {**FILES, "strategies/blob.bin": b"\xff\x00"}, "print('entry')"),
        network_policy(plan()),
    ],
    ids=["job-claim", "job-hostpath-no-limits", "job-no-data", "configmap", "networkpolicy"],
)
def test_every_manifest_is_valid_against_the_kubernetes_schema(sut: dict[str, Any]) -> None:
    """Strict validation: no unknown field, every type and required field as Kubernetes 1.37 wants."""
    kubernetes_validate.validate(sut, KUBERNETES, strict=True)


def test_owner_references_are_valid_in_object_metadata() -> None:
    """The ConfigMap with its Job as owner still validates (the runtime patches this in)."""
    manifest = config_map(plan(), FILES, "")
    manifest["metadata"]["ownerReferences"] = [owner_reference("gentrade-backtest-j1-abc123", "0000-uid")]
    kubernetes_validate.validate(manifest, KUBERNETES, strict=True)


def test_the_pod_runs_under_restricted_pod_security() -> None:
    """Non-root, read-only root filesystem, no privilege escalation, ALL capabilities dropped,
    RuntimeDefault seccomp, no service-account token, and nothing the restricted profile forbids."""
    pod = pod_of(job(plan(), JobOptions(run_as_user=1000)))
    [container] = pod["containers"]
    security = container["securityContext"]
    assert {
        "runAsNonRoot": True,
        "runAsUser": 1000,
        "runAsGroup": 1000,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
        "privileged": False,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    } == security
    assert (True, 1000, {"type": "RuntimeDefault"}) == (
        pod["securityContext"]["runAsNonRoot"],
        pod["securityContext"]["runAsUser"],
        pod["securityContext"]["seccompProfile"],
    )
    assert (False, False, "Never") == (
        pod["automountServiceAccountToken"],
        pod["enableServiceLinks"],
        pod["restartPolicy"],
    )
    assert not {"hostNetwork", "hostPID", "hostIPC"} & set(pod)
    assert [] == restricted_violations(pod)


def test_only_the_workdir_and_scratch_are_writable_and_the_candles_are_read_only() -> None:
    """Inputs and entry script come read-only from the ConfigMap, candles read-only from the claim;
    the two writable mounts are size-limited emptyDirs."""
    pod = pod_of(job(plan(), JobOptions(scratch_size="1Gi")))
    mounts = {
        m["mountPath"]: (m["name"], m.get("readOnly", False)) for m in pod["containers"][0]["volumeMounts"]
    }
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert {
        "/gentrade/input": ("inputs", True),
        "/gentrade/bin": ("entry", True),
        "/gentrade/data": ("data", True),
        "/gentrade/work": ("work", False),
        "/gentrade/tmp": ("scratch", False),
    } == mounts
    assert {"claimName": "candles", "readOnly": True} == volumes["data"]["persistentVolumeClaim"]
    assert ({"sizeLimit": "1Gi"}, {"sizeLimit": "1Gi"}) == (
        volumes["work"]["emptyDir"],
        volumes["scratch"]["emptyDir"],
    )


def test_the_job_runs_once_within_its_deadline_and_expires() -> None:
    """backoffLimit 0 (a failed backtest fails the same way again), the deadline and the TTL as configured."""
    spec = job(plan(), JobOptions(active_deadline_seconds=600, ttl_seconds_after_finished=120))["spec"]
    assert (0, 600, 120) == (
        spec["backoffLimit"],
        spec["activeDeadlineSeconds"],
        spec["ttlSecondsAfterFinished"],
    )


def test_limits_become_equal_requests_and_limits() -> None:
    """CPU in millicores and memory in MiB, requested as much as limited (Guaranteed QoS)."""
    resources = pod_of(job(plan(), JobOptions()))["containers"][0]["resources"]
    expected = {"cpu": "1500m", "memory": "2048Mi"}
    assert {"requests": expected, "limits": expected} == resources


def test_unset_limits_come_from_the_defaults_of_the_job_kind() -> None:
    """A hyperopt without limits gets the hyperopt defaults; the spec's own win; no kind, no defaults."""
    defaults = JobOptions().default_limits
    hyperopt = RunSpec(name="h", args=(), workdir="/w", labels={"gentrade.job.kind": "hyperopt"})
    own_memory = attrs.evolve(hyperopt, limits=Limits(memory_mb=512))
    assert Limits(cpus=2.0, memory_mb=4096) == limits_for(hyperopt, defaults)
    assert Limits(cpus=2.0, memory_mb=512) == limits_for(own_memory, defaults)
    assert Limits() == limits_for(attrs.evolve(hyperopt, labels={}), defaults)


def test_the_container_runs_the_entry_script_in_the_workdir_with_the_launcher_arguments() -> None:
    """`python <entry> <inputs> <launcher args>`, with cwd the writable workdir and HOME/TMPDIR on scratch."""
    container = pod_of(job(plan(), JobOptions()))["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert ["python", f"/gentrade/bin/{ENTRY_KEY}", "/gentrade/input", *plan().launcher_args] == container[
        "command"
    ]
    assert "/gentrade/work" == container["workingDir"]
    assert ("x", "/gentrade/tmp", "/gentrade/tmp") == (env["GENTRADE_TEST_RUN"], env["HOME"], env["TMPDIR"])


def test_the_network_policy_denies_all_traffic_of_the_runs_pods() -> None:
    """It selects the run's label, names both directions and allows nothing in either."""
    sut_plan = plan()
    spec = network_policy(sut_plan)["spec"]
    assert {RUN_LABEL: sut_plan.name} == spec["podSelector"]["matchLabels"]
    assert ["Ingress", "Egress"] == spec["policyTypes"]
    assert ("ingress", "egress") not in spec.items() and not {"ingress", "egress"} & set(spec)
    assert sut_plan.labels[RUN_LABEL] == sut_plan.name


def test_the_config_map_carries_the_inputs_where_the_pod_expects_them() -> None:
    """Every input has a key that the inputs volume projects back to its path; binary goes to binaryData."""
    sut = config_map(plan(), {**FILES, "strategies/blob.bin": b"\xff"}, "entry source")
    items = {
        i["key"]: i["path"] for i in pod_of(job(plan(), JobOptions()))["volumes"][0]["configMap"]["items"]
    }
    assert {config_key(path): path for path in FILES} == items
    assert "entry source" == sut["data"][ENTRY_KEY]
    assert {"binaryData": {"strategies_blob.bin": "/w=="}} == {"binaryData": sut["binaryData"]}


@pytest.mark.parametrize("value", ["ann@example.com", "x" * 80, "__", "user_2abc/def", "Ünïcode"])
def test_label_values_are_made_valid_and_stay_distinct(value: str) -> None:
    """Any owner id becomes a valid label value of at most 63 characters, ending in a hash of it."""
    sut = label_value(value)
    assert (True, True) == (bool(LABEL_VALUE.fullmatch(sut)), len(sut) <= 63)
    assert sut != label_value(value + "!")


def test_valid_label_values_are_kept() -> None:
    """Ids Kubernetes already accepts are not touched, so they can be selected on as they are."""
    assert ["j1", "backtest", "user_2abc.def-9"] == [
        label_value(v) for v in ["j1", "backtest", "user_2abc.def-9"]
    ]


def test_object_names_are_dns_labels_unique_per_run() -> None:
    """Upper case, underscores and length are fixed; two runs of one job never share a name."""
    first, second = object_name("gentrade-Backtest_" + "x" * 80), object_name("gentrade-Backtest_" + "x" * 80)
    assert first != second
    assert all(DNS_LABEL.fullmatch(name) and len(name) <= 53 for name in (first, second))


def test_the_data_dir_is_moved_into_the_data_mount() -> None:
    """`--datadir <host>/binance` becomes `--datadir /gentrade/data/binance`; the markets file leads."""
    spec = RunSpec(
        name="j",
        args=("backtesting", "--datadir", "/srv/gentrade/market-data/binance", "--config", "config.json"),
        workdir="/jobs/j",
        data_dir="/srv/gentrade/market-data/binance",
        markets_file="markets.json",
    )
    assert (
        "--markets", "markets.json", "--",
        "backtesting", "--datadir", "/gentrade/data/binance", "--config", "config.json",
    ) == launcher_args(spec, CLAIM)  # fmt: skip


@pytest.mark.parametrize("data", [None, DataVolume(host_root="/elsewhere", claim_name="c")])
def test_a_data_dir_the_pod_cannot_see_is_refused(data: DataVolume | None) -> None:
    """No data volume, or one that does not hold the data dir: a clear error instead of an empty backtest."""
    spec = RunSpec(
        name="j", args=(), workdir="/jobs/j", data_dir=str(Path("/srv/gentrade/market-data/binance"))
    )
    with pytest.raises(RuntimeUnavailable, match="/srv/gentrade/market-data/binance"):
        launcher_args(spec, data)


def test_a_data_volume_is_a_claim_or_a_host_path() -> None:
    """Neither or both is a configuration mistake caught when the volume is described."""
    with pytest.raises(ValueError, match="exactly one"):
        DataVolume(host_root="/d")
    with pytest.raises(ValueError, match="exactly one"):
        DataVolume(host_root="/d", claim_name="c", host_path="/p")
