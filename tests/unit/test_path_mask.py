"""Server paths in job texts become labels: known folders, installed packages, the standard library."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gentrade_adapters.runtime import docker_plan
from gentrade_adapters.runtime.kubernetes import plan as pod_plan
from gentrade_adapters.runtime.kubernetes import pod
from gentrade_app.path_masks import RUNTIME_PATHS, base_path_mask
from gentrade_app.settings import Settings
from gentrade_core.freqtrade.paths import DATA, IMPORT_ROOT, JOB_DIR, MARKET_DATA, PathMask

JOBS = "/home/u/.gentrade/jobs/j1"
SUT = PathMask.of({JOBS: JOB_DIR, "/home/u/.gentrade": DATA, "/home/u/market": MARKET_DATA})


def test_a_folder_and_what_lies_under_it_take_its_label() -> None:
    """The job directory reads as `.`, and a file in it as a path relative to it."""
    text = f"Using resolved strategy Foo from '{JOBS}/strategies/Foo.py' in {JOBS}"
    assert "Using resolved strategy Foo from './strategies/Foo.py' in ." == SUT.mask(text)


def test_the_longest_prefix_wins_whatever_the_order_given() -> None:
    """The job's own folder beats the data dir it lies in, however the mapping was ordered."""
    reversed_order = PathMask.of({"/home/u/.gentrade": DATA, JOBS: JOB_DIR})
    text = f"{JOBS}/config.json and /home/u/.gentrade/jobs/j2/config.json"
    expected = "./config.json and <data>/jobs/j2/config.json"
    assert (expected, expected) == (SUT.mask(text), reversed_order.mask(text))


def test_only_whole_path_components_match() -> None:
    """A sibling with a longer name, or the same names deeper in another path, stay as they are."""
    sut = PathMask.of({"/data/jobs": JOB_DIR})
    text = "/data/jobsX/a.py /srv/data/jobs/a.py rel/data/jobs/a.py /data/jobs.old"
    assert text == sut.mask(text)


def test_a_path_ending_a_sentence_keeps_its_full_stop() -> None:
    """The full stop after a path is punctuation, not part of the folder's name."""
    assert "no ETH/BTC 5m candles for binance in <market data>." == SUT.mask(
        "no ETH/BTC 5m candles for binance in /home/u/market."
    )


def test_installed_packages_become_module_paths() -> None:
    """Everything up to `site-packages/` (or Debian's `dist-packages/`) goes, whoever's venv it is."""
    text = (
        'File "/work/main/.venv/lib/python3.11/site-packages/freqtrade/main.py", line 44\n'
        "/usr/lib/python3/dist-packages/numpy/core.py:12"
    )
    assert 'File "freqtrade/main.py", line 44\nnumpy/core.py:12' == PathMask().mask(text)


def test_the_standard_library_becomes_python() -> None:
    """System, `/usr/local` and pyenv installations all read `<python>/...`."""
    text = (
        "/usr/lib/python3.11/runpy.py /usr/local/lib/python3.12/json/decoder.py "
        "/root/.pyenv/versions/3.11.7/lib/python3.11/threading.py /usr/lib64/python3.13t"
    )
    expected = "<python>/runpy.py <python>/json/decoder.py <python>/threading.py <python>"
    assert expected == PathMask().mask(text)


def test_packages_inside_a_labelled_folder_are_module_paths() -> None:
    """A venv inside the data dir: the site-packages rule explains more of the path, so it wins."""
    text = "/home/u/.gentrade/venv/lib/python3.11/site-packages/freqtrade/main.py"
    assert "freqtrade/main.py" == SUT.mask(text)


def test_an_import_root_leaves_module_paths() -> None:
    """Our own packages run from a source checkout read like installed ones."""
    sut = PathMask.of({"/work/main/src": IMPORT_ROOT})
    assert "gentrade_adapters/freqtrade/launcher.py ." == sut.mask(
        "/work/main/src/gentrade_adapters/freqtrade/launcher.py /work/main/src"
    )


def test_text_without_known_paths_is_unchanged() -> None:
    """Pairs, ratios, URLs, relative paths and unknown folders are left alone."""
    text = "ETH/BTC 5m 3/4 https://api.binance.com/api/v3 strategies/Foo.py /etc/hosts ./a /"
    assert text == SUT.mask(text)


