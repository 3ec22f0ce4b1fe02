"""
The fake kubelet's volumes: each pod volume becomes a host folder, and since there is no mount
namespace, paths under a `mountPath` in the container's command, env and workingDir are rewritten
to that folder. ConfigMaps are laid out as the kubelet does (`..data` symlinks, read-only files).
"""

from __future__ import annotations

import base64
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from tests.k8s_fake.store import Obj


class VolumeNotReady(Exception):
    """The pod stays Pending: its ConfigMap or claim is not there (yet)."""


def _config_map_files(config_map: Obj, items: list[Obj] | None) -> dict[str, bytes]:
    content = {key: value.encode() for key, value in config_map.get("data", {}).items()}
    content |= {key: base64.b64decode(value) for key, value in config_map.get("binaryData", {}).items()}
    if items is None:
        return content
    missing = [item["key"] for item in items if item["key"] not in content]
    if missing:
        raise VolumeNotReady(f"configmap {config_map['metadata']['name']} has no key(s) {missing}")
    return {item["path"]: content[item["key"]] for item in items}


def write_config_map(target: Path, files: Mapping[str, bytes]) -> None:
    """The kubelet's atomic-writer layout: `..<timestamp>/` with the files, `..data` -> it, and a
    symlink per top-level entry through `..data`, everything read-only."""
    payload = target / "..2026_01_01_00_00_00.000000000"
    for path, data in files.items():
        (payload / path).parent.mkdir(parents=True, exist_ok=True)
        (payload / path).write_bytes(data)
    (target / "..data").symlink_to(payload.name)
    for top in {path.split("/")[0] for path in files}:
        (target / top).symlink_to(f"..data/{top}")
    for directory, _, names in os.walk(payload, topdown=False):
        for name in names:
            os.chmod(os.path.join(directory, name), 0o444)
        os.chmod(directory, 0o555)
    os.chmod(target, 0o555)


def remove_tree(root: Path) -> None:
    """rmtree that first makes read-only folders (ConfigMap volumes) writable again."""
    if root.exists():
        for directory, _, _ in os.walk(root):
            os.chmod(directory, stat.S_IRWXU)
        shutil.rmtree(root)


def host_folders(
    pod: Obj, scratch: Path, config_maps: Callable[[str], Obj | None], claims: Mapping[str, str]
) -> dict[str, str]:
    """Volume name -> host folder; raises VolumeNotReady while something the pod needs is missing."""
    folders: dict[str, str] = {}
    for volume in pod["spec"].get("volumes", []):
        name = volume["name"]
        if "configMap" in volume:
            source = volume["configMap"]
            found = config_maps(source["name"])
            if found is None:
                raise VolumeNotReady(f'configmap "{source["name"]}" not found')
            folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=scratch))
            write_config_map(folder, _config_map_files(found, source.get("items")))
        elif "emptyDir" in volume:
            folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=scratch))
        elif "persistentVolumeClaim" in volume:
            claim = volume["persistentVolumeClaim"]["claimName"]
            if claim not in claims:
                raise VolumeNotReady(f'persistentvolumeclaim "{claim}" not found')
            folder = Path(claims[claim])
        elif "hostPath" in volume:
            folder = Path(volume["hostPath"]["path"])
        else:
            raise VolumeNotReady(f"volume {name}: the fake kubelet knows no such volume type")
        folders[name] = str(folder)
    return folders


def path_mapper(container: Obj, folders: Mapping[str, str]) -> Callable[[str], str]:
    """Rewrites a container path under one of its mounts to the host folder behind it."""
    mounts = sorted(
        ((m["mountPath"].rstrip("/"), folders[m["name"]]) for m in container.get("volumeMounts", [])),
        key=lambda mount: -len(mount[0]),
    )

    def to_host(value: str) -> str:
        for mount_path, folder in mounts:
            if value == mount_path or value.startswith(mount_path + "/"):
                return folder + value[len(mount_path) :]
        return value

    return to_host
