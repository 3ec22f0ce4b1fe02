"""
Importing a Freqtrade folder: one strategy per class, parameter files kept, idempotent re-imports,
and the reasons a file or class is refused; then reading folders and zip uploads into source files.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest

from gentrade_adapters.files.artifacts import FilesystemArtifactStore
from gentrade_adapters.files.workspaces import FilesystemWorkspaceStore
from gentrade_adapters.memory import InMemoryStore, InMemoryUnitOfWork
from gentrade_app import strategy_sources
from gentrade_app.strategy_sources import read_folder, read_zip
from gentrade_core.domain.job import JobKind
from gentrade_core.domain.principal import Principal
from gentrade_core.errors import TooLarge, ValidationFailed
from gentrade_core.freqtrade.screen import ScreenPolicy
from gentrade_core.usecases.strategies import Strategies
from gentrade_core.usecases.strategy_import import ImportOutcome, ImportStatus, SourceFile, StrategyImport
from tests.fakes import FakeQueue, SequentialIds, TickingClock

ALICE, BOB = Principal("alice"), Principal("bob")
CORPUS = Path(__file__).parent.parent / "corpus" / "strategies"
STORED, UNCHANGED, REFUSED = ImportStatus.STORED, ImportStatus.UNCHANGED, ImportStatus.REFUSED

HYPEROPT_LOSS = b"""from freqtrade.optimize.hyperopt import IHyperOptLoss


class ShortTradeDurHyperOptLoss(IHyperOptLoss):
    @staticmethod
    def hyperopt_loss_function(results, trade_count, *args, **kwargs) -> float:
        return -trade_count
"""
NOTEBOOK = b"""# %%
import pandas as pd

df = pd.read_feather("user_data/data/binance/ETH_BTC-5m.feather")
df.describe()
"""
BANDS_PARAMETERS = {
    "strategy_name": "BandsHyperopt",
    "params": {
        "buy": {"buy_rsi": 25, "buy_bb_factor": 0.97, "buy_rsi_enabled": False},
        "sell": {"sell_rsi": 75},
        "roi": {"0": 0.04, "120": 0.01},
        "stoploss": {"stoploss": -0.08},
    },
    "ft_stratparam_v": 1,
    "export_time": "2026-11-30 10:00:00.000000+00:00",
}


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def user_data(changes: dict[str, bytes | None] | None = None) -> dict[str, bytes]:
    """
    A Freqtrade `user_data` folder by path: three strategy files (one with two classes, one with its
    parameter file), a package marker, a hyperopt loss, a notebook export and the config. `changes`
    replace files by their name under `strategies/` (None removes one).
    """
    files = {
        "user_data/config.json": b'{"stake_currency": "BTC"}',
        "user_data/hyperopts/short_trade_loss.py": HYPEROPT_LOSS,
        "user_data/notebooks/explore.py": NOTEBOOK,
        "user_data/strategies/__init__.py": b"",
        "user_data/strategies/exit_guard.py": corpus("exit_guard.py"),
        "user_data/strategies/hyperoptable.py": corpus("hyperoptable.py"),
        "user_data/strategies/hyperoptable.json": json.dumps(BANDS_PARAMETERS).encode(),
        "user_data/strategies/two_strategies.py": corpus("two_strategies.py"),
    }
    for name, content in (changes or {}).items():
        path = f"user_data/strategies/{name}"
        if content is None:
            files.pop(path)
        else:
            files[path] = content
    return files


def source(files: dict[str, bytes]) -> list[SourceFile]:
    return [SourceFile(path, content) for path, content in files.items()]


Row = tuple[str, str | None, ImportStatus, int | None, bool]


def row(o: ImportOutcome) -> Row:
    return (o.file, o.strategy, o.status, o.version, o.parameters)


def summary(outcomes: list[ImportOutcome]) -> list[Row]:
    return [row(o) for o in outcomes]


class World:
    def __init__(self, tmp_path: Path) -> None:
        store = InMemoryStore()
        self.queue = FakeQueue()
        self.strategies = Strategies(
            lambda: InMemoryUnitOfWork(store),
            TickingClock(),
            SequentialIds(),
            FilesystemWorkspaceStore(tmp_path / "ws"),
            self.queue,
            FilesystemArtifactStore(tmp_path / "jobs"),
            ScreenPolicy(max_bytes=20_000),
        )
        self.sut = StrategyImport(self.strategies)

    def run(self, files: dict[str, bytes], principal: Principal = ALICE) -> list[ImportOutcome]:
        return self.sut.run(principal, source(files))

    def stored(self, principal: Principal = ALICE) -> dict[str, list[int]]:
        """Each strategy's version numbers by name."""
        items = self.strategies.list(principal, limit=100).items
        return {s.name: [v.number for v in s.versions] for s in items}

    def checks(self) -> int:
        return sum(1 for kind, _ in self.queue.sent if kind is JobKind.CHECK)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_every_strategy_class_is_stored_and_the_rest_of_user_data_is_ignored(world: World) -> None:
    """One outcome per class under strategies/, in file order; loss, notebook and __init__ are skipped."""
    outcomes = world.run(user_data())
    expected = [
        ("user_data/strategies/exit_guard.py", "StochGuard", STORED, 1, False),
        ("user_data/strategies/hyperoptable.py", "BandsHyperopt", STORED, 1, True),
        ("user_data/strategies/two_strategies.py", "RsiDip", STORED, 1, False),
        ("user_data/strategies/two_strategies.py", "MacdCross", STORED, 1, False),
    ]
    assert expected == summary(outcomes)
    assert {"StochGuard": [1], "BandsHyperopt": [1], "RsiDip": [1], "MacdCross": [1]} == world.stored()
    found = [world.strategies.find(ALICE, o.strategy or "") for o in outcomes]
    assert [s.id if s else None for s in found] == [o.strategy_id for o in outcomes]
    assert 4 == world.checks()


