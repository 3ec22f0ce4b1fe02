"""
Backtests and hyperopts as Kubernetes Jobs, one per run, through the official client.

A run is three objects sharing one name: a NetworkPolicy that cuts the pod off the network (before
anything runs), a ConfigMap with the job's inputs and `pod_entry.py`, and the Job. The ConfigMap and
the policy name the Job as their owner, so Kubernetes removes them with it when its TTL runs out.
Results come back through the pod's log (see `pod_entry.py`), so no storage is shared with the pod
but the read-only candle cache.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from kubernetes import client, config

from gentrade_adapters.runtime.kubernetes import pod_entry
from gentrade_adapters.runtime.kubernetes.api import KubeApi
from gentrade_adapters.runtime.kubernetes.handle import KubernetesRunHandle
from gentrade_adapters.runtime.kubernetes.manifests import config_map, job, network_policy, owner_reference
from gentrade_adapters.runtime.kubernetes.names import object_name
from gentrade_adapters.runtime.kubernetes.options import DataVolume, JobOptions
from gentrade_adapters.runtime.kubernetes.plan import RunPlan, launcher_args, run_labels
from gentrade_adapters.runtime.kubernetes.pod import Manifest
from gentrade_adapters.runtime.limits import fill_limits
from gentrade_core.freqtrade import layout
from gentrade_core.ports.runtime import RunSpec, Runtime, RuntimeUnavailable

CONFIG_MAP_BYTES = 1_000_000
"""Kubernetes stores an object in at most 1 MiB; this leaves room for the metadata."""
SERVICE_ACCOUNT_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"


def _inputs(workdir: Path, spec: RunSpec) -> dict[str, bytes]:
    """The files a run reads from its job directory: config, markets snapshot and strategies."""
    names = [layout.CONFIG, *([spec.markets_file] if spec.markets_file else [])]
    strategies = workdir / layout.STRATEGY_DIR
    if strategies.is_dir():
        names += sorted(
            p.relative_to(workdir).as_posix()
            for p in strategies.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )
    return {name: (workdir / name).read_bytes() for name in names if (workdir / name).is_file()}


class KubernetesRuntime(Runtime):
    def __init__(
        self,
        api_client: client.ApiClient,
        *,
        image: str,
        namespace: str = "default",
        data: DataVolume | None = None,
        options: JobOptions | None = None,
    ) -> None:
        self._api = KubeApi(api_client, namespace)
        self._image = image
        self._data = data
        self._options = options or JobOptions()

    @classmethod
    def from_environment(
        cls,
        *,
        image: str,
        kubeconfig: str | None = None,
        context: str | None = None,
        namespace: str | None = None,
        data: DataVolume | None = None,
        options: JobOptions | None = None,
    ) -> KubernetesRuntime:
        """In a pod (KUBERNETES_SERVICE_HOST, no kubeconfig given) its service account, else a kubeconfig."""
        configuration = client.Configuration()
        try:
            if kubeconfig is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
                config.load_incluster_config(client_configuration=configuration)
                with contextlib.suppress(OSError):
                    namespace = namespace or Path(SERVICE_ACCOUNT_NAMESPACE).read_text().strip()
            else:
                config.load_kube_config(kubeconfig, context, client_configuration=configuration)
                _, current = config.list_kube_config_contexts(kubeconfig)
                namespace = namespace or current.get("context", {}).get("namespace")
        except (config.ConfigException, OSError) as e:
            raise RuntimeUnavailable(
                f"no Kubernetes configuration ({e}); run in the cluster or point KUBECONFIG at a kubeconfig"
            ) from e
        return cls(
            client.ApiClient(configuration),
            image=image,
            namespace=namespace or "default",
            data=data,
            options=options,
        )

    def start(self, spec: RunSpec) -> KubernetesRunHandle:
        workdir = Path(spec.workdir)
        if not workdir.is_dir():
            raise RuntimeUnavailable(
                f"job directory {spec.workdir!r} does not exist; create it before starting"
            )
        files = _inputs(workdir, spec)
        entry = Path(pod_entry.__file__).read_text()
        size = sum(map(len, files.values())) + len(entry)
        if size > CONFIG_MAP_BYTES:
            raise RuntimeUnavailable(
                f"the inputs of {spec.name} are {size} bytes; a ConfigMap holds about 1 MB"
            )
        name = object_name(spec.name)
        plan = RunPlan(
            name=name,
            labels=run_labels(spec.labels, name),
            image=self._image,
            launcher_args=launcher_args(spec, self._data),
            env=dict(spec.env),
            limits=fill_limits(spec, self._options.default_limits),
            inputs=tuple(files),
            data=self._data,
        )
        manifests = [] if spec.network else [network_policy(plan)]
        manifests += [config_map(plan, files, entry), job(plan, self._options)]
        self._create(name, manifests)
        return KubernetesRunHandle(self._api, name, workdir, self._options)

    def _create(self, name: str, manifests: list[Manifest]) -> None:
        """Create in order (the policy first: no moment without it), or remove what was made and raise."""
        created: list[str] = []
        uid = ""
        try:
            for manifest in manifests:
                uid = self._api.create(manifest)
                created.append(manifest["kind"])
            for kind in created[:-1]:
                self._api.set_owner(kind, name, owner_reference(name, uid))
        except RuntimeUnavailable:
            for kind in reversed(created):
                with contextlib.suppress(RuntimeUnavailable):
                    self._api.delete(kind, name)
            raise
