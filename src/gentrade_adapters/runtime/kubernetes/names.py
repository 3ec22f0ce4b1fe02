"""Kubernetes names and label values made from GenTrade's ids, which Kubernetes may not accept as they are."""

from __future__ import annotations

import hashlib
import re
import secrets

_LABEL_VALUE = re.compile(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?")
_NAME_PREFIX_CHARS = 46
"""Room for a 7-character suffix and the 6 the Job controller adds to pod names (63 in all)."""


def label_value(value: str) -> str:
    """`value` if Kubernetes accepts it as a label value, else a cleaned prefix plus a hash of it."""
    if _LABEL_VALUE.fullmatch(value):
        return value
    digest = hashlib.sha256(value.encode()).hexdigest()[:8]
    cleaned = re.sub(r"[^-A-Za-z0-9_.]+", "-", value).strip("-_.")[:54].strip("-_.")
    return f"{cleaned}-{digest}" if cleaned else digest


def object_name(base: str) -> str:
    """A fresh DNS-1123 label from `base`: a random suffix keeps a retried job clear of its last run."""
    cleaned = re.sub(r"[^a-z0-9-]+", "-", base.lower()).strip("-")[:_NAME_PREFIX_CHARS].strip("-")
    return f"{cleaned or 'gentrade'}-{secrets.token_hex(3)}"


def config_key(path: str) -> str:
    """A ConfigMap key for a relative file path (keys may not contain `/`)."""
    return re.sub(r"[^-._A-Za-z0-9]", "_", path)