def test_a_two_class_file_is_stored_as_two_strategies_each_without_the_other(world: World) -> None:
    """Each piece of a split file keeps the shared helper and drops the other class."""
    world.run(user_data())
    rsi = world.strategies.find(ALICE, "RsiDip")
    macd = world.strategies.find(ALICE, "MacdCross")
    assert rsi is not None and macd is not None
    assert ("class RsiDip(" in rsi.current.code, "class MacdCross(" in rsi.current.code) == (True, False)
    assert ("class RsiDip(" in macd.current.code, "class MacdCross(" in macd.current.code) == (False, True)
    assert "def volume_ok" in rsi.current.code and "def volume_ok" in macd.current.code


def test_the_parameter_file_is_kept_with_the_class_it_names(world: World) -> None:
    """The whole parameter file, as Freqtrade wrote it, becomes the version's parameters."""
    world.run(user_data())
    bands = world.strategies.find(ALICE, "BandsHyperopt")
    guard = world.strategies.find(ALICE, "StochGuard")
    assert bands is not None and guard is not None
    assert (BANDS_PARAMETERS, None) == (bands.current.parameters, guard.current.parameters)


def test_importing_the_same_folder_again_stores_nothing(world: World) -> None:
    """Every class is unchanged with its current version; no version and no check job is added."""
    first = world.run(user_data())
    second = world.run(user_data())
    assert [(o.file, o.strategy, UNCHANGED, 1, o.parameters) for o in first] == summary(second)
    assert [o.strategy_id for o in first] == [o.strategy_id for o in second]
    assert {"StochGuard": [1], "BandsHyperopt": [1], "RsiDip": [1], "MacdCross": [1]} == world.stored()
    assert 4 == world.checks()


def test_a_changed_class_gets_version_two_and_its_file_neighbour_stays(world: World) -> None:
    """Editing one class of a two-class file adds a version to that class only."""
    world.run(user_data())
    edited = corpus("two_strategies.py").replace(b'minimal_roi = {"0": 0.04}', b'minimal_roi = {"0": 0.05}')
    assert edited != corpus("two_strategies.py")
    outcomes = world.run(user_data({"two_strategies.py": edited}))
    assert [UNCHANGED, UNCHANGED, UNCHANGED, STORED] == [o.status for o in outcomes]
    assert ("MacdCross", 2) == (outcomes[3].strategy, outcomes[3].version)
    assert {"StochGuard": [1], "BandsHyperopt": [1], "RsiDip": [1], "MacdCross": [1, 2]} == world.stored()
    assert 5 == world.checks()


