"""The command line, through Typer's CliRunner: exit codes, golden output, files written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from fengdu_cli import cli
from fengdu_cli.cli import app
from fengdu_cli.messages.problems import summary_words
from fengdu_cli.validate import check_paths
from tests.conftest import AS_OF
from tests.makers import HEADER, person, valid_id, wrong_check, xlsx
from tests.snapshot import assert_snapshot

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def small_roster(folder: Path) -> Path:
    """Two townships. Planted: 虎威镇 (title on row 1, header row 2) row 4 id_checksum,
    row 5 id_precision_lost, row 6 bad_category (务工状态 打工); 三合街道 row 3 duplicate
    of 虎威镇 row 3."""
    folder.mkdir(parents=True, exist_ok=True)
    xlsx(
        folder / "1-虎威镇.xlsx",
        [
            ["丰都县虎威镇脱贫劳动力务工台账"],
            HEADER,
            person(1),
            person(2, 身份证号码=wrong_check(valid_id(2))),
            person(3, 身份证号码=int(valid_id(3))),
            person(4, 务工状态="打工"),
        ],
        sheet="台账",
    )
    xlsx(
        folder / "2-三合街道.xlsx",
        [
            HEADER,
            person(5, 乡镇="三合街道"),
            person(6, 乡镇="三合街道", 身份证号码=valid_id(1), 姓名="测试1"),
        ],
    )
    return folder


def run(args: list[str]):
    return runner.invoke(app, args)


def test_validate_screen_matches_golden(tmp_path):
    folder = small_roster(tmp_path / "rosters")
    result = run(["validate", str(folder), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 1
    assert_snapshot("validate_roster.txt", result.output)


def test_validate_json_equals_library(tmp_path):
    folder = small_roster(tmp_path / "rosters")
    result = run(["validate", str(folder), "--json", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 1
    data = json.loads(result.output)
    expected = json.loads(
        json.dumps(
            summary_words(check_paths([folder], "roster", on=AS_OF).summary(), "zh"),
            ensure_ascii=False,
            default=str,
        )
    )
    assert data == expected
    assert {"rows_read", "rows_valid", "rows_rejected", "problem_counts", "problems"} <= set(data)
    assert data["rows_read"] == data["rows_valid"] + data["rows_rejected"] == 6
    assert data["problem_counts"] == {
        "id_checksum": 1,
        "id_precision_lost": 1,
        "bad_category": 1,
        "duplicate_person": 1,
    }
    assert {"file", "sheet", "row", "column", "value", "code", "message"} <= set(
        data["problems"][0]
    )
    for n in range(1, 7):
        assert valid_id(n) not in result.output


def test_validate_json_golden(tmp_path):
    folder = small_roster(tmp_path / "rosters")
    result = run(["validate", str(folder), "--json", "--as-of", AS_OF.isoformat()])
    assert_snapshot("validate_roster.json", result.output.replace(str(tmp_path), "TMP"))


def test_validate_clean_file_exits_0(tmp_path):
    path = xlsx(tmp_path / "ok.xlsx", [HEADER, person(1), person(2)])
    result = run(["validate", str(path), "--quiet"])
    assert result.exit_code == 0
    assert result.output == ""


def test_report_workbook(tmp_path):
    folder = small_roster(tmp_path / "rosters")
    report = tmp_path / "out" / "problems.xlsx"
    result = run(["validate", str(folder), "--report", str(report), "--quiet"])
    assert result.exit_code == 1
    book = openpyxl.load_workbook(report)
    assert book.sheetnames[:3] == ["汇总", "汇总-问题代码", "问题清单"]
    rejected = book["退回行"]
    header = [c.value for c in rejected[1]]
    assert header[:3] == ["文件", "工作表", "行号"] and header[-1] == "问题说明"
    rows = {(r[0], r[2]): r for r in rejected.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {("1-虎威镇.xlsx", 4), ("1-虎威镇.xlsx", 5), ("2-三合街道.xlsx", 3)}
    id_col = header.index("身份证号码")
    # the ID typed as a number is written back as typed: a number, not a repaired text
    assert isinstance(rows[("1-虎威镇.xlsx", 5)][id_col], float)
    assert "校验位" in rows[("1-虎威镇.xlsx", 4)][-1]
    red = [
        c.coordinate
        for row in rejected.iter_rows(min_row=2)
        for c in row
        if c.fill is not None and c.fill.fgColor is not None and c.fill.fgColor.rgb == "FFFFC7CE"
    ]
    assert len(red) == 3 and all(re.match(rf"{chr(65 + id_col)}\d", c) for c in red)
    assert book["汇总"]["A1"].value.startswith("花名册数据问题报告")


def test_return_lists_one_per_township(tmp_path):
    folder = small_roster(tmp_path / "rosters")
    returns = ["--return-dir", str(tmp_path / "returns"), "--month", "2024-06"]
    result = run(["validate", str(folder), *returns, "--quiet"])
    assert result.exit_code == 1
    files = sorted(p.name for p in (tmp_path / "returns").iterdir())
    assert files == ["退回清单-2024-06-三合街道.xlsx", "退回清单-2024-06-虎威镇.xlsx"]
    book = openpyxl.load_workbook(tmp_path / "returns" / "退回清单-2024-06-虎威镇.xlsx")
    assert book.sheetnames == ["需更正后重报", "请核实"]
    # title, facts, file, instruction, header, then the two rejected rows
    assert "应退回行数：2" in book["需更正后重报"]["A2"].value
    assert "整改期限：2024-07-10" in book["需更正后重报"]["A2"].value
    assert book["需更正后重报"].max_row == 7
    assert book["请核实"].max_row == 4  # title, instruction, header + the 打工 warning
    # a list that leaves the bureau: the row number says which row; no full ID or card;
    # the township's own phone numbers as typed (their data)
    cells = [str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c]
    assert not [c for c in cells if re.search(r"\d{15}", c)]
    assert any(re.fullmatch(r"\d{6}\*+\d{3}[\dX]", c) for c in cells)


def test_ingest_writes_clean_roster(tmp_path):
    folder = small_roster(tmp_path / "rosters")
    out = tmp_path / "out"
    result = run(
        [
            "ingest",
            str(folder),
            "--kind",
            "roster",
            "--out",
            str(out),
            "--as-of",
            AS_OF.isoformat(),
            "--quiet",
        ]
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "logs",  # the run's log
        "roster-clean.csv",
        "roster-clean.xlsx",
        "roster-problems.xlsx",
    ]
    sheet = openpyxl.load_workbook(out / "roster-clean.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["乡镇", "村（社区）", "户编号", "姓名", "身份证号码"]
    assert header[-3:] == ["来源文件", "来源工作表", "来源行号"]
    ids = [sheet.cell(row=r, column=5) for r in range(2, sheet.max_row + 1)]
    assert [c.value for c in ids] == [valid_id(1), valid_id(4), valid_id(5)]
    assert all(c.data_type == "s" for c in ids)  # IDs are text cells
    csv_bytes = (out / "roster-clean.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert csv_bytes.decode("utf-8-sig").count("\r\n") == 4


def test_ingest_writes_nothing_when_a_file_cannot_be_read(tmp_path):
    folder = small_roster(tmp_path / "rosters")
    (folder / "3-坏文件.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    out = tmp_path / "out"
    result = run(["ingest", str(folder), "--out", str(out)])
    assert result.exit_code == 3
    assert "3-坏文件.xlsx" in result.output and "PDF" in result.output
    assert [p.name for p in out.iterdir()] == ["logs"]  # only the log of the failed run
    (log,) = (out / "logs").iterdir()
    assert "exit 3" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        (lambda p: (p / "a.xlsx").write_bytes(b""), "空的"),
        (lambda p: (p / "a.xlsx").write_bytes(b"%PDF-1.5"), "PDF"),
        (lambda p: (p / "a.csv").write_bytes(bytes(range(256)) * 8), "二进制"),
        (lambda p: xlsx(p / "a.xlsx", [[1, 2, 3], [4, 5, 6]]), "表头"),
        (
            lambda p: xlsx(p / "a.xlsx", [["乡镇", "姓名"], ["虎威镇", "甲"]]),
            "缺少必需的列“身份证号码”",
        ),
    ],
)
def test_bad_input_exit_3_one_line(tmp_path, setup, needle):
    setup(tmp_path)
    target = next(tmp_path.iterdir())
    result = run(["validate", str(target)])
    assert result.exit_code == 3
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0] and target.name in lines[0]
    assert "Traceback" not in result.output


def test_missing_path_and_empty_folder_exit_3(tmp_path):
    assert run(["validate", str(tmp_path / "nope.xlsx")]).exit_code == 3
    (tmp_path / "empty").mkdir()
    result = run(["validate", str(tmp_path / "empty")])
    assert result.exit_code == 3 and "没有可读取的表格文件" in result.output


def test_usage_errors_exit_2(tmp_path):
    path = xlsx(tmp_path / "ok.xlsx", [HEADER, person(1)])
    assert run(["validate", str(path), "--kind", "people"]).exit_code == 2
    assert run(["validate"]).exit_code == 2
    assert cli.main(["validate", str(path), "--kind", "people"]) == 2


def test_internal_error_goes_to_a_log(tmp_path, monkeypatch):
    monkeypatch.setenv("FENGDU_LOG_DIR", str(tmp_path / "logs"))

    def boom(*args, **kwargs):
        raise RuntimeError("secret 500230199001011234")

    monkeypatch.setattr("fengdu_cli.validate.check_paths", boom)
    path = xlsx(tmp_path / "ok.xlsx", [HEADER, person(1)])
    result = run(["validate", str(path)])
    assert result.exit_code == 5
    assert "Traceback" not in result.output and "500230199001011234" not in result.output
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and "RuntimeError" in logs[0].read_text(encoding="utf-8")
    assert str(logs[0]) in result.output.replace("\n", "")
    with pytest.raises(RuntimeError):
        runner.invoke(app, ["validate", str(path), "--debug"], catch_exceptions=False)


def test_lang_en(tmp_path):
    result = run(["validate", str(tmp_path / "nope.xlsx"), "--lang", "en"])
    assert result.exit_code == 3 and "No such file" in result.output


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [[c.name or c.callback.__name__] for c in app.registered_commands]
    for group in app.registered_groups:
        names += [
            [group.name, c.name or c.callback.__name__]
            for c in group.typer_instance.registered_commands
        ]
    flat = {" ".join(n) for n in names}
    assert {
        "validate",
        "ingest",
        "reconcile",
        "subsidy",
        "explain",
        "demo",
        "policy show",
        "ledger void",
    } <= flat
    for name in names:
        result = run([*name, "--help"])
        assert result.exit_code == 0, name
        assert f"fengdu {' '.join(name)}" in readme, (
            f"README lacks an example of 'fengdu {' '.join(name)}'"
        )


def test_version_short_help_and_lang_before_the_command(tmp_path):
    from fengdu_cli import __version__

    assert run(["--version"]).output.strip() == f"fengdu {__version__}"
    assert run(["validate", "-h"]).exit_code == 0
    folder = small_roster(tmp_path / "rosters")
    before = run(["--lang", "en", "validate", str(folder)])
    after = run(["validate", str(folder), "--lang", "en"])
    assert before.exit_code == after.exit_code == 1
    assert "Read — " in before.output and before.output == after.output
    assert "读取结果" in run(["validate", str(folder)]).output
    wrong = run(["validate", str(folder), "--lang", "fr"])
    assert wrong.exit_code == 2 and "'--lang'" in wrong.output and "'fr'" in wrong.output
    assert "zh" in run(["validate", "-h"]).output  # the choices are listed


def test_python_dash_m():
    result = subprocess.run(
        [sys.executable, "-m", "fengdu_cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "validate" in result.stdout


def test_return_list_goes_to_the_sending_township(tmp_path):
    # planted: a row typed with the non-existent township 丰都镇 in 虎威镇's file
    folder = tmp_path / "rosters"
    folder.mkdir()
    xlsx(folder / "虎威镇台账.xlsx", [HEADER, person(1), person(2, 乡镇="丰都镇")])
    result = run(
        ["validate", str(folder), "--return-dir", str(tmp_path / "r"), "--month", "2024-06",
         "--quiet"]
    )  # fmt: skip
    assert result.exit_code == 1
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["退回清单-2024-06-虎威镇.xlsx"]


def test_demo_makes_data_and_runs_the_month(tmp_path):
    made = run(["demo", "--make-data", str(tmp_path / "sample"), "--json"])
    assert made.exit_code == 0
    assert (tmp_path / "sample" / "planted.json").exists()
    result = run(
        ["demo", "--data", str(tmp_path / "sample"), "--out", str(tmp_path / "out"), "--json"]
    )
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert summary["kinds"]["roster"]["rows_read"] == 283
    assert summary["reconcile"]["month"] == "2024-06" and summary["subsidy"]["grand_total"] > 0
    for name in (
        "roster-clean.xlsx",
        "reconcile-2024-06.xlsx",
        "warnings-2024-06.csv",
        "payments-2024-06-试算.xlsx",
        "publicity-2024-06-试算.xlsx",
    ):
        assert (tmp_path / "out" / name).exists(), name
    assert (tmp_path / "out" / "demo.db").exists()  # the demo keeps its own database


def test_files_with_personal_data_are_private_and_the_others_are_not(tmp_path):
    import os
    import stat

    folder = small_roster(tmp_path / "rosters")
    run(["ingest", str(folder), "--out", str(tmp_path / "out"), "--quiet"])
    run(["validate", str(folder), "--return-dir", str(tmp_path / "returns"), "--quiet"])
    umask = os.umask(0)
    os.umask(umask)
    for private in ("roster-clean.xlsx", "roster-clean.csv", "roster-problems.xlsx"):
        assert stat.S_IMODE(os.stat(tmp_path / "out" / private).st_mode) == 0o600, private
    for shared in (tmp_path / "returns").iterdir():  # IDs masked, their own phones in full
        assert stat.S_IMODE(os.stat(shared).st_mode) == 0o600
