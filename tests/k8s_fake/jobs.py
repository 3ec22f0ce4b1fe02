"""What the Job controller and kubelet write into objects, as plain changes to the stored dicts."""

from __future__ import annotations

import copy
import secrets

from tests.k8s_fake.store import Obj, now


def pod_for(job: Obj) -> Obj:
    """The Job's one pod: its template with the controller's labels and owner reference."""
    meta, template = job["metadata"], job["spec"]["template"]
    owner = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }
    labels = {
        **template.get("metadata", {}).get("labels", {}),
        "batch.kubernetes.io/job-name": meta["name"],
        "job-name": meta["name"],
        "batch.kubernetes.io/controller-uid": meta["uid"],
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"{meta['name']}-{secrets.token_hex(3)[:5]}",
            "labels": labels,
            "ownerReferences": [owner],
        },
        "spec": copy.deepcopy(template["spec"]),
        "status": {"phase": "Pending"},
    }


def set_pod_status(pod: Obj, phase: str, state: Obj) -> None:
    container = pod["spec"]["containers"][0]
    running = "running" in state
    pod["status"] = {
        "phase": phase,
        "startTime": pod.get("status", {}).get("startTime") or now(),
        "containerStatuses": [
            {
                "name": container["name"],
                "image": container["image"],
                "imageID": "",
                "restartCount": 0,
                "ready": running,
                "started": running,
                "state": state,
            }
        ],
    }


def finish_job(job: Obj, succeeded: bool, reason: str = "", message: str = "") -> None:
    """Complete or Failed, once: the first ending (pod exit or deadline) is the one that counts."""
    status = job.setdefault("status", {})
    if any(c["type"] in ("Complete", "Failed") for c in status.get("conditions", [])):
        return
    condition = {"status": "True", "lastProbeTime": now(), "lastTransitionTime": now()}
    if succeeded:
        status.update(active=0, succeeded=1, completionTime=now())
        status["conditions"] = [{"type": "Complete", **condition}]
    else:
        status.update(active=0, failed=1)
        status["conditions"] = [{"type": "Failed", "reason": reason, "message": message, **condition}]


def is_finished(job: Obj) -> bool:
    return bool(job.get("status", {}).get("conditions"))