def test_a_changed_parameter_file_alone_gets_a_new_version(world: World) -> None:
    """New hyperopt results for the same code are a new version holding the new parameters."""
    world.run(user_data())
    tuned = BANDS_PARAMETERS | {"params": {"buy": {"buy_rsi": 33}}}
    outcomes = world.run(user_data({"hyperoptable.json": json.dumps(tuned).encode()}))
    assert ("user_data/strategies/hyperoptable.py", "BandsHyperopt", STORED, 2, True) == row(outcomes[1])
    bands = world.strategies.find(ALICE, "BandsHyperopt")
    assert bands is not None
    assert [BANDS_PARAMETERS, tuned] == [v.parameters for v in bands.versions]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            json.dumps(BANDS_PARAMETERS | {"strategy_name": "OtherStrategy"}).encode(),
            "holds parameters of 'OtherStrategy', which user_data/strategies/hyperoptable.py does not define",
        ),
        (b'{"strategy_name": "BandsHyperopt", "params": ', "is not valid JSON"),
        (b'{"buy_rsi": 25}', "is not a Freqtrade parameter file"),
        (b'["strategy_name", "params"]', "is not a Freqtrade parameter file"),
        (b"\xff\xfe{}", "is not valid JSON"),
    ],
    ids=["names-another-class", "invalid-json", "not-a-parameter-file", "a-list", "not-utf8"],
)
def test_a_parameter_file_that_cannot_be_kept_is_reported_and_the_class_still_stored(
    world: World, content: bytes, reason: str
) -> None:
    """The file gets a refused outcome saying the json is not kept; the class is stored without it."""
    outcomes = world.run(user_data({"hyperoptable.json": content}))
    refused, bands = [o for o in outcomes if o.file == "user_data/strategies/hyperoptable.py"]
    assert ("user_data/strategies/hyperoptable.py", None, REFUSED, None, False) == row(refused)
    assert 1 == len(refused.reasons)
    assert refused.reasons[0].startswith("user_data/strategies/hyperoptable.json ")
    assert reason in refused.reasons[0] and refused.reasons[0].endswith("; not kept")
    assert ("user_data/strategies/hyperoptable.py", "BandsHyperopt", STORED, 1, False) == row(bands)
    stored = world.strategies.find(ALICE, "BandsHyperopt")
    assert stored is not None and stored.current.parameters is None


def test_a_parameter_file_of_a_two_class_file_goes_with_the_class_it_names(world: World) -> None:
    """`two_strategies.json` naming MacdCross gives MacdCross its parameters and RsiDip none."""
    params = {"strategy_name": "MacdCross", "params": {"roi": {"0": 0.1}}}
    outcomes = world.run(user_data({"two_strategies.json": json.dumps(params).encode()}))
    assert [("RsiDip", False), ("MacdCross", True)] == [(o.strategy, o.parameters) for o in outcomes[2:]]
    macd = world.strategies.find(ALICE, "MacdCross")
    assert macd is not None and params == macd.current.parameters


def test_a_class_defined_by_an_earlier_file_is_refused_naming_that_file(world: World) -> None:
    """The first file (in path order) wins; the second's class is refused and nothing else changes."""
    files = user_data() | {"user_data/strategies/zz_copy.py": corpus("exit_guard.py")}
    outcomes = world.run(files)
    last = outcomes[-1]
    assert ("user_data/strategies/zz_copy.py", "StochGuard", REFUSED, None, None) == (
        last.file,
        last.strategy,
        last.status,
        last.strategy_id,
        last.version,
    )
    assert (
        "class StochGuard is also defined in user_data/strategies/exit_guard.py, imported first",
    ) == last.reasons
    assert [1] == world.stored()["StochGuard"]


def test_a_class_the_screen_refuses_is_refused_with_the_screens_findings(world: World) -> None:
    """The screen's findings, line numbers included, are the reasons; nothing is stored for it."""
    outcomes = world.run(user_data({"exit_guard.py": b"import os\n" + corpus("exit_guard.py")}))
    assert ("user_data/strategies/exit_guard.py", "StochGuard", REFUSED, None, False) == row(outcomes[0])
    assert ("code (line 1): import of 'os' is not allowed: it reads and writes files",) == outcomes[0].reasons
    assert [STORED, STORED, STORED] == [o.status for o in outcomes[1:]]
    assert "StochGuard" not in world.stored()
    assert 3 == world.checks()


