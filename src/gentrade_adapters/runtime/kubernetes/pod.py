"""
The run's pod: `pod_entry.py` from the ConfigMap, a writable emptyDir workdir, the candle cache
read-only, and restricted pod security (non-root, read-only root filesystem, no capabilities,
no privilege escalation, RuntimeDefault seccomp, no service-account token).
"""

from __future__ import annotations

from typing import Any

from gentrade_adapters.runtime.kubernetes.names import config_key
from gentrade_adapters.runtime.kubernetes.options import JobOptions
from gentrade_adapters.runtime.kubernetes.plan import POD_DATA, RunPlan
from gentrade_core.ports.runtime import Limits

Manifest = dict[str, Any]

POD_INPUTS = "/gentrade/input"
POD_ENTRY_DIR = "/gentrade/bin"
POD_WORKDIR = "/gentrade/work"
POD_SCRATCH = "/gentrade/tmp"
CONTAINER = "freqtrade"
ENTRY_KEY = "gentrade-pod-entry.py"


def resources(limits: Limits) -> Manifest:
    """Requests equal to limits (Guaranteed QoS); `pids` has no per-pod field (kubelet's podPidsLimit)."""
    amounts: dict[str, str] = {}
    if limits.cpus is not None:
        amounts["cpu"] = f"{round(limits.cpus * 1000)}m"
    if limits.memory_mb is not None:
        amounts["memory"] = f"{limits.memory_mb}Mi"
    return {"requests": dict(amounts), "limits": dict(amounts)} if amounts else {}


def container_security(run_as_user: int) -> Manifest:
    return {
        "runAsNonRoot": True,
        "runAsUser": run_as_user,
        "runAsGroup": run_as_user,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
        "privileged": False,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _volumes(plan: RunPlan, options: JobOptions) -> list[Manifest]:
    inputs = [{"key": config_key(path), "path": path} for path in plan.inputs]
    volumes: list[Manifest] = [
        {"name": "inputs", "configMap": {"name": plan.name, "items": inputs}},
        {"name": "entry", "configMap": {"name": plan.name, "items": [{"key": ENTRY_KEY, "path": ENTRY_KEY}]}},
        {"name": "work", "emptyDir": {"sizeLimit": options.scratch_size}},
        {"name": "scratch", "emptyDir": {"sizeLimit": options.scratch_size}},
    ]
    if plan.data is not None:
        source: Manifest = (
            {"persistentVolumeClaim": {"claimName": plan.data.claim_name, "readOnly": True}}
            if plan.data.claim_name
            else {"hostPath": {"path": plan.data.host_path, "type": "Directory"}}
        )
        volumes.append({"name": "data", **source})
    return volumes


def _mounts(plan: RunPlan) -> list[Manifest]:
    mounts: list[Manifest] = [
        {"name": "inputs", "mountPath": POD_INPUTS, "readOnly": True},
        {"name": "entry", "mountPath": POD_ENTRY_DIR, "readOnly": True},
        {"name": "work", "mountPath": POD_WORKDIR},
        {"name": "scratch", "mountPath": POD_SCRATCH},
    ]
    if plan.data is not None:
        mounts.append({"name": "data", "mountPath": POD_DATA, "readOnly": True})
    return mounts


def _container(plan: RunPlan, options: JobOptions) -> Manifest:
    env = {**plan.env, "PYTHONUNBUFFERED": "1", "HOME": POD_SCRATCH, "TMPDIR": POD_SCRATCH}
    return {
        "name": CONTAINER,
        "image": plan.image,
        "imagePullPolicy": options.image_pull_policy,
        "command": ["python", f"{POD_ENTRY_DIR}/{ENTRY_KEY}", POD_INPUTS, *plan.launcher_args],
        "workingDir": POD_WORKDIR,
        "env": [{"name": name, "value": value} for name, value in env.items()],
        "resources": resources(plan.limits),
        "securityContext": container_security(options.run_as_user),
        "volumeMounts": _mounts(plan),
    }


def pod_spec(plan: RunPlan, options: JobOptions) -> Manifest:
    """
    No `fsGroup`: the kubelet would chown volumes to it, and the candle cache belongs to the
    downloader. The cache's files must be world-readable (the default umask makes them so).
    """
    return {
        "restartPolicy": "Never",
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,
        "terminationGracePeriodSeconds": options.termination_grace_seconds,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": options.run_as_user,
            "runAsGroup": options.run_as_user,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [_container(plan, options)],
        "volumes": _volumes(plan, options),
    }
