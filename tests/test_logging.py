"""The run logs: what -v says, where each run's log file goes, and that no personal data
(ID number, name, phone, bank account) is ever in one."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fengdu_cli.cli import app
from fengdu_cli.io.columns import FOLDERS
from fengdu_cli.validate import check_paths
from tests.conftest import AS_OF

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PERSONAL = ("name", "id_number", "phone", "bank_account")
runner = CliRunner()


def personal_values(data: Path) -> set[str]:
    """Every name, ID number, phone and account in the month's inputs, as read and as typed."""
    found: set[str] = set()
    for kind in ("roster", "employment", "insurance"):
        checked = check_paths([data / FOLDERS[kind]], kind, on=AS_OF)
        for frame in (checked.valid, checked.rejected):
            for column in PERSONAL:
                if column in frame:
                    found |= {str(v).strip() for v in frame[column].dropna()}
    return {v for v in found if len(v) >= 2 and v.lower() != "nan"}


def leaks(text: str, personal: set[str]) -> set[str]:
    return {value for value in personal if value in text}


@pytest.fixture(scope="module")
def personal() -> set[str]:
    values = personal_values(SAMPLE)
    assert len(values) > 100  # names, IDs and phones were found to look for
    return values


def the_log(out: Path, command: str) -> str:
    (path,) = (out / "logs").glob(f"fengdu-{command}-*.log")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 or os.name == "nt"
    assert f"-{os.getpid()}" in path.name
    return path.read_text(encoding="utf-8")


def test_verbose_runs_log_what_was_decided_and_no_personal_data(tmp_path, monkeypatch, personal):
    monkeypatch.delenv("FENGDU_LOG_DIR", raising=False)
    out, db = tmp_path / "out", tmp_path / "f.db"
    month = ["--month", "2024-06", "--data", str(SAMPLE), "--out", str(out), "--db", str(db)]
    report = ["--report", str(out / "problems.xlsx"), "--as-of", AS_OF.isoformat()]
    for args in (
        ["validate", str(SAMPLE / "rosters"), *report, "-v"],
        ["-v", "reconcile", *month],
        ["subsidy", *month, "-v"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), result.output
        assert leaks(result.output, personal) == set(), args  # -v lines on stderr too
    logs = {c: the_log(out, c) for c in ("validate", "reconcile", "subsidy")}
    assert "-> id_number (by alias" in logs["validate"]  # a header and how it was recognised
    assert "read 三合街道" in logs["validate"] and "as roster" in logs["validate"]
    assert "matched" in logs["reconcile"] and f"database {db}" in logs["reconcile"]
    assert "rule hire_once:" in logs["subsidy"] and "eligible" in logs["subsidy"]
    assert "exit 1" in logs["subsidy"]
    for command, text in logs.items():
        assert leaks(text, personal) == set(), command


def test_a_leak_is_caught_and_ids_are_masked_on_the_way_out(tmp_path, monkeypatch, personal):
    """The check above fails when a name is logged; an ID number is masked even then."""
    monkeypatch.delenv("FENGDU_LOG_DIR", raising=False)
    name = next(v for v in sorted(personal) if not v.isascii() and len(v) in (2, 3))
    id_number = next(v for v in sorted(personal) if len(v) == 18 and v[:17].isdigit())
    monkeypatch.setattr(
        "fengdu_cli.io.read._log_sheet",
        lambda sheet, kind: logging.getLogger("fengdu_cli.io.read").info(
            "careless %s %s", name, id_number
        ),
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["validate", str(SAMPLE / "rosters"), "--report", str(out / "p.xlsx"), "--quiet"]
    )
    assert result.exit_code == 1
    text = the_log(out, "validate")
    assert leaks(text, personal) == {name}
    assert id_number[:6] + "********" + id_number[-4:] in text


def test_no_log_file_for_a_command_that_writes_nothing_and_an_unwritable_folder(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("FENGDU_LOG_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", str(SAMPLE / "rosters"), "--quiet"])
    assert result.exit_code == 1 and not (tmp_path / "logs").exists()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the log folder would be", encoding="utf-8")
    monkeypatch.setenv("FENGDU_LOG_DIR", str(blocked / "logs"))
    report = tmp_path / "p.xlsx"
    result = runner.invoke(app, ["validate", str(SAMPLE / "rosters"), "--report", str(report)])
    assert result.exit_code == 1 and report.exists()  # the command went on
    assert result.output.count("日志无法写入") == 1


def test_typed_options_are_usage_errors(tmp_path):
    from typing import get_args

    from fengdu_cli.cli.options import Kind
    from fengdu_cli.io.columns import KINDS

    assert get_args(Kind) == KINDS
    rosters = str(SAMPLE / "rosters")
    for bad in (["--as-of", "2024-02-30"], ["--kind", "people"], ["--lang", "fr"]):
        result = runner.invoke(app, ["validate", rosters, *bad])
        assert result.exit_code == 2 and bad[1] in result.output, bad
    result = runner.invoke(app, ["reconcile", "--month", "2024-13", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "YYYY-MM" in result.output
    assert "roster|employment" in runner.invoke(app, ["validate", "-h"]).output.replace(" ", "")