def test_a_class_line_freqtrade_cannot_find_is_refused(world: World) -> None:
    """The corpus's odd spacing: the screen refuses the class Freqtrade's resolver would never find."""
    outcomes = world.run({"strategies/odd_spacing.py": corpus("odd_spacing.py")})
    assert [("strategies/odd_spacing.py", "SpacedOut", REFUSED, None, False)] == summary(outcomes)
    assert any("class SpacedOut(" in r for r in outcomes[0].reasons)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfeclass A(IStrategy): pass\n", "is not UTF-8 text"),
        (b"def broken(:\n", "code (line 1): is not valid Python: invalid syntax"),
        (b"def helper():\n    return 1\n", "has no class deriving from IStrategy"),
    ],
    ids=["not-utf8", "syntax-error", "no-strategy-class"],
)
def test_a_file_no_class_can_be_read_from_is_refused_as_a_file(
    world: World, content: bytes, reason: str
) -> None:
    """One refused outcome for the file, with no strategy; the other files are still stored."""
    outcomes = world.run(user_data({"broken.py": content}))
    broken = [o for o in outcomes if o.file == "user_data/strategies/broken.py"]
    assert [("user_data/strategies/broken.py", None, REFUSED, None, False)] == summary(broken)
    assert (reason,) == broken[0].reasons
    assert 4 == len(world.stored())


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"user_data/config.json": b"{}", "user_data/strategies/BandsHyperopt.json": b"{}"},
        {"user_data/strategies/__init__.py": b""},
        {
            "user_data/strategies/__init__.py": b"",
            "user_data/hyperopts/short_trade_loss.py": HYPEROPT_LOSS,
            "user_data/notebooks/explore.py": NOTEBOOK,
        },
    ],
    ids=["empty", "json-only", "init-only", "strategies-folder-without-strategies"],
)
def test_no_python_files_is_a_validation_error_on_files(world: World, files: dict[str, bytes]) -> None:
    """Nothing to import is the caller's mistake, named on the field `files`."""
    with pytest.raises(ValidationFailed) as e:
        world.run(files)
    assert ["files"] == [f.field for f in e.value.findings]
    assert {} == world.stored()


def test_a_file_over_the_code_size_limit_is_refused_before_it_is_parsed(world: World) -> None:
    """The screen's size limit applies to the whole file first: its syntax error is never reached."""
    oversized = b"def broken(:\n" + b"#" * 20_000
    outcomes = world.run(user_data({"big.py": oversized}))
    big = [o for o in outcomes if o.file == "user_data/strategies/big.py"]
    assert [("user_data/strategies/big.py", None, REFUSED, None, False)] == summary(big)
    assert (f"code: is {len(oversized)} bytes; the limit is 20000",) == big[0].reasons
    assert 4 == len(world.stored())


def test_without_a_strategies_folder_every_python_file_counts(world: World) -> None:
    """A plain folder of strategy files (no user_data layout) is imported as it is."""
    files = {"exit_guard.py": corpus("exit_guard.py"), "lib/hyperoptable.py": corpus("hyperoptable.py")}
    outcomes = world.run(files)
    assert [
        ("exit_guard.py", "StochGuard", STORED, 1, False),
        ("lib/hyperoptable.py", "BandsHyperopt", STORED, 1, False),
    ] == summary(outcomes)


def test_the_same_folder_is_stored_again_for_another_user(world: World) -> None:
    """Unchanged is judged against the importing user's own strategies."""
    world.run(user_data())
    outcomes = world.run(user_data(), principal=BOB)
    assert [STORED] * 4 == [o.status for o in outcomes]
    assert world.stored(ALICE).keys() == world.stored(BOB).keys()


# --- reading folders and zip archives -------------------------------------------------------------


def zip_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def paths(files: list[SourceFile]) -> list[str]:
    return [f.path for f in files]


def test_a_zipped_user_data_keeps_its_nesting_and_only_py_and_json_files() -> None:
    """Paths stay as in the archive; candles, logs, compiled files and hidden or cache folders are skipped."""
    entries = {
        "my-bot/user_data/config.json": b"{}",
        "my-bot/user_data/strategies/exit_guard.py": corpus("exit_guard.py"),
        "my-bot/user_data/strategies/hyperoptable.json": b"{}",
        "my-bot/user_data/strategies/__pycache__/exit_guard.py": b"stale",
        "my-bot/user_data/strategies/__pycache__/exit_guard.cpython-312.pyc": b"\x00",
        "my-bot/user_data/data/binance/ETH_BTC-5m.feather": b"\x00",
        "my-bot/user_data/logs/freqtrade.log": b"log",
        "my-bot/.git/hooks/pre-commit.py": b"x",
        "my-bot/.venv/lib/site.py": b"x",
        "my-bot/node_modules/x/index.json": b"{}",
        "my-bot/README.md": b"# bot",
    }
    files = read_zip(zip_of(entries))
    assert [
        "my-bot/user_data/config.json",
        "my-bot/user_data/strategies/exit_guard.py",
        "my-bot/user_data/strategies/hyperoptable.json",
    ] == paths(files)
    assert corpus("exit_guard.py") == files[1].content


