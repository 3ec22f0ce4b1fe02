"""The Kubernetes API calls the runtime makes, with the client's errors turned into the port's."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any, cast

import urllib3
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from gentrade_adapters.runtime.kubernetes.plan import RUN_LABEL
from gentrade_adapters.runtime.kubernetes.pod import CONTAINER, Manifest
from gentrade_core.ports.runtime import RuntimeUnavailable

TIMEOUT = (5.0, 30.0)
"""Connect and read timeouts of every call but the log stream, which lasts as long as the run."""
LOG_CHUNK = 64 * 1024


def _reason(e: ApiException) -> str:
    try:
        return str(json.loads(e.body or "")["message"])
    except (ValueError, KeyError, TypeError):
        return f"{e.status} {e.reason}"


class _NotFound(Exception):
    """A delete found nothing to delete, which is what it wanted."""


class KubeApi:
    def __init__(self, api_client: client.ApiClient, namespace: str) -> None:
        self.namespace = namespace
        self._host = api_client.configuration.host
        self._batch = client.BatchV1Api(api_client)
        self._core = client.CoreV1Api(api_client)
        self._net = client.NetworkingV1Api(api_client)

    @contextlib.contextmanager
    def _translated(self, action: str) -> Iterator[None]:
        try:
            yield
        except ApiException as e:
            raise RuntimeUnavailable(
                f"the Kubernetes API at {self._host} refused to {action} in namespace "
                f"{self.namespace!r}: {_reason(e)}"
            ) from e
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise RuntimeUnavailable(
                f"cannot reach the Kubernetes API at {self._host} to {action}: {e}; "
                "check the kubeconfig (or the pod's service account) and that the cluster is up"
            ) from e

    def create(self, manifest: Manifest) -> str:
        """Create the object and return its uid."""
        kind, ns = manifest["kind"], self.namespace
        body: Any = manifest  # the client sends a dict as it is
        created: Any
        with self._translated(f"create {kind} {manifest['metadata']['name']}"):
            if kind == "Job":
                created = self._batch.create_namespaced_job(ns, body, _request_timeout=TIMEOUT)
            elif kind == "ConfigMap":
                created = self._core.create_namespaced_config_map(ns, body, _request_timeout=TIMEOUT)
            else:
                created = self._net.create_namespaced_network_policy(ns, body, _request_timeout=TIMEOUT)
        return str(created.metadata.uid)

    def set_owner(self, kind: str, name: str, owner: Manifest) -> None:
        patch = {"metadata": {"ownerReferences": [owner]}}
        with self._translated(f"set the owner of {kind} {name}"):
            if kind == "ConfigMap":
                self._core.patch_namespaced_config_map(name, self.namespace, patch, _request_timeout=TIMEOUT)
            else:
                self._net.patch_namespaced_network_policy(
                    name, self.namespace, patch, _request_timeout=TIMEOUT
                )

    def delete(self, kind: str, name: str) -> None:
        """Delete if present; a Job goes in the foreground, so it is gone only once its pods are."""
        ns = self.namespace
        with self._translated(f"delete {kind} {name}"), contextlib.suppress(_NotFound):
            try:
                if kind == "Job":
                    self._batch.delete_namespaced_job(
                        name, ns, propagation_policy="Foreground", _request_timeout=TIMEOUT
                    )
                elif kind == "ConfigMap":
                    self._core.delete_namespaced_config_map(name, ns, _request_timeout=TIMEOUT)
                else:
                    self._net.delete_namespaced_network_policy(name, ns, _request_timeout=TIMEOUT)
            except ApiException as e:
                if e.status == 404:
                    raise _NotFound from e
                raise

    def pods(self, run: str) -> list[client.V1Pod]:
        with self._translated(f"list the pods of {run}"):
            found = self._core.list_namespaced_pod(
                self.namespace, label_selector=f"{RUN_LABEL}={run}", _request_timeout=TIMEOUT
            )
        return list(found.items or [])

    def pod(self, name: str) -> client.V1Pod | None:
        with self._translated(f"read pod {name}"):
            try:
                return self._core.read_namespaced_pod(name, self.namespace, _request_timeout=TIMEOUT)
            except ApiException as e:
                if e.status == 404:
                    return None
                raise

    def job_failure(self, name: str) -> str | None:
        """Why the Job failed (e.g. DeadlineExceeded), or None if it has not failed or is gone."""
        with self._translated(f"read Job {name}"):
            try:
                found = self._batch.read_namespaced_job(name, self.namespace, _request_timeout=TIMEOUT)
            except ApiException as e:
                if e.status == 404:
                    return None
                raise
        for condition in (found.status.conditions if found.status else None) or []:
            if condition.type == "Failed" and condition.status == "True":
                return f"{condition.reason}: {condition.message}"
        return None

    def log(self, pod: str) -> Iterator[bytes]:
        """The container's output from its start, as it is written, until the container ends."""
        with self._translated(f"follow the log of pod {pod}"):
            response = cast(
                urllib3.HTTPResponse,
                self._core.read_namespaced_pod_log(
                    pod, self.namespace, container=CONTAINER, follow=True, _preload_content=False
                ),
            )
            try:
                yield from response.stream(LOG_CHUNK)
            finally:
                response.release_conn()
