"""
The objects one run creates, as plain dicts: a ConfigMap with the inputs, a NetworkPolicy that cuts
the pod off, and a `batch/v1` Job running the pod of `pod.py`.

Pure functions, so tests validate every manifest against the Kubernetes schema without a cluster.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

from gentrade_adapters.runtime.kubernetes.names import config_key
from gentrade_adapters.runtime.kubernetes.options import JobOptions
from gentrade_adapters.runtime.kubernetes.plan import RUN_LABEL, RunPlan
from gentrade_adapters.runtime.kubernetes.pod import ENTRY_KEY, Manifest, pod_spec


def _metadata(plan: RunPlan) -> Manifest:
    return {"name": plan.name, "labels": dict(plan.labels)}


def config_map(plan: RunPlan, files: Mapping[str, bytes], entry_source: str) -> Manifest:
    """The inputs (UTF-8 text as `data`, anything else as `binaryData`) and the pod's entry script."""
    keys = {config_key(path): path for path in files}
    if len(keys) != len(files) or ENTRY_KEY in keys:
        raise ValueError(f"input paths {sorted(files)} do not map onto distinct ConfigMap keys")
    data, binary = {ENTRY_KEY: entry_source}, {}
    for key, path in keys.items():
        try:
            data[key] = files[path].decode("utf-8")
        except UnicodeDecodeError:
            binary[key] = base64.b64encode(files[path]).decode()
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _metadata(plan),
        "data": data,
        **({"binaryData": binary} if binary else {}),
    }


def network_policy(plan: RunPlan) -> Manifest:
    """Both policy types and no rules: the run's pods may neither connect out nor be reached."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _metadata(plan),
        "spec": {
            "podSelector": {"matchLabels": {RUN_LABEL: plan.name}},
            "policyTypes": ["Ingress", "Egress"],
        },
    }


def owner_reference(job_name: str, job_uid: str) -> Manifest:
    """Points a run's ConfigMap and NetworkPolicy at its Job, so Kubernetes deletes them with it."""
    return {"apiVersion": "batch/v1", "kind": "Job", "name": job_name, "uid": job_uid}


def job(plan: RunPlan, options: JobOptions) -> Manifest:
    """One pod, never retried (a failed backtest fails the same way twice), deleted after its TTL."""
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _metadata(plan),
        "spec": {
            "backoffLimit": 0,
            "activeDeadlineSeconds": options.active_deadline_seconds,
            "ttlSecondsAfterFinished": options.ttl_seconds_after_finished,
            "template": {"metadata": {"labels": dict(plan.labels)}, "spec": pod_spec(plan, options)},
        },
    }
