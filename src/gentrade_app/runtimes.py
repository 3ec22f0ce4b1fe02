"""Choosing where Freqtrade runs (part of the composition root; imports only the chosen adapter)."""

from __future__ import annotations

from pathlib import Path

from gentrade_adapters.marketdata.downloader import FreqtradeDownloader
from gentrade_adapters.runtime.lazy import LazyRuntime
from gentrade_adapters.runtime.local import LocalRuntime
from gentrade_app.settings import Settings
from gentrade_core.ports.runtime import Runtime


def build_runtime(settings: Settings, cache_root: Path) -> tuple[Runtime, FreqtradeDownloader]:
    """
    The runtime for backtests and hyperopts, and the downloader for `download-data`: in Docker,
    downloads get a container of their own with the network on and only the candle cache mounted.
    """
    kind = settings.effective_runtime
    if kind == "docker":
        from gentrade_adapters.runtime.command_runner import RuntimeCommandRunner
        from gentrade_adapters.runtime.docker import DockerRuntime

        docker = DockerRuntime(settings.runner_image, online_network=settings.docker_network)
        return docker, FreqtradeDownloader(runner=RuntimeCommandRunner(docker, cache_root))
    if kind == "kubernetes":
        return LazyRuntime(lambda: _kubernetes(settings, cache_root)), FreqtradeDownloader()
    return LocalRuntime(), FreqtradeDownloader()


def _kubernetes(settings: Settings, cache_root: Path) -> Runtime:
    from gentrade_adapters.runtime.kubernetes import DataVolume, JobOptions, KubernetesRuntime

    claim, host_path = settings.k8s_data_claim, settings.k8s_data_host_path
    data = (
        DataVolume(host_root=str(cache_root), claim_name=claim, host_path=host_path)
        if claim or host_path
        else None
    )
    return KubernetesRuntime.from_environment(
        image=settings.runner_image,
        kubeconfig=settings.k8s_kubeconfig,
        context=settings.k8s_context,
        namespace=settings.k8s_namespace,
        data=data,
        options=JobOptions(
            active_deadline_seconds=int(settings.job_deadline_seconds) + 600,
            ttl_seconds_after_finished=settings.k8s_ttl_seconds,
            run_as_user=settings.k8s_run_as_user,
        ),
    )
