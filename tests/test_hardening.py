"""Personal data and small things, each reproduced first (issue list of the hostile pass)."""

from __future__ import annotations

import multiprocessing
import os
import re
import stat

import pandas as pd
import pytest
from typer.testing import CliRunner

from fengdu_cli import store
from fengdu_cli.cli import app, write_crash_log
from fengdu_cli.io.write import neutralised, write_csv
from fengdu_cli.messages import text
from fengdu_cli.messages.problems import problem_words
from fengdu_cli.store import ledger
from fengdu_cli.townships import canonical_township, townships_named_in
from fengdu_cli.validate import check_paths
from tests.conftest import AS_OF
from tests.makers import HEADER, csv_file, person, valid_id, xlsx


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_no_csv_cell_can_run_as_a_formula(tmp_path, start):
    path = write_csv(pd.DataFrame({"name": [f"{start}HYPERLINK(1)"], "amount": ["-50.00"]}),
                     tmp_path / "x.csv")  # fmt: skip
    text = path.read_bytes().decode("utf-8-sig")
    assert f"'{start}HYPERLINK(1)" in text and ",-50.00" in text  # a negative amount stays one
    assert neutralised("500230199001011237") == "500230199001011237"


def test_a_crash_log_masks_ids_and_is_private(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.argv", ["fengdu", "explain", "500230199001011237"])
    try:
        raise KeyError("500230199001011237")
    except KeyError as error:
        first = write_crash_log(error, tmp_path)
        second = write_crash_log(error, tmp_path)
    assert first != second  # unique names
    text = first.read_text(encoding="utf-8")
    assert "500230199001011237" not in text and "500230********1237" in text
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_no_control_character_reaches_the_screen(tmp_path):
    path = csv_file(tmp_path / "r.csv", ["姓名,身份证号码,乡镇,人员类别",
                                         f"甲,{valid_id(1)},虎威镇,\x1b[2J\x1b[31m乱码"])  # fmt: skip
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert "\x1b" not in result.output and "乱码" in result.output


def _open_new(path: str, results) -> None:
    try:
        store.create(path)
        results.put("ok")
    except Exception as error:
        results.put(repr(error))


def test_two_runs_creating_one_ledger_at_once(db_url):
    db = db_url
    results = multiprocessing.get_context("spawn").Queue()
    workers = [
        multiprocessing.get_context("spawn").Process(target=_open_new, args=(db, results))
        for _ in range(4)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [results.get() for _ in workers] == ["ok"] * 4
    conn = store.connect(db)
    assert store.schema.version_of(conn) == store.SCHEMA_VERSION
    assert ledger.check_ledger(conn) == []
    conn.close()


def test_return_lists_of_an_earlier_run_are_moved_aside(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    xlsx(
        folder / "a.xlsx",
        [HEADER, person(1, 身份证号码="123"), person(2, 乡镇="三合街道", 身份证号码="1")],
    )
    runner = CliRunner()
    back = ["--return-dir", str(tmp_path / "back"), "--month", "2024-06"]
    runner.invoke(app, ["validate", str(folder), *back])
    assert {p.name for p in (tmp_path / "back").glob("*.xlsx")} == {
        "退回清单-2024-06-虎威镇.xlsx", "退回清单-2024-06-三合街道.xlsx"
    }  # fmt: skip
    xlsx(folder / "a.xlsx", [HEADER, person(1, 身份证号码="123"), person(2, 乡镇="三合街道")])
    runner.invoke(app, ["validate", str(folder), *back])
    assert {p.name for p in (tmp_path / "back").glob("*.xlsx")} == {"退回清单-2024-06-虎威镇.xlsx"}
    assert (tmp_path / "back" / "已过期" / "退回清单-2024-06-三合街道.xlsx").exists()


def test_traditional_township_names():
    assert canonical_township("豐都縣龍河鎮") == "龙河镇"
    assert townships_named_in("雙路鎮2024年6月台賬") == {"双路镇"}


def test_an_invisible_character_in_an_id_is_named(tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        ["姓名,身份证号码,乡镇", f"甲,{valid_id(1)[:9]}\u200b{valid_id(1)[9:]},虎威镇"],
    )
    problems = problem_words(check_paths([path], "roster", on=AS_OF).problems, "zh")
    (message,) = problems.loc[problems["code"] == "id_format", "message"]
    assert "看不见的字符" in message


def test_new_files_are_cleaned_of_a_killed_runs_leftovers(tmp_path):
    from fengdu_cli.io.write import STALE_SECONDS, write_workbook

    stale = tmp_path / ".reconcile-2024-06-abc123.xlsx"
    stale.write_bytes(b"half a workbook")
    old = os.path.getmtime(stale) - STALE_SECONDS - 10
    os.utime(stale, (old, old))
    write_workbook(tmp_path / "reconcile-2024-06.xlsx", [])
    assert not stale.exists()


def test_headers_that_look_like_screen_markup_are_shown_as_typed(tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            "乡镇,姓名,身份证号码,[/]务工x状态,[bold]务工y状态",
            f"虎威镇,甲,{valid_id(1)},县内务工,县内务工",
        ],
    )
    runner = CliRunner()
    for command in (
        ["validate", str(path), "--kind", "roster"],
        ["columns", str(path), "--kind", "roster"],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, result.output
        assert "[/]务工x状态" in result.output and "内部错误" not in result.output


def test_a_ledger_of_an_earlier_version_is_described_then_migrated(tmp_path):
    from tests.legacy_schema import legacy_ledger

    db = tmp_path / "old ledger #2.db"  # a name a URI would misread
    conn = legacy_ledger(db, 2)
    conn.execute(
        "INSERT INTO batches (batch_id, month, run_id, committed, policy_sha256, inputs, lines, "
        "total_fen) VALUES ('2024-05-R1', 202405, 1, '2024-06-01', '', '{}', 0, 0)"
    )
    conn.close()
    info = store.describe(db)
    assert (info["batches"], info["first_month"], info["imports"], info["unread"]) == (
        1,
        202405,
        0,
        False,
    )
    store.connect(db).close()  # migrated to this version, its batch chained
    assert store.describe(db)["batches"] == 1
    assert ledger.check_ledger(store.connect(db)) == []


@pytest.mark.parametrize("version", range(1, 8))
def test_a_ledger_made_by_the_old_scripts_keeps_its_guards_and_migrates(tmp_path, version):
    """Every version a county may hold opens: the guards its scripts made are the ones this
    version expects (word for word), and it comes to this version with nothing to report."""
    from tests.legacy_schema import legacy_ledger

    db = tmp_path / "old.db"
    legacy_ledger(db, version).close()
    conn = store.connect(db)
    try:
        assert store.schema.version_of(conn) == store.SCHEMA_VERSION
        assert store.schema.check_schema(conn) == []
        assert ledger.check_ledger(conn) == []
    finally:
        conn.close()


def test_a_file_that_is_not_a_ledger_is_refused_untouched(tmp_path):
    other = tmp_path / "名单.csv"
    other.write_text("姓名,身份证号码\n", encoding="utf-8")
    other.chmod(0o644)
    result = CliRunner().invoke(app, ["ledger", "show", "--db", str(other)])
    assert result.exit_code == 3 and "不是台账数据库文件" in result.output
    assert stat.S_IMODE(other.stat().st_mode) == 0o644


def test_a_head_record_that_was_edited_refuses_the_ledger(world, tmp_path):
    from fengdu_cli.errors import InputError
    from fengdu_cli.subsidy import compute_subsidies

    root, _ = world
    db = tmp_path / "f.db"
    compute_subsidies(root, 202406, db, commit=True, new_db=True, no_history=True)
    (tmp_path / "f.db.head").write_text("0 x\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        store.connect(db)
    assert refused.value.key == "db_behind"


def test_an_id_typed_where_the_household_goes_is_masked_in_the_lists(tmp_path):
    from fengdu_cli.io.reconcile_report import warnings_frame
    from fengdu_cli.reconcile import Reconciled

    frame = pd.DataFrame({"id_number": [valid_id(1)], "household_id": [valid_id(2)], "code": ["no_record"],
                          "township": ["虎威镇"], "village": [""], "name": ["甲"], "detail_key": ["warn_no_record"],
                          "detail_params": [{"month": "2024-06", "last": ""}], "status": [""]})  # fmt: skip
    result = Reconciled.__new__(Reconciled)
    object.__setattr__(result, "warnings", frame)
    object.__setattr__(result, "month", 202406)
    object.__setattr__(result, "previous_month", None)
    shown = warnings_frame(result).to_string()
    assert valid_id(2) not in shown and valid_id(1) not in shown
    assert ledger.idcard.mask_if_personal("5002302040020004") == "5002302040020004"  # a real 户编号


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_columns_the_clerk_named_like_the_tools_own_are_kept_apart(tmp_path, lang):
    """A roster with its own 性别, 年龄, 户籍地 and 来源文件 (the tool adds a sex, an age, an ID
    region and a source file of its own), and a rejected row with a 文件 column of its own."""
    path = csv_file(tmp_path / "r.csv", [
        "姓名,身份证号码,乡镇,人员类别,性别,年龄,户籍地,来源文件,文件,sex",
        f"甲,{valid_id(1)},虎威镇,脱贫户,男,35,重庆市丰都县,旧表.xlsx,x,m",
        f"乙,{valid_id(2)[:-1]}0,虎威镇,脱贫户,女,40,四川省,旧表.xlsx,y,f",
    ])  # fmt: skip
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["ingest", str(path), "--out", str(out), "--lang", lang])
    assert result.exit_code == 1, result.output  # the second row is rejected: a bad check digit
    clean = pd.read_csv(out / "roster-clean.csv", dtype=str)
    assert len(clean.columns) == len(set(clean.columns))
    own = "（原表）" if lang == "zh" else " (as typed)"
    if lang == "zh":
        assert {"性别", f"性别{own}", "年龄", f"年龄{own}", "来源文件", f"来源文件{own}",
                "户籍地", "身份证归属地"} <= set(clean.columns)  # fmt: skip
        assert clean.loc[0, "来源文件"] == "r.csv" and clean.loc[0, f"来源文件{own}"] == "旧表.xlsx"
    else:
        assert {"sex", "sex_typed", "age", "年龄", "hukou", "ID region"} <= set(clean.columns)
    sheet = pd.read_excel(
        out / "roster-problems.xlsx", sheet_name=text("wb_rejected", lang), engine="openpyxl"
    )
    assert len(sheet.columns) == len(set(sheet.columns)) and len(sheet) == 1
    assert "sex" in sheet.columns  # the clerk's own header, as typed
    if lang == "zh":  # the clerk's 文件 beside the file the row came from
        assert {"文件", f"文件{own}", "性别"} <= set(sheet.columns)
        assert sheet.loc[0, f"文件{own}"] == "y" and sheet.loc[0, "文件"] == "r.csv"


def test_json_never_carries_nan(capsys):
    """A batch not voided has no void reason: null in the JSON, not NaN (strict readers
    refuse NaN), whatever the frame held."""
    import json
    import math

    from fengdu_cli.cli.console import print_json

    frame = pd.DataFrame({"batch_id": ["A", "B"], "void_reason": ["重算", math.nan]})
    print_json({"batches": frame.to_dict("records"), "when": pd.NaT, "inf": math.inf})
    out = capsys.readouterr().out

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    data = json.loads(out, parse_constant=refuse)
    assert data["batches"][1]["void_reason"] is None and data["when"] is None
    assert data["inf"] is None


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_date_no_roster_can_be_judged_on_is_a_usage_error(tmp_path, as_of):
    path = csv_file(tmp_path / "r.csv", ["姓名,身份证号码,乡镇", f"甲,{valid_id(1)},虎威镇"])
    result = CliRunner().invoke(app, ["validate", str(path), "--as-of", as_of])
    assert result.exit_code == 2 and as_of in result.output


def test_explain_without_a_number_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(
        app, ["explain", " ", "--month", "2024-06", "--data", str(tmp_path)]
    )
    assert result.exit_code == 2 and "身份证号码或统一社会信用代码" in result.output


def test_policy_check_speaks_the_chosen_language_even_at_the_end_of_the_file(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text("a = [1,2\n", encoding="utf-8")
    zh = CliRunner().invoke(app, ["policy", "check", str(bad)])
    en = CliRunner().invoke(app, ["policy", "check", str(bad), "--lang", "en"])
    assert zh.exit_code == en.exit_code == 1
    assert "文件末尾" in zh.output and "None" not in zh.output
    assert "end of the file" in en.output and not re.search(r"[\u4e00-\u9fff]", en.output)


def test_a_file_or_sheet_named_with_an_id_is_masked_wherever_it_is_shown(tmp_path):
    """A clerk named the file and the sheet after a person: the screen, the JSON, the
    problem workbook and the township's return list show the ID masked."""
    import glob
    import json

    import openpyxl

    idn = valid_id(7)
    folder = tmp_path / "rosters"
    folder.mkdir()
    rows = [
        ["甲", valid_id(1), "虎威镇", "脱贫户"],
        ["乙", valid_id(2)[:-1] + "0", "虎威镇", "脱贫户"],
    ]
    with pd.ExcelWriter(folder / f"邓鹏海{idn}虎威镇.xlsx") as book:
        pd.DataFrame(rows, columns=["姓名", "身份证号码", "乡镇", "人员类别"]).to_excel(
            book, sheet_name=f"邓鹏海 {idn}", index=False
        )
    report, returns = tmp_path / "r.xlsx", tmp_path / "ret"
    screen = CliRunner().invoke(
        app, ["validate", str(folder), "--report", str(report), "--return-dir", str(returns)]
    )
    summary = CliRunner().invoke(app, ["validate", str(folder), "--json"])
    assert screen.exit_code == summary.exit_code == 1
    assert idn not in screen.output and idn not in summary.output
    assert json.loads(summary.output)["problems"]  # the rejected row is reported
    for path in [report, *map(str, glob.glob(str(returns / "*.xlsx")))]:
        book = openpyxl.load_workbook(path, read_only=True)
        cells = [v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]
        assert not any(isinstance(v, str) and idn in v for v in cells), path