def test_a_zip_with_folder_entries_and_stored_entries_reads_the_same() -> None:
    """Directory entries are not files, and uncompressed archives read like deflated ones."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.mkdir("user_data/")
        archive.mkdir("user_data/strategies/")
        archive.writestr("user_data/strategies/a.py", b"a = 1\n")
    assert [SourceFile("user_data/strategies/a.py", b"a = 1\n")] == read_zip(buffer.getvalue())


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("/abs/strategies/a.py", "abs/strategies/a.py"),
        ("../../strategies/a.py", "strategies/a.py"),
        ("strategies/../../../etc/a.py", "strategies/etc/a.py"),
        ("./strategies/./a.py", "strategies/a.py"),
        ("user_data\\strategies\\a.py", "user_data/strategies/a.py"),
        ("//server/share/a.py", "server/share/a.py"),
    ],
)
def test_entry_names_are_cleaned_into_relative_paths(name: str, cleaned: str) -> None:
    """No absolute paths, no `..` or `.` parts, `/` separators: names only label the files."""
    assert [cleaned] == paths(read_zip(zip_of({name: b"a = 1\n"})))


@pytest.mark.parametrize("name", ["..", ".", "../", "/"])
def test_an_entry_whose_name_cleans_to_nothing_is_skipped(name: str) -> None:
    """A crafted entry named only `..` or `.` is not a file to read, and not a server error."""
    entries = [zipfile.ZipInfo(name), zipfile.ZipInfo("strategies/a.py")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry in entries:
            archive.writestr(entry, b"a = 1\n")
    assert ["strategies/a.py"] == paths(read_zip(buffer.getvalue()))


def test_macos_archive_metadata_is_skipped() -> None:
    """Finder's "Compress" adds `__MACOSX/` AppleDouble twins (`._name.py`), which are not strategies."""
    entries = {
        "user_data/strategies/exit_guard.py": b"a = 1\n",
        "__MACOSX/user_data/strategies/._exit_guard.py": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
        "user_data/strategies/._exit_guard.py": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
    }
    assert ["user_data/strategies/exit_guard.py"] == paths(read_zip(zip_of(entries)))


def test_more_entries_than_the_limit_is_too_large() -> None:
    """Over MAX_ENTRIES strategy and parameter files is 413, naming the form field."""
    entries = {f"strategies/s{i}.py": b"" for i in range(strategy_sources.MAX_ENTRIES + 1)}
    with pytest.raises(TooLarge) as e:
        read_zip(zip_of(entries, zipfile.ZIP_STORED))
    assert ["file"] == [f.field for f in e.value.findings]
    assert str(strategy_sources.MAX_ENTRIES + 1) in str(e.value)


def test_entries_other_than_py_and_json_do_not_count_towards_the_entry_limit() -> None:
    """A user_data with many candle files is fine: only the files read are counted."""
    entries = {f"data/binance/p{i}.feather": b"" for i in range(strategy_sources.MAX_ENTRIES + 1)}
    entries["strategies/a.py"] = b"a = 1\n"
    assert ["strategies/a.py"] == paths(read_zip(zip_of(entries, zipfile.ZIP_STORED)))


def with_header_field(archive: bytes, offsets: tuple[int, int], form: str, value: int) -> bytes:
    """The archive with one field of every entry's local and central header (at `offsets`) set."""
    data = bytearray(archive)
    for signature, offset in zip((b"PK\x03\x04", b"PK\x01\x02"), offsets, strict=True):
        at = data.find(signature)
        while at != -1:
            struct.pack_into(form, data, at + offset, value)
            at = data.find(signature, at + 4)
    return bytes(data)


def with_declared_size(archive: bytes, size: int) -> bytes:
    """Every entry's uncompressed size set to `size`."""
    return with_header_field(archive, (22, 24), "<I", size)


def test_entries_declaring_more_bytes_than_the_limit_are_too_large_before_any_is_inflated() -> None:
    """The declared sizes decide: a lying archive is refused as too large, not read and found corrupt."""
    lying = with_declared_size(zip_of({"strategies/a.py": b"a = 1\n"}), strategy_sources.MAX_BYTES + 1)
    with pytest.raises(TooLarge) as e:
        read_zip(lying, field="upload")
    assert ["upload"] == [f.field for f in e.value.findings]
    assert str(strategy_sources.MAX_BYTES + 1) in str(e.value)


