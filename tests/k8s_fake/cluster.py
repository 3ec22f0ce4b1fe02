"""
The fake cluster behind the HTTP layer: the object store, admission, a Job controller (one pod per
Job, status and conditions, `activeDeadlineSeconds`), deletion with propagation and garbage
collection by owner reference, and a fake kubelet per pod.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterator, Mapping

from tests.k8s_fake.admission import admit_pod, validate
from tests.k8s_fake.jobs import finish_job, is_finished, pod_for, set_pod_status
from tests.k8s_fake.kubelet import FakeKubelet
from tests.k8s_fake.store import ApiError, Obj, ObjectStore, now

DEFAULT_GRACE = 30


class FakeCluster:
    def __init__(
        self,
        claims: Mapping[str, str],
        images: set[str],
        pending_seconds: float = 0.3,
        enforce_restricted: bool = True,
    ) -> None:
        self.store = ObjectStore()
        self.kubelets: dict[tuple[str, str], FakeKubelet] = {}
        self._claims, self._images = claims, images
        self._pending_seconds = pending_seconds
        self._enforce_restricted = enforce_restricted

    def create(self, kind: str, namespace: str, body: Obj) -> Obj:
        if body.get("kind") != kind:
            raise ApiError(400, "BadRequest", f"expected a {kind}, got {body.get('kind')}")
        validate(body)
        if kind == "Job":
            if self._enforce_restricted:
                admit_pod(body["spec"]["template"]["spec"])
            created = self.store.add(kind, namespace, copy.deepcopy(body))
            self._start_job(namespace, created)
            return self.store.get(kind, namespace, created["metadata"]["name"])
        return self.store.add(kind, namespace, copy.deepcopy(body))

    def patch(self, kind: str, namespace: str, name: str, patch: Obj) -> Obj:
        def merge(target: Obj, changes: Obj) -> None:
            for key, value in changes.items():
                if isinstance(value, dict) and isinstance(target.get(key), dict):
                    merge(target[key], value)
                else:
                    target[key] = copy.deepcopy(value)

        return self.store.update(kind, namespace, name, lambda obj: merge(obj, patch))

    # The Job controller

    def _start_job(self, namespace: str, job: Obj) -> None:
        name = job["metadata"]["name"]
        pod = self.store.add("Pod", namespace, pod_for(job))
        pod_name = pod["metadata"]["name"]
        self.store.update(
            "Job", namespace, name, lambda j: j.update(status={"active": 1, "startTime": now()})
        )
        self.kubelets[(namespace, pod_name)] = FakeKubelet(
            pod,
            config_maps=lambda config_map: self._find("ConfigMap", namespace, config_map),
            claims=self._claims,
            images=self._images,
            report=lambda phase, state: self._pod_changed(namespace, pod_name, name, phase, state),
            pending_seconds=self._pending_seconds,
        )
        deadline = job["spec"].get("activeDeadlineSeconds")
        if deadline is not None:
            timer = threading.Timer(deadline, self._deadline, args=(namespace, name))
            timer.daemon = True
            timer.start()

    def _find(self, kind: str, namespace: str, name: str) -> Obj | None:
        try:
            return self.store.get(kind, namespace, name)
        except ApiError:
            return None

    def _pod_changed(self, namespace: str, pod: str, job: str, phase: str, state: Obj) -> None:
        try:
            self.store.update("Pod", namespace, pod, lambda p: set_pod_status(p, phase, state))
        except ApiError:
            return  # deleted meanwhile
        if phase in ("Succeeded", "Failed"):
            reason, message = "BackoffLimitExceeded", "Job has reached the specified backoff limit"
            with contextlib.suppress(ApiError):
                self.store.update(
                    "Job", namespace, job, lambda j: finish_job(j, phase == "Succeeded", reason, message)
                )

    def _deadline(self, namespace: str, job: str) -> None:
        found = self._find("Job", namespace, job)
        if found is None or is_finished(found):
            return
        message = "Job was active longer than specified deadline"
        self.store.update("Job", namespace, job, lambda j: finish_job(j, False, "DeadlineExceeded", message))
        for pod in self._owned(namespace, found["metadata"]["uid"], "Pod"):
            self._delete_pod(namespace, pod, None)

    # Deletion and garbage collection

    def _owned(self, namespace: str, uid: str, kind: str) -> list[str]:
        return [
            obj["metadata"]["name"]
            for obj in self.store.find(kind, namespace)
            if any(ref["uid"] == uid for ref in obj["metadata"].get("ownerReferences", []))
        ]

    def delete(self, kind: str, namespace: str, name: str, propagation: str | None, grace: int | None) -> Obj:
        obj = self.store.get(kind, namespace, name)
        if kind == "Pod":
            self._delete_pod(namespace, name, grace)
        elif kind == "Job":
            self._delete_job(namespace, obj, propagation or "Orphan")  # batch/v1 Jobs orphan by default
        else:
            self.store.remove(kind, namespace, name)
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": {"name": name, "kind": kind.lower() + "s", "uid": obj["metadata"]["uid"]},
        }

    def _delete_pod(self, namespace: str, name: str, grace: int | None) -> None:
        kubelet = self.kubelets.get((namespace, name))
        pod = self._find("Pod", namespace, name)
        if pod is None or "deletionTimestamp" in pod["metadata"]:
            return
        seconds = (
            grace if grace is not None else pod["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE)
        )
        self.store.update("Pod", namespace, name, lambda p: p["metadata"].update(deletionTimestamp=now()))

        def terminate() -> None:
            if kubelet is not None:
                kubelet.delete(seconds)
            self.store.remove("Pod", namespace, name)
            self.kubelets.pop((namespace, name), None)

        threading.Thread(target=terminate, name=f"delete-{name}", daemon=True).start()

    def _delete_job(self, namespace: str, job: Obj, propagation: str) -> None:
        name, uid = job["metadata"]["name"], job["metadata"]["uid"]
        if propagation == "Orphan":
            self.store.remove("Job", namespace, name)
            return
        pods = self._owned(namespace, uid, "Pod")
        for pod in pods:
            self._delete_pod(namespace, pod, None)
        if propagation == "Background":
            self.store.remove("Job", namespace, name)
        else:
            self.store.update(
                "Job",
                namespace,
                name,
                lambda j: j["metadata"].update(deletionTimestamp=now(), finalizers=["foregroundDeletion"]),
            )

        def collect() -> None:
            with self.store.changed:
                self.store.changed.wait_for(lambda: not self._owned(namespace, uid, "Pod"), timeout=60)
            self.store.remove("Job", namespace, name)
            for kind in ("ConfigMap", "NetworkPolicy"):
                for dependent in self._owned(namespace, uid, kind):
                    self.store.remove(kind, namespace, dependent)

        threading.Thread(target=collect, name=f"gc-{name}", daemon=True).start()

    def log(self, namespace: str, pod: str, container: str | None, follow: bool) -> Iterator[bytes]:
        found = self.store.get("Pod", namespace, pod)
        kubelet = self.kubelets.get((namespace, pod))
        names = [c["name"] for c in found["spec"]["containers"]]
        if container is not None and container not in names:
            raise ApiError(400, "BadRequest", f"container {container} is not valid for pod {pod}")
        if kubelet is None or found["status"]["phase"] == "Pending":
            raise ApiError(
                400,
                "BadRequest",
                f'container "{names[0]}" in pod "{pod}" is waiting to start: ContainerCreating',
            )
        return kubelet.log.read(follow)

    def stop(self) -> None:
        """Kill whatever still runs, as if the node went away."""
        for kubelet in list(self.kubelets.values()):
            kubelet.delete(0)
