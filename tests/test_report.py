"""``fengdu report``: the year from a small hand-built store (two months of 2024, one of 2023,
two townships, a committed batch and a voided one), its workbook's native charts and the
figures behind them, the screen, the JSON and the English screen."""

from __future__ import annotations

import contextlib
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from fengdu_cli import store
from fengdu_cli.cli import app
from fengdu_cli.io.year_report import write_year_report
from fengdu_cli.policy import check_policy, load_policy
from fengdu_cli.policy.load import BUNDLED
from fengdu_cli.report import year_report
from fengdu_cli.store import ledger
from tests.conftest import pg_schema
from tests.makers import valid_id

KEY = "91500230MA5U1234XY"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
runner = CliRunner()


def _state(rows: list[tuple]) -> pd.DataFrame:
    """(n, township, working region or '', insured, employer code, start) → person states."""
    return pd.DataFrame(
        [
            {"id_number": valid_id(n), "township": t, "name": f"人{n}", "labor_capacity": "普通劳动力",
             "active_jobs": int(bool(region)), "region": region, "insured_m": insured,
             "employer_code": code, "start_date": pd.Timestamp(start) if start else pd.NaT}
            for n, t, region, insured, code, start in rows
        ]
    )  # fmt: skip


def _warnings(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"id_number": valid_id(n), "code": c, "township": t, "detail": "", "status": "新增"}
            for n, t, c in rows
        ]
    )


def _fill(db: str) -> None:
    """Store 2023-06, 2024-05 and 2024-06 in ``db``, and June's batch (May's voided)."""
    conn = store.connect(db)
    months = {
        202306: ([(1, "虎威镇", "county", True, "", None), (2, "虎威镇", "", False, "", None),
                  (3, "社坛镇", "outside", True, "", None)],
                 [(2, "虎威镇", "no_record")]),
        202405: ([(1, "虎威镇", "county", True, "", None), (2, "虎威镇", "chongqing", True, KEY,
                  "2024-05-10"), (3, "社坛镇", "outside", False, "", None),
                  (4, "社坛镇", "", False, "", None)],
                 [(3, "社坛镇", "insurance_stopped"), (4, "社坛镇", "no_record")]),
        202406: ([(1, "虎威镇", "county", True, "", None), (2, "虎威镇", "chongqing", True, KEY,
                  "2024-05-10"), (3, "社坛镇", "outside", True, "", None),
                  (4, "社坛镇", "county", True, KEY, "2024-06-03")],
                 []),
    }  # fmt: skip
    for month, (state, warned) in months.items():
        run_id = store.start_run(conn, "reconcile", month)
        store.replace_month(conn, month, run_id, _state(state), _warnings(warned), {})
    lines = pd.DataFrame(
        {"rule": ["travel", "travel"], "key": [valid_id(3), valid_id(2)],
         "payee_type": "person", "payee_id": [valid_id(3), valid_id(2)], "payee_name": "x",
         "township": ["社坛镇", "虎威镇"], "amount_fen": [20000, 5000],
         "identities": [valid_id(3), valid_id(2)]}
    )  # fmt: skip
    may = lines.iloc[:1].assign(rule="workshop_monthly")
    ledger.commit_batch(conn, "2024-05-B1", 202405, 1, may, "sha", {})
    ledger.void_batch(conn, "2024-05-B1", "录错")
    ledger.commit_batch(conn, "2024-06-B1", 202406, 1, lines, "sha", {})
    conn.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def folder(request, tmp_path_factory) -> Iterator[Path]:
    """A policy whose recruitment target counts KEY, and the store :func:`_fill` makes: a
    SQLite file in the folder, or a PostgreSQL schema (``db`` of the folder)."""
    root = tmp_path_factory.mktemp("report")
    text = (Path(__file__).parents[1] / "fengdu_cli" / BUNDLED).read_text(encoding="utf-8")
    policy = root / "policy.toml"
    policy.write_text(
        text.replace("target = 6100", f'target = 6100\nemployers = ["{KEY} 测试电子"]'),
        encoding="utf-8",
    )
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            db = str(root / "fengdu.db")
        else:
            db = stack.enter_context(pg_schema())
        _fill(db)
        (root / "db").write_text(db, encoding="utf-8")
        yield root


