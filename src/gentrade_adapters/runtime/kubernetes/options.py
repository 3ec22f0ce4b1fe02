"""What an operator tunes about the Jobs the Kubernetes runtime creates."""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from gentrade_adapters.runtime.limits import POD_DEFAULT_LIMITS
from gentrade_core.ports.runtime import Limits


@attrs.frozen
class DataVolume:
    """
    The shared candle cache as pods see it: a PersistentVolumeClaim or a node folder holding what
    `host_root` holds on the worker. A `RunSpec.data_dir` under `host_root` is remapped into the pod.
    Restricted pod security forbids `host_path`: it is for single-node dev clusters (kind, k3s).
    """

    host_root: str
    claim_name: str | None = None
    host_path: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.claim_name is None) == (self.host_path is None):
            raise ValueError("a data volume is either a claim_name or a host_path, exactly one of them")

    def relative(self, path: str) -> str | None:
        """`path` relative to `host_root` ("." for the root itself), or None if it is not under it."""
        root, target = os.path.normpath(self.host_root), os.path.normpath(path)
        if target != root and not target.startswith(root.rstrip("/") + "/"):
            return None
        return os.path.relpath(target, root)


@attrs.frozen
class JobOptions:
    active_deadline_seconds: int = 6 * 3600
    """The longest a run may take, pending time included; then Kubernetes kills it."""
    ttl_seconds_after_finished: int = 3600
    """Kubernetes deletes a finished Job (and, through owner references, its ConfigMap and policy)
    after this long, so a worker that died before its cleanup leaves nothing for good."""
    run_as_user: int = 1000
    """The runner image's non-root user (`ftuser` in freqtradeorg/freqtrade)."""
    termination_grace_seconds: int = 2
    """SIGTERM to SIGKILL on cancel; short, because a cancelled run's output is thrown away."""
    scratch_size: str = "4Gi"
    """Size limit of each writable emptyDir (the workdir and /tmp)."""
    default_limits: Mapping[str, Limits] = attrs.field(factory=lambda: dict(POD_DEFAULT_LIMITS))
    image_pull_policy: str = "IfNotPresent"
    poll_seconds: float = 0.5
    max_result_bytes: int = 1 << 30
    """Refuse result files beyond this size in total: the pod runs untrusted code."""
