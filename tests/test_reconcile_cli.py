"""``fengdu reconcile`` end to end: files, JSON, re-runs, month over month, the lock."""

from __future__ import annotations

import csv
import json

import openpyxl
from typer.testing import CliRunner

from fengdu_cli.cli import app
from fengdu_cli.store import hold_lock
from tests import backends
from tests.test_reconcile import EXPECTED, build

runner = CliRunner()


def _run(data, out, db, month="2024-06", *extra):
    return runner.invoke(
        app,
        [
            "reconcile",
            "--month",
            month,
            "--data",
            str(data),
            "--out",
            str(out),
            "--db",
            str(db),
            *extra,
        ],
    )


def test_reconcile_writes_files_and_json(tmp_path):
    data, _ = build(tmp_path)
    result = _run(
        data, tmp_path / "out", tmp_path / "f.db", "2024-06", "--json", "--split-by-township"
    )
    assert result.exit_code == 1
    summary = json.loads(result.output)
    assert {"month", "persons", "labor_capable", "matched", "flags", "rows"} <= set(summary)
    assert summary["month"] == "2024-06"
    assert sum(summary["flags"].values()) == len(EXPECTED)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["logs", "reconcile-2024-06.xlsx", "townships", "warnings-2024-06.csv"]
    with open(tmp_path / "out" / "warnings-2024-06.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "township",
        "village",
        "household_id",
        "name",
        "id_number",
        "code",
        "detail",
    ]
    assert len(rows) == len(EXPECTED)
    assert all("********" in r["id_number"] for r in rows)
    book = openpyxl.load_workbook(tmp_path / "out" / "reconcile-2024-06.xlsx")
    assert book.sheetnames == [
        "汇总", "预警名单", "需核查", "需就业服务", "人员状态", "参保与匹配", "无法判断", "问题数据", "说明"
    ]  # fmt: skip
    assert book["预警名单"].freeze_panes == "A3"
    assert [p.name for p in (tmp_path / "out" / "townships").iterdir()] == [
        "预警名单-2024-06-虎威镇.xlsx"
    ]


def test_same_month_twice_is_identical_and_stored_once(tmp_path, db_url):
    data, _ = build(tmp_path)
    db = db_url
    _run(data, tmp_path / "a", db)
    _run(data, tmp_path / "b", db)
    for name in ("reconcile-2024-06.xlsx", "warnings-2024-06.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert backends.scalar(db, "SELECT COUNT(*) FROM month_summary") == 1
    assert backends.scalar(db, "SELECT COUNT(*) FROM month_warnings") == len(EXPECTED)
    assert backends.scalar(db, "SELECT COUNT(*) FROM runs") == 2


def test_next_month_marks_new_and_continuing(tmp_path, db_url):
    data, _ = build(tmp_path)
    db = db_url
    _run(data, tmp_path / "a", db, "2024-06")
    result = _run(data, tmp_path / "b", db, "2024-07", "--json")
    summary = json.loads(result.output)
    assert summary["previous_month"] == "2024-06"
    july = {
        (i, c): s
        for i, c, s in backends.rows(
            db, "SELECT id_number, code, status FROM month_warnings WHERE month = 202407"
        )
    }
    june = {
        (i, c)
        for i, c in backends.rows(
            db, "SELECT id_number, code FROM month_warnings WHERE month = 202406"
        )
    }
    assert july, "July has warnings"
    for key, status in july.items():
        assert status == ("持续" if key in june else "新增")
    assert summary["warnings_resolved"] == len(june - set(july))
    assert summary["warnings_new"] + summary["warnings_continuing"] == len(july)
    towns = summary["townships"]
    assert sum(t["change"] for t in towns) == len(july) - len(june)
    assert sum(t["matched_employment"] for t in towns) == summary["matched"]["employment"]


def test_lock_held_exits_4(tmp_path, db_url):
    data, _ = build(tmp_path)
    db = db_url
    with hold_lock(db, 202406):  # a file's one lock; a server's lock of the month
        result = _run(data, tmp_path / "out", db)
    assert result.exit_code == 4
    assert "另一个 fengdu 正在" in result.output


def test_bad_month_and_missing_folder(tmp_path):
    data, _ = build(tmp_path)
    assert _run(data, tmp_path / "o", tmp_path / "f.db", "2024-13").exit_code == 2
    result = _run(tmp_path / "nope", tmp_path / "o", tmp_path / "f.db")
    assert result.exit_code == 3 and "rosters" in result.output


def test_the_files_are_the_same_on_either_database(tmp_path, pg_url):
    """Month over month (statuses read back from the stored month), a PostgreSQL database
    gives the very files a SQLite file gives."""
    data, _ = build(tmp_path)
    for db, out in ((tmp_path / "f.db", tmp_path / "a"), (pg_url, tmp_path / "b")):
        for month in ("2024-06", "2024-07"):
            assert _run(data, out, db, month).exit_code == 1
    for name in ("reconcile-2024-07.xlsx", "warnings-2024-07.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