def _db(folder: Path) -> str:
    """The store of the :func:`folder` fixture."""
    return (folder / "db").read_text(encoding="utf-8")


def test_the_year_per_township_and_month_and_against_a_year_earlier(folder):
    result = year_report(_db(folder), 2024, policy_path=folder / "policy.toml")
    assert result.months == tuple(range(202401, 202407))
    assert result.stored == (202405, 202406) and result.earlier == (202306,)
    county = result.county.set_index("month")
    # a month never reconciled is empty, never 0
    assert county.loc[202403, ["persons", "working", "warnings"]].isna().all()
    june = county.loc[202406]
    assert (june.persons, june.working, june.employed_county, june.employed_chongqing,
            june.employed_outside, june.insured) == (4, 4, 2, 1, 1, 4)  # fmt: skip
    assert county.loc[202405, "warnings"] == 2 and county.loc[202405, "w_no_record"] == 1
    # paid: the committed batch, the voided one taken off
    assert (june.paid_lines, june.paid_fen) == (2, 25000)
    assert county.loc[202405, "paid_lines"] == 0
    # against 2023-06 (3 persons, 2 working, 2 insured, 1 warning); May has no year earlier
    assert (june.persons_change, june.working_change, june.warnings_change) == (1, 2, -1)
    assert np.isnan(county.loc[202405, "working_change"])
    towns = result.township_month().set_index("township")
    assert list(towns.index) == ["虎威镇", "社坛镇"]  # the county's order
    assert towns.loc["社坛镇", "persons_change"] == 1  # 1 person in 2023-06, 2 now
    assert towns.loc["社坛镇", "paid_fen"] == 20000
    # hires at the key employer, by the month the job started, each once
    assert list(county["hires"]) == [0, 0, 0, 0, 1, 1]
    assert list(county["hires_cumulative"]) == [0, 0, 0, 0, 1, 2]
    assert county.loc[202406, "share"] == pytest.approx(2 / 6100)
    assert result.target is not None and result.target.target == 6100
    assert result.target.employers_from == "target"
    # up to May only
    may = year_report(_db(folder), 2024, through=202405, policy_path=folder / "policy.toml")
    assert may.months[-1] == 202405 and may.county["hires_cumulative"].iloc[-1] == 1


def test_workbook_holds_native_charts_over_the_data_cells(folder, tmp_path):
    result = year_report(_db(folder), 2024, policy_path=folder / "policy.toml")
    path = write_year_report(result, load_policy(folder / "policy.toml"), tmp_path)
    assert path.name == "report-2024.xlsx"
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 3
        working = z.read("xl/charts/chart1.xml").decode("utf-8")
        bars = z.read("xl/charts/chart3.xml").decode("utf-8")  # page 2: the townships
    assert "<c:lineChart>" in working and "<c:barChart>" in bars
    refs = re.compile(r"<c:f>'?([^<!']+)'?!(\$[A-Z]+\$\d+(?::\$[A-Z]+\$\d+)?)</c:f>")
    assert ("全县逐月", "$G$5:$G$10") in refs.findall(working)  # 务工合计, January to June
    assert ("乡镇2024-06", "$G$5:$G$6") in refs.findall(bars)
    book = openpyxl.load_workbook(path)
    county = book["全县逐月"]
    assert county["G4"].value == "务工合计"
    assert [county[f"G{r}"].value for r in range(5, 11)] == [None] * 4 + [3, 4]
    assert county["P7"].value == "未存储"
    towns = book["乡镇2024-06"]
    assert towns["A7"].value == "合计" and towns["B7"].value == "=SUM(B5:B6)"
    target = book["招工任务"]
    assert [target[f"C{r}"].value for r in range(5, 11)] == [0, 0, 0, 0, 1, 2]
    assert towns.page_setup.orientation == "landscape"


