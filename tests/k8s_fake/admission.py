"""
What the fake API server refuses, like a real one: objects that break the Kubernetes 1.37 schema,
and pods that break the "restricted" Pod Security Standard (a namespace labelled
`pod-security.kubernetes.io/enforce: restricted`).
"""

from __future__ import annotations

from typing import Any

import kubernetes_validate

from tests.k8s_fake.store import ApiError, Obj

KUBERNETES_VERSION = "1.37"
RESTRICTED_VOLUMES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}


def validate(obj: Obj) -> None:
    try:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as e:
        raise ApiError(422, "Invalid", f"{obj.get('kind')} is invalid: {e.message}") from e


def restricted_violations(pod_spec: Obj) -> list[str]:
    """The rules of the restricted profile this pod spec breaks (Kubernetes' own wording, shortened)."""
    pod_security: dict[str, Any] = pod_spec.get("securityContext", {})
    found = [
        f"volume {v['name']} is not an allowed type"
        for v in pod_spec.get("volumes", [])
        if not RESTRICTED_VOLUMES & set(v)
    ]
    found += [f"{field}=true" for field in ("hostNetwork", "hostPID", "hostIPC") if pod_spec.get(field)]
    for container in pod_spec.get("containers", []):
        security: dict[str, Any] = container.get("securityContext", {})
        name = container["name"]
        if security.get("privileged"):
            found.append(f"container {name} is privileged")
        if security.get("allowPrivilegeEscalation") is not False:
            found.append(f"container {name} must set allowPrivilegeEscalation=false")
        if security.get("capabilities", {}).get("drop") != ["ALL"]:
            found.append(f"container {name} must drop ALL capabilities")
        if set(security.get("capabilities", {}).get("add", [])) - {"NET_BIND_SERVICE"}:
            found.append(f"container {name} adds capabilities")
        if not security.get("runAsNonRoot", pod_security.get("runAsNonRoot")):
            found.append(f"container {name} must set runAsNonRoot=true")
        if security.get("runAsUser", pod_security.get("runAsUser")) == 0:
            found.append(f"container {name} must not run as user 0")
        seccomp = security.get("seccompProfile", pod_security.get("seccompProfile", {}))
        if seccomp.get("type") not in ("RuntimeDefault", "Localhost"):
            found.append(f"container {name} must set a RuntimeDefault or Localhost seccompProfile")
    return found


def admit_pod(pod_spec: Obj) -> None:
    violations = restricted_violations(pod_spec)
    if violations:
        raise ApiError(403, "Forbidden", f'violates PodSecurity "restricted:latest": {"; ".join(violations)}')