def test_with_paths_adds_and_overrides_without_changing_the_original() -> None:
    """A job derives its mask from the base one; the base stays as it was for the next job."""
    derived = SUT.with_paths({"/home/u/market": "<candles>", "/tmp/x/": JOB_DIR})
    text = "/home/u/market/a.feather /tmp/x/b"
    assert ("<candles>/a.feather ./b", "<market data>/a.feather /tmp/x/b") == (
        derived.mask(text),
        SUT.mask(text),
    )


def test_the_root_and_relative_prefixes_are_ignored() -> None:
    """`/` would swallow every path and a relative prefix matches nothing absolute."""
    sut = PathMask.of({"/": DATA, "relative/dir": DATA, "//": DATA})
    assert ((), "/etc/hosts relative/dir") == (sut.prefixes, sut.mask("/etc/hosts relative/dir"))


_NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,7}", fullmatch=True).filter(lambda n: not n.startswith("python"))
_FOLDERS = st.lists(_NAMES, min_size=1, max_size=4).map(lambda names: "/" + "/".join(names))


@given(folder=_FOLDERS, tail=st.lists(_NAMES, max_size=3))
def test_any_path_under_a_folder_reads_relative_to_its_label(folder: str, tail: list[str]) -> None:
    """Property: `<folder>/<tail>` in a sentence becomes `<label>/<tail>` and nothing else changes."""
    rest = "".join(f"/{name}" for name in tail)
    sut = PathMask.of({folder: MARKET_DATA})
    assert f"read '{MARKET_DATA}{rest}': gone." == sut.mask(f"read '{folder}{rest}': gone.")


@given(folder=_FOLDERS, extra=st.from_regex(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,5}", fullmatch=True))
def test_a_longer_sibling_name_never_matches(folder: str, extra: str) -> None:
    """Property: `<folder><more name>` is another folder, so it is never masked."""
    text = f"see {folder}{extra}/file.py"
    assert text == PathMask.of({folder: MARKET_DATA}).mask(text)


def test_the_base_mask_labels_the_configured_folders(tmp_path: Path) -> None:
    """GenTrade's data dir is `<data>`, the local market folder `<market data>`, the sources module paths."""
    sut = base_path_mask(
        Settings(data_dir=tmp_path / "state", market_data_dir=tmp_path / "candles", runtime="local")
    )
    sources = Path(docker_plan.__file__).resolve().parents[2]
    text = f"{tmp_path}/state/jobs/j1 {tmp_path}/candles/a.feather {sources}/gentrade_adapters/x.py /job/a"
    assert "<data>/jobs/j1 <market data>/a.feather gentrade_adapters/x.py /job/a" == sut.mask(text)


def test_the_base_mask_labels_the_chosen_runtimes_container_paths(tmp_path: Path) -> None:
    """In a container the job directory and the candles are mounted at fixed paths; they read alike."""
    docker = base_path_mask(Settings(data_dir=tmp_path, runtime="docker"))
    kubernetes = base_path_mask(Settings(data_dir=tmp_path, runtime="kubernetes"))
    assert ("./a.py <market data>/b", "./a.py <market data>/b") == (
        docker.mask("/job/a.py /data/b"),
        kubernetes.mask("/gentrade/work/a.py /gentrade/data/b"),
    )


def test_the_container_paths_are_the_runtimes_own() -> None:
    """The written-out container paths are the ones the Docker and Kubernetes adapters mount."""
    assert {
        "docker": {docker_plan.JOB_DIR: JOB_DIR, docker_plan.DATA_DIR: MARKET_DATA},
        "kubernetes": {pod.POD_WORKDIR: JOB_DIR, pod_plan.POD_DATA: MARKET_DATA},
    } == RUNTIME_PATHS


def test_no_absolute_path_survives_a_typical_traceback(tmp_path: Path) -> None:
    """A Freqtrade traceback from a local run leaves no absolute path behind."""
    sut = PathMask.of({str(tmp_path / "jobs" / "j1"): JOB_DIR})
    text = (
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3.11/runpy.py", line 198, in _run_module_as_main\n'
        f'  File "{tmp_path}/.venv/lib/python3.11/site-packages/freqtrade/main.py", line 44, in main\n'
        f'  File "{tmp_path}/jobs/j1/strategies/Foo.py", line 9, in populate_indicators\n'
    )
    assert [] == re.findall(r"(?<![\w.>])/[\w.-]+/", sut.mask(text))
