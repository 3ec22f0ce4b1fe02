"""
Importing a Freqtrade `user_data` folder: zipped through `POST /api/v1/strategies/import`, and from
disk with `gentrade import PATH`; Freqtrade's load check sees the parameter file's values.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.e2e.cli_process import gentrade

Auth = Callable[[str], dict[str, str]]
IMPORT = "/api/v1/strategies/import"
CORPUS = Path(__file__).parent.parent / "corpus" / "strategies"
USER = "importer"

HYPEROPT_LOSS = """from freqtrade.optimize.hyperopt import IHyperOptLoss


class ShortTradeDurHyperOptLoss(IHyperOptLoss):
    @staticmethod
    def hyperopt_loss_function(results, trade_count, *args, **kwargs) -> float:
        return -trade_count
"""
CONFIG = {
    "max_open_trades": 3,
    "stake_currency": "BTC",
    "stake_amount": 0.01,
    "dry_run": True,
    "timeframe": "5m",
    "exchange": {"name": "binance", "pair_whitelist": ["ETH/BTC"]},
    "pairlists": [{"method": "StaticPairList"}],
}
BANDS_PARAMS: dict[str, dict[str, Any]] = {
    "buy": {"buy_bb_factor": 0.97, "buy_rsi": 25, "buy_rsi_enabled": False},
    "sell": {"sell_bb_factor": 1.02, "sell_rsi": 75},
    "roi": {"0": 0.04, "120": 0.01},
    "stoploss": {"stoploss": -0.08},
}
BANDS_PARAMETERS = {
    "strategy_name": "BandsHyperopt",
    "params": BANDS_PARAMS,
    "ft_stratparam_v": 1,
    "export_time": "2026-11-30 10:00:00.000000+00:00",
}
"""What `freqtrade hyperopt` writes beside the strategy file for its best epoch."""


def user_data(root: Path, strategies: dict[str, str]) -> Path:
    """A Freqtrade user_data folder under `root` holding `strategies` (file name to code)."""
    folder = root / "user_data"
    for sub in ("strategies", "hyperopts", "data", "logs", "notebooks"):
        (folder / sub).mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(CONFIG, indent=4))
    (folder / "hyperopts" / "short_trade_loss.py").write_text(HYPEROPT_LOSS)
    for name, code in strategies.items():
        (folder / "strategies" / name).write_text(code)
    return folder


def bands_folder(root: Path) -> Path:
    """The hyperoptable corpus strategy as `BandsHyperopt.py`, with its hyperopt parameter file."""
    folder = user_data(root, {"BandsHyperopt.py": (CORPUS / "hyperoptable.py").read_text()})
    (folder / "strategies" / "BandsHyperopt.json").write_text(json.dumps(BANDS_PARAMETERS, indent=4))
    return folder


def zipped(folder: Path) -> bytes:
    """The folder zipped as `zip -r user_data.zip user_data` would, its own name the top entry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, path.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


def post_zip(client: TestClient[Any], headers: dict[str, str], data: bytes) -> Any:
    return client.post(IMPORT, headers=headers, files={"file": ("user_data.zip", data, "application/zip")})


def rows(report: dict[str, Any]) -> list[tuple[str, str | None, str, int | None, bool]]:
    return [(i["file"], i["strategy"], i["status"], i["version"], i["parameters"]) for i in report["items"]]


