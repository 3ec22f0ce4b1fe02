"""
How a `RunSpec` becomes a locked-down container: pure functions, so the choices are easy to read.

Inside, the job directory is `/job` (the cwd) and the shared candle cache `/data`, read-only; args
that start with either host path are rewritten. The root filesystem is read-only, scratch lives in
tmpfs (`/tmp` and `$HOME`), every capability is dropped and privileges cannot be regained.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gentrade_adapters.runtime.limits import fill_limits
from gentrade_core.ports.runtime import Limits, RunSpec

JOB_DIR = "/job"
DATA_DIR = "/data"
HOME_DIR = "/home/runner"
"""Not the image user's home: the official Freqtrade image keeps its packages under /home/ftuser."""
TMPFS_OPTIONS = "rw,noexec,nosuid,nodev,mode=1777"
SCRATCH = {"/tmp": f"{TMPFS_OPTIONS},size=512m", HOME_DIR: f"{TMPFS_OPTIONS},size=64m"}
LAUNCHER = "gentrade_adapters.freqtrade.launcher"
FALLBACK_KIND = "backtest"
"""Whose limits a run without a kind label gets."""
LOG_OPTIONS = ("max-size=20m", "max-file=3")
"""json-file with rotation: `docker logs` can always read it, and a chatty strategy cannot fill the disk."""


def container_name(name: str) -> str:
    """`name` made a valid container name: two or more of [a-zA-Z0-9_.-], not starting with [_.-]."""
    cleaned = re.sub(r"[^a-zA-Z0-9_.-]", "-", name).lstrip("_.-")
    return cleaned if len(cleaned) > 1 else f"gentrade-{cleaned or 'run'}"


def limits_for(spec: RunSpec, defaults: Mapping[str, Limits]) -> Limits:
    """`fill_limits`, a run of no (or an unknown) kind counting as a backtest: no container goes unlimited."""
    return fill_limits(spec, defaults, FALLBACK_KIND)


def remap(args: Sequence[str], prefixes: Mapping[str, str]) -> tuple[str, ...]:
    """Rewrite args that are, or lie under, a host path to the container path it is mounted at."""
    ordered = sorted(prefixes.items(), key=lambda item: len(item[0]), reverse=True)

    def one(arg: str) -> str:
        for host, inside in ordered:
            if arg == host or arg.startswith(host.rstrip("/") + "/"):
                return inside + arg[len(host.rstrip("/")) :]
        return arg

    return tuple(one(arg) for arg in args)


def launcher_command(spec: RunSpec) -> tuple[str, ...]:
    """Freqtrade through the launcher, with the markets snapshot when the spec has one."""
    markets = ("--markets", spec.markets_file) if spec.markets_file else ()
    return ("python", "-m", LAUNCHER, *markets, "--", *spec.args)


def _bind(host: str, inside: str) -> list[str]:
    return ["type=bind", f"source={os.path.abspath(host)}", f"target={inside}"]


def create_options(
    spec: RunSpec,
    command: Sequence[str],
    *,
    user: tuple[int, int],
    limits: Limits,
    online_network: str | None,
) -> dict[str, Any]:
    """Keyword arguments of python-on-whales' `container.create` (everything but the image)."""
    # Args may name a mounted path as given or in its absolute form; a bind mount needs the latter.
    mounts = [_bind(spec.workdir, JOB_DIR)]
    prefixes = {spec.workdir: JOB_DIR, os.path.abspath(spec.workdir): JOB_DIR}
    if spec.data_dir is not None:
        mounts.append([*_bind(spec.data_dir, DATA_DIR), "readonly"])
        prefixes |= {spec.data_dir: DATA_DIR, os.path.abspath(spec.data_dir): DATA_DIR}
    executable, *rest = remap(command, prefixes)
    offline = ["none"]
    online = [online_network] if online_network else []  # [] is the daemon's default network
    return {
        "entrypoint": executable,
        "command": rest,
        "name": container_name(spec.name),
        "labels": dict(spec.labels),
        "envs": {**spec.env, "HOME": HOME_DIR, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        "workdir": JOB_DIR,
        "mounts": mounts,
        "networks": online if spec.network else offline,
        "read_only": True,
        "tmpfs": [f"{path}:{options}" for path, options in SCRATCH.items()],
        "cap_drop": ["ALL"],
        "security_options": ["no-new-privileges"],
        "user": f"{user[0]}:{user[1]}",
        "init": True,
        "cpus": limits.cpus,
        "memory": f"{limits.memory_mb}m" if limits.memory_mb is not None else None,
        "pids_limit": limits.pids,
        "log_driver": "json-file",
        "log_options": list(LOG_OPTIONS),
        "pull": "never",
    }
