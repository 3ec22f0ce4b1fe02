"""
Default CPU, memory and pids limits per job kind (the `gentrade.job.kind` label), for what a
RunSpec leaves unset: a run without limits could take its whole host or node.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from gentrade_core.ports.runtime import Limits, RunSpec

KIND_LABEL = "gentrade.job.kind"
DEFAULT_LIMITS: Mapping[str, Limits] = {
    "backtest": Limits(cpus=1.0, memory_mb=2048, pids=256),
    "hyperopt": Limits(cpus=2.0, memory_mb=4096, pids=512),
    "check": Limits(cpus=1.0, memory_mb=1024, pids=256),
    "download": Limits(cpus=1.0, memory_mb=1024, pids=256),
}
POD_DEFAULT_LIMITS: Mapping[str, Limits] = {
    kind: attrs.evolve(DEFAULT_LIMITS[kind], pids=None) for kind in ("backtest", "hyperopt", "check")
}
"""Kubernetes': a pod has no pids field (that is the kubelet's podPidsLimit), and downloads never
run as Jobs."""


def fill_limits(spec: RunSpec, defaults: Mapping[str, Limits], fallback_kind: str | None = None) -> Limits:
    """
    The spec's own limits, each one it leaves unset taken from the defaults of its kind; a run of
    no kind or an unknown one gets those of `fallback_kind`, or none without it.
    """
    default = defaults.get(spec.labels.get(KIND_LABEL, ""))
    if default is None and fallback_kind is not None:
        default = defaults.get(fallback_kind)
    own, default = spec.limits, default or Limits()
    return Limits(
        cpus=own.cpus if own.cpus is not None else default.cpus,
        memory_mb=own.memory_mb if own.memory_mb is not None else default.memory_mb,
        pids=own.pids if own.pids is not None else default.pids,
    )
