"""The Kubernetes runtime: backtests and hyperopts as `batch/v1` Jobs cut off from the network."""

from gentrade_adapters.runtime.kubernetes.options import DataVolume, JobOptions
from gentrade_adapters.runtime.kubernetes.runtime import KubernetesRuntime

__all__ = ["DataVolume", "JobOptions", "KubernetesRuntime"]
