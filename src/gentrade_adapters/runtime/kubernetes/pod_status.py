"""What a pod's status says about the run: started, cannot start, or ended with which exit code."""

from __future__ import annotations

from kubernetes import client

from gentrade_adapters.runtime.kubernetes.pod import CONTAINER

CANCELLED_EXIT_CODE = 143
"""What a container runtime reports for a process ended by SIGTERM."""
LOST_EXIT_CODE = 255
"""The run ended without a trustworthy exit code (never started, vanished, results cut off); a
log line starting with "Error:" says which."""
UNSTARTABLE = frozenset(
    {
        "ErrImagePull",
        "ImagePullBackOff",
        "InvalidImageName",
        "CreateContainerConfigError",
        "CreateContainerError",
    }
)
"""Waiting reasons the kubelet would retry until the deadline; reported at once instead."""


def pod_name(pod: client.V1Pod) -> str:
    return (pod.metadata.name if pod.metadata else None) or ""


def exit_code(pod: client.V1Pod) -> int | None:
    statuses = (pod.status.container_statuses if pod.status else None) or []
    for status in statuses:
        if status.name == CONTAINER and status.state and status.state.terminated:
            return status.state.terminated.exit_code
    if pod.status and pod.status.phase in ("Succeeded", "Failed"):
        return LOST_EXIT_CODE
    return None


def start_failure(pod: client.V1Pod) -> str | None:
    for status in (pod.status.container_statuses if pod.status else None) or []:
        waiting = status.state.waiting if status.state else None
        if waiting is not None and waiting.reason in UNSTARTABLE:
            return f"{waiting.reason}: {waiting.message or ''} (image {status.image})"
    return None