def test_report_screen_json_and_english(folder, tmp_path):
    args = ["report", "--year", "2024", "--db", str(_db(folder)), "--out",
            str(tmp_path), "--policy", str(folder / "policy.toml")]  # fmt: skip
    screen = runner.invoke(app, args)
    assert screen.exit_code == 0, screen.output
    assert "社坛镇" in screen.output and "年度任务 6,100 人" in screen.output
    summary = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    june = summary["county"][-1]
    assert summary["stored"] == ["2024-05", "2024-06"] and june["month"] == "2024-06"
    assert june["paid_yuan"] == 250.0 and june["paid"]["travel"] == {"lines": 2, "yuan": 250.0}
    assert june["change"]["working"] == 2 and summary["county"][4]["change"]["working"] is None
    assert summary["county"][0]["persons"] is None
    assert summary["target"]["hires"] == 2 and summary["target"]["target"] == 6100
    english = runner.invoke(app, [*args, "--lang", "en"])
    assert english.exit_code == 0
    data = {"虎威镇", "社坛镇"}
    for line in english.output.splitlines():
        for name in data:
            line = line.replace(name, "")
        assert not CJK.search(line), line


def test_workbook_prints_two_charts_a_page_names_the_lines_without_a_township_and_the_rules(
    folder, tmp_path, request
):
    server = "://" in _db(folder)  # a store of its own, on the folder's kind of database
    db = request.getfixturevalue("pg_url") if server else str(tmp_path / "fengdu.db")
    _fill(db)
    conn = store.connect(db)
    # a second June batch: an employer's line without a township, rules the policy orders
    # hire_once, workshop_monthly, travel (their codes sort hire_once, travel, workshop_...)
    more = pd.DataFrame(
        {"rule": ["workshop_monthly", "hire_once"], "key": ["E1", "E2"],
         "payee_type": "organisation", "payee_id": ["E1", "E2"], "payee_name": "x",
         "township": [None, "虎威镇"], "amount_fen": [70000, 10000], "identities": ["E1", "E2"]}
    )  # fmt: skip
    ledger.commit_batch(conn, "2024-06-B2", 202406, 1, more, "sha", {})
    conn.close()
    result = year_report(db, 2024, policy_path=folder / "policy.toml")
    june = result.paid[result.paid["month"] == 202406]
    assert list(june["rule"]) == ["hire_once", "workshop_monthly", "travel"]
    path = write_year_report(result, load_policy(folder / "policy.toml"), tmp_path)
    book = openpyxl.load_workbook(path)
    paid = book["补贴发放"]
    assert [paid[f"B{r}"].value for r in range(5, 8)] == [
        "一次性吸纳就业补贴", "就业帮扶车间带动就业奖补", "跨区域交通补助"]  # fmt: skip
    towns = book["乡镇2024-06"]
    assert [towns[f"A{r}"].value for r in range(5, 9)] == [
        "虎威镇",
        "社坛镇",
        "（未填乡镇）",
        "合计",
    ]
    assert towns["K4"].value == "补贴金额\n（元）"  # the unit on a line of its own
    # the column holds the bold total (never ###)
    assert towns.column_dimensions["K"].width >= len("1,050.00") + 3
    county = book["全县逐月"]
    assert "每个月都有" in county["A2"].value  # the ledger's figures are known every month
    charts = book["图表"]
    assert "A2:M2" in {str(r) for r in charts.merged_cells.ranges}  # the note not cut
    assert charts.row_breaks.brk[0].id == 31  # two charts on page 1, the townships on page 2
    with zipfile.ZipFile(path) as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode("utf-8")
        bars = z.read("xl/charts/chart3.xml").decode("utf-8")
    rows = [int(r) for r in re.findall(r"<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff>"
                                       r"<xdr:row>(\d+)</xdr:row>", drawing)]  # fmt: skip
    assert rows == [3, 17, 31]
    # the townships' bars leave out the lines without a township (no one to show)
    assert "'乡镇2024-06'!$G$5:$G$6" in bars and "$G$7" not in bars


def _screen_figures(summary: dict, month: str) -> list[tuple[str, str]]:
    """(row label, figure as the screen writes it) of every figure of the JSON: the county's
    months and the townships of ``month``."""

    def shown(name: str, value: float | None) -> str | None:
        if value is None:
            return None
        if name.startswith("paid_yuan"):
            return (
                "0"
                if name.endswith("change") and value == 0
                else (f"{value:+,.2f}" if name.endswith("change") else f"{value:,.2f}")
            )
        return (
            ("0" if value == 0 else f"{value:+,.0f}")
            if name.endswith("change")
            else (f"{value:,.0f}")
        )

    rows = [(r["month"], r) for r in summary["county"]]
    rows += [
        (r["township"] or "（未填乡镇）", r) for r in summary["townships"] if r["month"] == month
    ]
    figures = []
    for label, row in rows:
        named = [
            (n, row[n])
            for n in (
                "persons",
                "labor_capable",
                "employed_county",
                "employed_chongqing",
                "employed_outside",
                "working",
                "insured",
                "warnings",
                "paid_lines",
                "paid_yuan",
            )
        ]
        named += [
            (f"{n}_change", v)
            for n, v in row["change"].items()
            if n in ("working", "insured", "warnings", "paid_yuan")
        ]
        figures += [(label, f) for n, v in named if (f := shown(n, v)) is not None]
    return figures  # fmt: skip


