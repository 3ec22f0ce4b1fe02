"""One run, decided: its name, labels, image, the launcher's arguments as the pod sees them, its inputs."""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from gentrade_adapters.runtime.kubernetes.names import label_value
from gentrade_adapters.runtime.kubernetes.options import DataVolume
from gentrade_core.ports.runtime import Limits, RunSpec, RuntimeUnavailable

POD_DATA = "/gentrade/data"
RUN_LABEL = "gentrade.run"
"""Carries the run's object name: the NetworkPolicy and the handle select the run's pods by it."""


@attrs.frozen
class RunPlan:
    name: str
    labels: Mapping[str, str]
    image: str
    launcher_args: tuple[str, ...]
    env: Mapping[str, str]
    limits: Limits
    inputs: tuple[str, ...]
    """Paths, relative to the workdir, of the files the ConfigMap carries."""
    data: DataVolume | None = None


def run_labels(labels: Mapping[str, str], name: str) -> dict[str, str]:
    return {**{key: label_value(value) for key, value in labels.items()}, RUN_LABEL: name}


def launcher_args(spec: RunSpec, data: DataVolume | None) -> tuple[str, ...]:
    """The launcher's arguments with `spec.data_dir` (and paths under it) moved to the data mount."""
    args = spec.args
    if spec.data_dir is not None:
        relative = data.relative(spec.data_dir) if data else None
        if relative is None:
            where = f"under {data.host_root!r}" if data else "in a data volume; configure one"
            raise RuntimeUnavailable(f"candle data {spec.data_dir!r} is not {where}, so pods cannot read it")
        pod_dir = os.path.normpath(os.path.join(POD_DATA, relative))
        args = tuple(_move(arg, os.path.normpath(spec.data_dir), pod_dir) for arg in args)
    markets = ("--markets", spec.markets_file) if spec.markets_file else ()
    return (*markets, "--", *args)


def _move(arg: str, host_dir: str, pod_dir: str) -> str:
    if arg == host_dir or arg.startswith(host_dir + "/"):
        return pod_dir + arg[len(host_dir) :]
    return arg