@pytest.fixture(scope="module")
def imported(
    client: TestClient[Any], auth: Auth, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same user_data zip posted twice: the two import reports."""
    strategies = {
        "two_strategies.py": (CORPUS / "two_strategies.py").read_text(),
        "odd_spacing.py": (CORPUS / "odd_spacing.py").read_text(),
    }
    folder = bands_folder(tmp_path_factory.mktemp("upload"))
    for name, code in strategies.items():
        (folder / "strategies" / name).write_text(code)
    data = zipped(folder)
    first, second = post_zip(client, auth(USER), data), post_zip(client, auth(USER), data)
    assert (200, 200) == (first.status_code, second.status_code), first.text + second.text
    return first.json(), second.json()


FIRST_IMPORT = [
    ("user_data/strategies/BandsHyperopt.py", "BandsHyperopt", "stored", 1, True),
    ("user_data/strategies/odd_spacing.py", "SpacedOut", "refused", None, False),
    ("user_data/strategies/two_strategies.py", "RsiDip", "stored", 1, False),
    ("user_data/strategies/two_strategies.py", "MacdCross", "stored", 1, False),
]


def test_the_first_upload_stores_each_class_as_version_1(imported: tuple[dict[str, Any], ...]) -> None:
    """One item per class: the two-class file gives two strategies; the hyperopt loss is not one."""
    first, _ = imported
    assert FIRST_IMPORT == rows(first)
    assert (3, 0, 1) == (first["stored"], first["unchanged"], first["refused"])
    refused = first["items"][1]
    assert any("class SpacedOut(" in reason for reason in refused["reasons"]), refused


def test_the_second_upload_of_the_same_zip_is_all_unchanged(imported: tuple[dict[str, Any], ...]) -> None:
    """Nothing new is stored: the same strategies and versions are reported unchanged."""
    first, second = imported
    expected = [
        (f, s, "refused" if st == "refused" else "unchanged", v, p) for f, s, st, v, p in FIRST_IMPORT
    ]
    assert expected == rows(second)
    assert (0, 3, 1) == (second["stored"], second["unchanged"], second["refused"])
    assert [i["strategy_id"] for i in first["items"]] == [i["strategy_id"] for i in second["items"]]


def test_the_imported_strategies_are_listed_with_one_version_each(
    client: TestClient[Any], auth: Auth, imported: tuple[dict[str, Any], ...]
) -> None:
    """GET /strategies shows the three classes, each at version 1 after two uploads."""
    listed = client.get("/api/v1/strategies", headers=auth(USER)).json()
    expected = {("BandsHyperopt", 1), ("MacdCross", 1), ("RsiDip", 1)}
    assert expected == {(s["name"], s["current_version"]) for s in listed["items"]}


def test_the_versions_hold_the_parameter_file(
    client: TestClient[Any], auth: Auth, imported: tuple[dict[str, Any], ...]
) -> None:
    """The parameter file comes back as the version's `parameters`; a class without one has null."""
    first, _ = imported
    ids = {i["strategy"]: i["strategy_id"] for i in first["items"]}
    bands = client.get(f"/api/v1/strategies/{ids['BandsHyperopt']}/versions", headers=auth(USER)).json()
    rsi = client.get(f"/api/v1/strategies/{ids['RsiDip']}/versions", headers=auth(USER)).json()
    assert [(1, BANDS_PARAMETERS)] == [(v["number"], v["parameters"]) for v in bands]
    assert [(1, None)] == [(v["number"], v["parameters"]) for v in rsi]
    assert "class MacdCross(" not in rsi[0]["code"]


def wait_for_load_check(
    client: TestClient[Any], headers: dict[str, str], strategy_id: str, timeout: float = 90
) -> dict[str, Any]:
    """The current version's load check once it has passed or failed (create/update alone can wait)."""
    deadline = time.monotonic() + timeout
    while True:
        strategy = client.get(f"/api/v1/strategies/{strategy_id}", headers=headers).json()
        load: dict[str, Any] = strategy["checks"]["load"]
        if load["status"] != "pending":
            return load
        if time.monotonic() > deadline:
            raise AssertionError(f"the load check of {strategy_id} is still pending after {timeout}s")
        time.sleep(0.25)


@pytest.mark.freqtrade
def test_the_load_check_reports_the_parameter_files_values(
    client: TestClient[Any], auth: Auth, imported: tuple[dict[str, Any], ...]
) -> None:
    """Freqtrade loads the class with its parameter file: the defaults, ROI and stoploss are the file's."""
    first, _ = imported
    load = wait_for_load_check(client, auth(USER), first["items"][0]["strategy_id"])
    assert ("passed", None) == (load["status"], load["reason"])
    facts = load["facts"]
    defaults = {
        space: {p["name"]: p["default"] for p in found} for space, found in facts["parameters"].items()
    }
    assert {"buy": BANDS_PARAMS["buy"], "sell": BANDS_PARAMS["sell"]} == defaults
    assert (BANDS_PARAMS["roi"], -0.08) == (facts["minimal_roi"], facts["stoploss"])


def test_something_that_is_not_a_zip_is_422_naming_file(client: TestClient[Any], auth: Auth) -> None:
    """A file that is no zip archive is refused on the form field `file`."""
    response = post_zip(client, auth(USER), b"class NotAZip: pass\n")
    assert 422 == response.status_code
    assert [("file", "is not a zip archive")] == [
        (e["field"], e["message"]) for e in response.json()["errors"]
    ]


def test_a_zip_without_python_files_is_422_naming_files(client: TestClient[Any], auth: Auth) -> None:
    """A user_data holding only its config has nothing to import."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("user_data/config.json", json.dumps(CONFIG))
    response = post_zip(client, auth(USER), buffer.getvalue())
    assert 422 == response.status_code
    assert ["files"] == [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("request_kwargs", "status", "detail"),
    [
        ({}, 422, "missing required field `file`"),
        ({"files": {"other": (None, "text")}}, 422, "missing required field `file`"),
        ({"files": {"upload": ("user_data.zip", b"PK")}}, 422, "missing required field `file`"),
        ({"files": {"file": (None, "user_data.zip")}}, 422, "file: "),
        ({"json": {"file": "user_data.zip"}}, 400, "multipart/form-data"),
        ({"data": {"file": "user_data.zip"}}, 400, "multipart/form-data"),
    ],
    ids=["no-body", "form-without-file", "file-under-another-name", "file-as-text", "json", "urlencoded"],
)
def test_an_upload_without_a_file_part_named_file_is_a_client_error(
    client: TestClient[Any], auth: Auth, request_kwargs: dict[str, Any], status: int, detail: str
) -> None:
    """No body, no `file` part, a text `file`, or no multipart form at all: a 4xx saying so, never a 500."""
    response = client.post(IMPORT, headers=auth(USER), **request_kwargs)
    assert status == response.status_code, response.text
    assert detail in response.json()["detail"]


def test_importing_needs_a_token(client: TestClient[Any], tmp_path: Path) -> None:
    """No bearer token is 401, and nothing is read."""
    response = client.post(IMPORT, files={"file": ("user_data.zip", zipped(bands_folder(tmp_path)))})
    assert 401 == response.status_code


# --- the command line ------------------------------------------------------------------------------


def table_rows(stdout: str) -> list[list[str]]:
    """
    The cells of each row of the printed table: rich draws `│` between body cells (`┃` in the
    header) and folds long cells onto lines whose first cell is empty.
    """
    found: list[list[str]] = []
    for line in stdout.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) < 2:
            continue
        if found and not cells[0]:
            found[-1] = [" ".join(filter(None, pair)) for pair in zip(found[-1], cells, strict=True)]
        else:
            found.append(cells)
    return found


@pytest.mark.freqtrade
def test_gentrade_import_stores_then_reports_unchanged(tmp_path: Path) -> None:
    """`gentrade import` twice: stored, its load check passed; then unchanged; exit 0 both times."""
    folder = bands_folder(tmp_path)
    first = gentrade(tmp_path, "import", str(folder), "--user", "alice")
    assert 0 == first.returncode, first.stdout + first.stderr
    expected = ["strategies/BandsHyperopt.py", "BandsHyperopt", "stored", "1", "yes", "passed", ""]
    assert [expected] == table_rows(first.stdout)
    second = gentrade(tmp_path, "import", str(folder), "--user", "alice")
    assert 0 == second.returncode, second.stdout + second.stderr
    expected[2] = "unchanged"
    assert [expected] == table_rows(second.stdout)


def test_gentrade_import_exits_1_when_something_is_refused(tmp_path: Path) -> None:
    """A class the screen refuses is printed with why, and the exit code is 1."""
    folder = user_data(tmp_path, {"odd_spacing.py": (CORPUS / "odd_spacing.py").read_text()})
    result = gentrade(tmp_path, "import", str(folder))
    assert 1 == result.returncode, result.stdout + result.stderr
    [row] = table_rows(result.stdout)
    assert ["strategies/odd_spacing.py", "SpacedOut", "refused", "-", "", ""] == row[:6]
    assert row[6].startswith("code (line 10): Freqtrade looks for the exact text 'class SpacedOut('"), row


@pytest.mark.parametrize("target", ["missing", "no-strategies"])
def test_gentrade_import_exits_2_on_an_error(tmp_path: Path, target: str) -> None:
    """A path that is not a folder, or a folder without Python files, is an error: exit 2, said on stderr."""
    path = tmp_path / "nowhere"
    if target == "no-strategies":
        path.mkdir()
        (path / "config.json").write_text(json.dumps(CONFIG))
    result = gentrade(tmp_path, "import", str(path))
    assert 2 == result.returncode, result.stdout + result.stderr
    assert ("path" if target == "missing" else "files") in result.stderr
