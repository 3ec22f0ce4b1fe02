"""The fake API server's objects, kept as the JSON dicts the real one stores, plus a record of changes."""

from __future__ import annotations

import copy
import itertools
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

Obj = dict[str, Any]


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ApiError(Exception):
    """Answered as a `Status` with this HTTP code and reason, as the real server does."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message

    def status(self) -> Obj:
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }


class ObjectStore:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._objects: dict[tuple[str, str, str], Obj] = {}
        self._versions = itertools.count(1)
        self.history: list[tuple[str, str, str]] = []
        """(verb, kind, name) of every create and delete, in order."""

    def add(self, kind: str, namespace: str, obj: Obj) -> Obj:
        with self.lock:
            meta = obj.setdefault("metadata", {})
            key = (kind, namespace, meta["name"])
            if key in self._objects:
                raise ApiError(409, "AlreadyExists", f'{kind} "{meta["name"]}" already exists')
            meta.update(namespace=namespace, uid=str(uuid.uuid4()), creationTimestamp=now())
            meta["resourceVersion"] = str(next(self._versions))
            self._objects[key] = obj
            self.history.append(("create", kind, meta["name"]))
            self.changed.notify_all()
            return copy.deepcopy(obj)

    def get(self, kind: str, namespace: str, name: str) -> Obj:
        with self.lock:
            found = self._objects.get((kind, namespace, name))
            if found is None:
                raise ApiError(404, "NotFound", f'{kind} "{name}" not found')
            return copy.deepcopy(found)

    def find(self, kind: str, namespace: str, labels: Mapping[str, str] | None = None) -> list[Obj]:
        with self.lock:
            wanted = (labels or {}).items()
            return [
                copy.deepcopy(obj)
                for (k, ns, _), obj in self._objects.items()
                if k == kind and ns == namespace and wanted <= obj["metadata"].get("labels", {}).items()
            ]

    def update(self, kind: str, namespace: str, name: str, change: Callable[[Obj], None]) -> Obj:
        with self.lock:
            obj = self._objects.get((kind, namespace, name))
            if obj is None:
                raise ApiError(404, "NotFound", f'{kind} "{name}" not found')
            change(obj)
            obj["metadata"]["resourceVersion"] = str(next(self._versions))
            self.changed.notify_all()
            return copy.deepcopy(obj)

    def remove(self, kind: str, namespace: str, name: str) -> None:
        with self.lock:
            if self._objects.pop((kind, namespace, name), None) is not None:
                self.history.append(("delete", kind, name))
                self.changed.notify_all()

    def all(self) -> list[tuple[str, str]]:
        """(kind, name) of every object stored now."""
        with self.lock:
            return [(kind, name) for kind, _, name in self._objects]
