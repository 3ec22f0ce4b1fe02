"""
Who a container runs as. Never root: a worker running as a user lends the container its own uid
(it owns the job directories it creates); a worker running as root runs containers as the runner
image's user and hands the job directory to it, so Freqtrade can write its results there.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

RUNNER_USER = (1000, 1000)
"""The runner image's user (`gentrade`; `ftuser` in the official Freqtrade image)."""


def run_as(configured: tuple[int, int] | None) -> tuple[int, int]:
    if configured is not None:
        return configured
    uid = os.geteuid()
    return (uid, os.getegid()) if uid != 0 else RUNNER_USER


def hand_over(directory: Path, user: tuple[int, int]) -> None:
    """
    As root, give `directory` and everything in it that is not yet `user`'s to `user`. Symlinks
    (an earlier run may have planted some) are neither followed nor walked into: only they change hands.
    """
    if os.geteuid() != 0:
        return
    walk = os.walk(directory)
    inside = (os.path.join(root, name) for root, dirs, files in walk for name in (*dirs, *files))
    for path in itertools.chain([str(directory)], inside):
        with contextlib.suppress(FileNotFoundError):  # replaced meanwhile (the cache swaps files in)
            st = os.lstat(path)
            if (st.st_uid, st.st_gid) != user:
                os.chown(path, *user, follow_symlinks=False)
