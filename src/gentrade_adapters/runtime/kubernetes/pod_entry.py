"""
Runs inside the pod as a script (standard library only, shipped in the ConfigMap): copy the job's
inputs into the writable workdir, run the launcher, send the result files back through the log.

The pod log is the one channel every cluster gives back without shared storage. Result files travel
as base64 lines after `FILE_MARKER`: `.fthypt` epochs while the hyperopt runs, so progress reaches the
host as it does locally, everything else once the launcher has exited. `END_MARKER` and the exit code
come last, so the host can tell complete results from a log that was cut off.
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

FILE_MARKER = "@@gentrade-file"
END_MARKER = "@@gentrade-end"
RESULT_DIRS = ("backtest_results", "hyperopt_results", "probe")
LAUNCHER = "gentrade_adapters.freqtrade.launcher"
CHUNK_BYTES = 8 * 1024
"""11 KB of base64 per line: under the 16 KB at which container runtimes split log lines."""
FOLLOWED_SUFFIX = ".fthypt"
FOLLOW_SECONDS = 1.0


class Output:
    """Whole lines to stdout from several threads, never interleaved."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        with self._lock:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()


class Shipper:
    """Sends what is new in the result files; a file is sent once even when empty."""

    def __init__(self, output: Output) -> None:
        self._output = output
        self._sent: dict[Path, int] = {}

    def ship(self, final: bool) -> None:
        for directory in RESULT_DIRS:
            root = Path(directory)
            if not root.is_dir():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
                if final or path.suffix == FOLLOWED_SUFFIX:
                    self._ship(path, whole_lines=not final)

    def _ship(self, path: Path, whole_lines: bool) -> None:
        offset = self._sent.get(path)
        with path.open("rb") as f:
            f.seek(offset or 0)
            data = f.read()
        if whole_lines:  # a half-written epoch waits for the next round
            data = data[: data.rfind(b"\n") + 1]
        if offset is not None and not data:
            return
        self._sent[path] = (offset or 0) + len(data)
        name = quote(path.as_posix())
        for start in range(0, max(len(data), 1), CHUNK_BYTES):
            chunk = base64.b64encode(data[start : start + CHUNK_BYTES]).decode()
            self._output.line(f"{FILE_MARKER} {name} {chunk}")


def copy_inputs(source: Path, target: Path) -> None:
    """Copy the mounted ConfigMap files, leaving out the kubelet's `..data` bookkeeping."""
    for entry in source.iterdir():
        if entry.name.startswith(".."):
            continue
        if entry.is_dir():
            shutil.copytree(
                entry, target / entry.name, ignore=shutil.ignore_patterns("..*"), dirs_exist_ok=True
            )
        else:
            shutil.copyfile(entry, target / entry.name)


def _follow(shipper: Shipper, done: threading.Event) -> None:
    while not done.wait(FOLLOW_SECONDS):
        shipper.ship(final=False)


def main(argv: list[str]) -> int:
    """`argv`: the inputs folder, then the launcher's own arguments."""
    # As PID 1 the default SIGTERM action is ignored; exiting ends every process in the container.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(128 + signal.SIGTERM))
    copy_inputs(Path(argv[0]), Path.cwd())
    output, done = Output(), threading.Event()
    shipper = Shipper(output)
    process = subprocess.Popen(
        [sys.executable, "-m", LAUNCHER, *argv[1:]],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    follower = threading.Thread(target=_follow, args=(shipper, done), daemon=True)
    follower.start()
    assert process.stdout is not None
    for raw in process.stdout:
        output.line(raw.decode("utf-8", "replace").rstrip("\r\n"))
    code = process.wait()
    done.set()
    follower.join()
    shipper.ship(final=True)
    output.line(f"{END_MARKER} {code}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