def _assert_whole(screen: str, figures: list[tuple[str, str]], width: int) -> None:
    from rich.cells import cell_len

    tables = [line for line in screen.splitlines() if line.startswith(" ")]
    assert tables and all(cell_len(line) <= width for line in tables), screen
    for label, figure in figures:
        # the label's lines in every table: the figure is one whole word on one of them
        words = {w for line in screen.splitlines() if line.split()[:1] == [label]
                 for w in line.split()}  # fmt: skip
        assert figure in words, (label, figure, screen)


def test_report_screen_at_80_columns_shows_every_figure_whole(folder, tmp_path):
    import dataclasses
    import io

    from rich.console import Console

    from fengdu_cli.cli.report import render_year
    from fengdu_cli.messages import text

    args = ["report", "--year", "2024", "--db", str(_db(folder)), "--out",
            str(tmp_path), "--policy", str(folder / "policy.toml")]  # fmt: skip
    screen = runner.invoke(app, args, env={"COLUMNS": "80"})
    summary = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    _assert_whole(screen.output, _screen_figures(summary, "2024-06"), 80)
    # a county's year: millions of yuan, and lines without a township
    result = year_report(_db(folder), 2024, policy_path=folder / "policy.toml")
    county = result.county.assign(
        paid_fen=result.county["paid_fen"] * 77_777,
        paid_fen_change=result.county["paid_fen_change"] * 77_777,
        persons=result.county["persons"] * 12_345,
    )
    towns = result.townships
    nowhere = towns[towns["month"] == 202406].iloc[:1].assign(township="", persons=0)
    towns = pd.concat([towns, nowhere], ignore_index=True)
    towns = towns.assign(paid_fen=towns["paid_fen"] * 77_777,
                         paid_fen_change=-towns["paid_fen_change"] * 77_777)  # fmt: skip
    big = dataclasses.replace(result, county=county, townships=towns)
    for lang in ("zh", "en"):
        out = io.StringIO()
        render_year(big, Console(file=out, width=80, highlight=False), lang)
        shown = out.getvalue()
        figures = _screen_figures(big.summary(), "2024-06")
        if lang == "en":
            figures = [(label.replace("（未填乡镇）", "(no"), f) for label, f in figures]
        assert ("2024-06", "+19,444,250.00") in figures and ("2024-06", "49,380") in figures
        _assert_whole(shown, figures, 80)
        # the heads wrap only where their short form breaks
        for code in ("persons", "employed_chongqing", "paid_fen", "paid_fen_change"):
            for line in text(f"rp_scr_{code}", lang).split("\n"):
                assert line in shown, (line, shown)


def test_a_year_without_stored_months_is_a_clear_usage_error(folder, tmp_path):
    result = runner.invoke(app, ["report", "--year", "2022", "--db", str(_db(folder)),
                                 "--out", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 2 and "2022" in result.output and "Traceback" not in result.output
    wrong = runner.invoke(app, ["report", "--year", "2024", "--month", "2023-05", "--db",
                                str(_db(folder)), "--out", str(tmp_path)])  # fmt: skip
    assert wrong.exit_code == 2
    missing = runner.invoke(app, ["report", "--year", "2024", "--db", str(tmp_path / "no.db")])
    assert missing.exit_code == 2 and not (tmp_path / "no.db").exists()


def test_policy_check_validates_the_recruitment_target(tmp_path):
    text = (Path(__file__).parents[1] / "fengdu_cli" / BUNDLED).read_text(encoding="utf-8")
    assert load_policy().targets["recruitment"].periods[0].target == 6100
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace("target = 6100", 'target = "很多"\nemployer = []'), encoding="utf-8"
    )
    codes = {p.code for p in check_policy(bad)}
    assert {"policy_target_number", "policy_unknown_target_key"} <= codes
