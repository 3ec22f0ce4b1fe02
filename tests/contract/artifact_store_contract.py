"""The artifact-store contract every `ArtifactStore` adapter must pass."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import pytest

from gentrade_core.ports.storage import ArtifactNotFound, ArtifactStore


class ArtifactStoreContract(ABC):
    @abstractmethod
    def make_store(self, tmp_path: Path) -> ArtifactStore: ...

    def test_written_files_are_listed_and_read_back(self, tmp_path: Path) -> None:
        """Files, nested ones included, are listed by relative name with their size."""
        sut = self.make_store(tmp_path)
        sut.write("job1", "config.json", b"{}")
        sut.write("job1", "backtest_results/result.zip", b"zipdata")
        assert [("backtest_results/result.zip", 7), ("config.json", 2)] == [
            (a.name, a.size) for a in sut.list("job1")
        ]
        assert b"zipdata" == sut.read("job1", "backtest_results/result.zip")

    def test_append_accumulates(self, tmp_path: Path) -> None:
        """Appends build a log file line by line."""
        sut = self.make_store(tmp_path)
        sut.append("job1", "freqtrade.log", b"a\n")
        sut.append("job1", "freqtrade.log", b"b\n")
        assert b"a\nb\n" == sut.read("job1", "freqtrade.log")

    def test_read_from_an_offset_follows_a_growing_file(self, tmp_path: Path) -> None:
        """Reading from an offset returns only what was appended since."""
        sut = self.make_store(tmp_path)
        sut.append("job1", "epochs.fthypt", b"one\n")
        seen = sut.read("job1", "epochs.fthypt")
        sut.append("job1", "epochs.fthypt", b"two\n")
        assert b"two\n" == sut.read("job1", "epochs.fthypt", offset=len(seen))

    def test_jobs_are_isolated_and_delete_removes_everything(self, tmp_path: Path) -> None:
        """One job's files are invisible to another; delete removes only that job's."""
        sut = self.make_store(tmp_path)
        sut.write("job1", "a.txt", b"1")
        sut.write("job2", "b.txt", b"2")
        sut.delete("job1")
        assert [] == list(sut.list("job1"))
        assert ["b.txt"] == [a.name for a in sut.list("job2")]

    @pytest.mark.parametrize("name", ["../job2/b.txt", "/etc/passwd", "missing.txt"])
    def test_reading_outside_or_missing_is_not_found(self, tmp_path: Path, name: str) -> None:
        """Names cannot escape the job's directory; a missing file is ArtifactNotFound."""
        sut = self.make_store(tmp_path)
        sut.write("job1", "a.txt", b"1")
        sut.write("job2", "b.txt", b"2")
        with pytest.raises(ArtifactNotFound):
            sut.read("job1", name)

    def test_job_dir_is_a_real_directory(self, tmp_path: Path) -> None:
        """Runtimes run Freqtrade in the job directory, so it must exist on this machine."""
        sut = self.make_store(tmp_path)
        path = Path(sut.job_dir("job1"))
        (path / "written-by-freqtrade.json").write_text("{}")
        assert ["written-by-freqtrade.json"] == [a.name for a in sut.list("job1")]