def test_an_entry_inflating_past_its_declared_size_is_refused_as_unreadable() -> None:
    """Declaring a small size does not get more bytes through: the entry cannot be read."""
    lying = with_declared_size(zip_of({"strategies/a.py": b"a = 1\n" * 1000}), 10)
    with pytest.raises(ValidationFailed) as e:
        read_zip(lying)
    assert not isinstance(e.value, TooLarge)
    assert ["file"] == [f.field for f in e.value.findings]


@pytest.mark.parametrize(
    "data", [b"", b"not a zip at all", b"PK\x03\x04 truncated"], ids=["empty", "text", "truncated"]
)
def test_something_that_is_not_a_zip_is_a_validation_error_on_the_field(data: bytes) -> None:
    """Not a zip archive is 422 on `file`, not a server error."""
    with pytest.raises(ValidationFailed) as e:
        read_zip(data)
    assert not isinstance(e.value, TooLarge)
    assert [("file", "is not a zip archive")] == [(f.field, f.message) for f in e.value.findings]


def with_flags(archive: bytes, flags: int) -> bytes:
    """Every entry's general-purpose flags set to `flags`."""
    return with_header_field(archive, (6, 8), "<H", flags)


def test_an_encrypted_entry_is_a_validation_error() -> None:
    """Password-protected archives cannot be read without the password: 422 saying so."""
    encrypted = with_flags(zip_of({"strategies/a.py": b"a = 1\n"}, zipfile.ZIP_STORED), 0x1)
    with pytest.raises(ValidationFailed) as e:
        read_zip(encrypted)
    assert not isinstance(e.value, TooLarge)
    assert ["file"] == [f.field for f in e.value.findings]
    assert "encrypted" in str(e.value)


def test_a_corrupt_entry_is_a_validation_error() -> None:
    """An entry whose data does not match its checksum cannot be read."""
    archive = bytearray(zip_of({"strategies/a.py": b"a = 1\n"}, zipfile.ZIP_STORED))
    at = archive.find(b"a = 1\n")
    archive[at] = ord("b")
    with pytest.raises(ValidationFailed) as e:
        read_zip(bytes(archive))
    assert ["file"] == [f.field for f in e.value.findings]
    assert "cannot be read" in str(e.value)


def test_a_folder_is_read_by_relative_path_skipping_hidden_and_cache_folders(tmp_path: Path) -> None:
    """read_folder keeps .py and .json files relative to the root, in path order."""
    files = {
        "config.json": b"{}",
        "strategies/exit_guard.py": corpus("exit_guard.py"),
        "strategies/sub/deep.py": b"a = 1\n",
        "strategies/__pycache__/exit_guard.py": b"stale",
        "strategies/__pycache__/exit_guard.cpython-312.pyc": b"\x00",
        ".git/hooks/x.py": b"x",
        ".ipynb_checkpoints/x.json": b"{}",
        "node_modules/x/package.json": b"{}",
        "logs/freqtrade.log": b"log",
        "data/binance/ETH_BTC-5m.feather": b"\x00",
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    found = read_folder(tmp_path)
    assert ["config.json", "strategies/exit_guard.py", "strategies/sub/deep.py"] == paths(found)
    assert corpus("exit_guard.py") == found[1].content


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_path_that_is_not_a_folder_is_a_validation_error_on_path(tmp_path: Path, kind: str) -> None:
    """`gentrade import` names the argument when it is not a folder."""
    path = tmp_path / "strategy.py"
    if kind == "file":
        path.write_bytes(corpus("exit_guard.py"))
    with pytest.raises(ValidationFailed) as e:
        read_folder(path)
    assert ["path"] == [f.field for f in e.value.findings]


def test_a_read_folder_imports_like_its_zip(world: World, tmp_path: Path) -> None:
    """The same user_data read from disk or from a zip gives the same files, so the same import."""
    root = tmp_path / "folder"
    for name, content in user_data().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    from_disk = read_folder(root)
    from_zip = read_zip(zip_of(user_data()))
    assert sorted(from_disk, key=lambda f: f.path) == sorted(from_zip, key=lambda f: f.path)
    assert [STORED] * 4 == [o.status for o in world.sut.run(ALICE, from_disk)]
    assert [UNCHANGED] * 4 == [o.status for o in world.sut.run(ALICE, from_zip)]
