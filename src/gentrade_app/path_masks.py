"""
The server's folders, as the labels jobs show instead of them (part of the composition root).

Each job adds its own directory and candle folder to this base (see `JobRunner`); here are the
folders every job shares: the configured ones, where our own packages are imported from, and where
the chosen runtime mounts the job directory and the candles inside its container.
"""

from __future__ import annotations

from pathlib import Path

import gentrade_adapters
from gentrade_app.settings import Settings
from gentrade_core.freqtrade.paths import DATA, IMPORT_ROOT, JOB_DIR, MARKET_DATA, PathMask

RUNTIME_PATHS: dict[str, dict[str, str]] = {
    "docker": {"/job": JOB_DIR, "/data": MARKET_DATA},
    "kubernetes": {"/gentrade/work": JOB_DIR, "/gentrade/data": MARKET_DATA},
}
"""
Inside the container: `docker_plan.JOB_DIR`/`DATA_DIR` and the pod's `POD_WORKDIR`/`POD_DATA`
(a unit test keeps them equal). Written out so that choosing a mask never imports a runtime.
"""


def base_path_mask(settings: Settings) -> PathMask:
    """The mask for `settings`; a configured folder wins over a container path that spells the same."""
    sources = Path(gentrade_adapters.__file__).resolve().parents[1]  # `src/` in a checkout
    paths = {**RUNTIME_PATHS.get(settings.effective_runtime, {}), str(sources): IMPORT_ROOT}
    paths[str(settings.data_dir)] = DATA
    if settings.market_data_dir is not None:
        paths[str(settings.market_data_dir)] = MARKET_DATA
    return PathMask.of(paths)
