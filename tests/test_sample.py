"""Tests for the sample-month generator (fengdu_cli.sample).

They check what the rest of the toolkit relies on: the month is deterministic, the
manifest tells the truth (every planted cell really holds a value of its problem code,
read back from the files as a reader would), each reconcile/subsidy scenario holds under
the DESIGN §6 definitions (re-implemented here on the files, independently of the
generator), and the committed ``sample_data/`` is exactly what the generator writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from fengdu_cli.dates import add_months, first_day, last_day
from fengdu_cli.idcard import check_digit
from fengdu_cli.io.columns import ALIASES
from fengdu_cli.io.recognise import Recogniser
from fengdu_cli.sample import (
    CATEGORY_VALUES,
    LABOR_VALUES,
    NOT_WORKING_STATUSES,
    WORKING_STATUSES,
    SampleManifest,
    load_manifest,
    make_sample,
)
from fengdu_cli.townships import TOWNSHIPS

COMMITTED = Path(__file__).resolve().parents[1] / "sample_data"
MONTH = 202406
WARNING_CODES = {"insurance_stopped", "job_ended", "short_tenure", "frequent_change",
                 "no_record", "status_mismatch"}  # fmt: skip
RULE_CODES = {"hire_once", "workshop_monthly", "travel", "job_seeking_once", "shandong_stable",
              "startup_household"}  # fmt: skip
LABOR_CAPABLE = {"普通劳动力", "技能劳动力", "弱劳动力或半劳动力"}
MONITORED = {"监测对象", "边缘易致贫户", "脱贫不稳定户", "突发严重困难户"}
FILE_KIND = {"rosters": "roster", "employment": "employment", "insurance": "insurance",
             "workshops": "workshops", "businesses": "businesses"}  # fmt: skip


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SampleManifest]:
    """One generated month, shared by the tests of this module."""
    out = tmp_path_factory.mktemp("sample")
    return out, make_sample(out, MONTH)


# ---------------------------------------------------------------------------- reading helpers

Rows = list[list[object]]


def read_csv(path: Path) -> Rows:
    """CSV lines as cell lists, line i+1 at index i; UTF-8 (BOM or not) or GBK."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gbk")
    return [next(csv.reader([line])) if line else [] for line in text.splitlines()]


def read_sheets(path: Path) -> dict[str, Rows]:
    """Every sheet (workbook order) or the CSV (sheet ''), rows from Excel row 1 at index 0."""
    if path.suffix == ".csv":
        return {"": read_csv(path)}
    book = CalamineWorkbook.from_path(str(path))
    return {
        name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in book.sheet_names
    }


def kind_of(file: str) -> str:
    return FILE_KIND[file.split("/", 1)[0]]


def _meaning(kind: str, header: object) -> str | None:
    """The column a header names by its words (alias or keywords), or None."""
    matches = Recogniser(kind).text_matches(header)
    return next(iter(matches)) if len(matches) == 1 else None


def header_map(rows: Rows, kind: str) -> tuple[dict[str, int], int]:
    """(canonical column or raw header → column index, number of header rows)."""
    columns: dict[str, int] = {}
    last = -1
    for r, row in enumerate(rows[:3]):
        names = [_meaning(kind, cell) for cell in row]
        if len({n for n in names if n}) < 2:
            continue  # a title, or a row of values (桂山社区 is a village, not a header)
        for c, (cell, name) in enumerate(zip(row, names, strict=True)):
            if name:
                columns.setdefault(name, c)
                last = r
            if isinstance(cell, str) and cell:
                columns.setdefault(cell, c)
    return columns, last + 1


def norm(value: object) -> str:
    """An ID cell normalised as DESIGN §6 says: trim, no inner spaces, NFKC, X upper."""
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", str(value))).upper()


def birth_ok(id18: str) -> bool:
    try:
        dt.date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))
    except ValueError:
        return False
    return True


def is_valid_id(text: str) -> bool:
    return (
        bool(re.fullmatch(r"\d{17}[\dX]", text))
        and text[17] == check_digit(text[:17])
        and birth_ok(text)
    )


def text_of(cell: object) -> str:
    """A cell as the manifest writes it."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def parses_as_date(text: str) -> bool:
    match = re.fullmatch(r"(\d{4})\D(\d{1,2})\D(\d{1,2})\D?", text.strip())
    if not match:
        return False
    try:
        dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------- determinism & files


def test_generation_is_deterministic(sample, tmp_path: Path) -> None:
    first_dir, first = sample
    second = make_sample(tmp_path, MONTH)
    assert second == first
    for rel in first.files:
        a, b = first_dir / rel, tmp_path / rel
        if a.suffix in (".xlsx", ".xls"):
            assert read_sheets(a) == read_sheets(b), rel
        else:
            assert a.read_bytes() == b.read_bytes(), rel


def test_a_different_seed_gives_different_people(sample, tmp_path: Path) -> None:
    _, first = sample
    other = make_sample(tmp_path, MONTH, seed=7)
    assert {p.value for p in other.planted} != {p.value for p in first.planted}


def test_manifest_lists_exactly_the_files_written(sample) -> None:
    out, manifest = sample
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert on_disk == sorted(manifest.files)
    assert load_manifest(out / "planted.json") == manifest
    assert manifest.month == MONTH


def test_folder_has_every_kind_and_six_township_rosters(sample) -> None:
    _, manifest = sample
    rosters = [f for f in manifest.files if f.startswith("rosters/")]
    assert {Path(f).suffix for f in rosters} == {".xlsx", ".xls", ".csv"}
    assert len(rosters) == 6
    for folder in ("employment/", "insurance/", "workshops/", "businesses/"):
        assert any(f.startswith(folder) for f in manifest.files)
    assert "insurance/2023.csv" in manifest.files
    assert "insurance/2024-01_06.xlsx" in manifest.files


def test_csv_encodings(sample) -> None:
    out, _ = sample
    gbk = (out / "rosters/社坛镇2024年6月台账.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert gbk.decode("gbk").startswith("序号,镇街")
    bom = (out / "rosters/南天湖镇务工台账202406.csv").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf")
    assert all(line.endswith(",,,") for line in bom.decode("utf-8-sig").splitlines())


def test_roster_headers_resolve_to_canonical_columns(sample) -> None:
    out, manifest = sample
    extras = {"序号", "登记日期", "备注", "基本信息", "务工情况"}
    for rel in (f for f in manifest.files if f.startswith("rosters/")):
        for sheet, rows in read_sheets(out / rel).items():
            columns, header_rows = header_map(rows, "roster")
            if sheet == "说明":
                assert header_rows == 0
                continue
            header_lines = [r for r in rows[:header_rows] if sum(1 for c in r if c) > 1]
            headers = {c for row in header_lines for c in row if c}
            unknown = {h for h in headers if _meaning("roster", h) is None} - extras
            assert not unknown, (rel, sheet, unknown)
            assert {"name", "id_number", "township", "work_status"} <= set(columns), rel


# ---------------------------------------------------------------------------- planted cells


def cell_at(out: Path, item) -> object:
    rows = read_sheets(out / item.file)[item.sheet]
    row = rows[item.row - 1]
    if not item.column:
        return row
    columns, _ = header_map(rows, kind_of(item.file))
    index = columns[item.column]
    return row[index] if index < len(row) else ""


def _allowed(column: str) -> tuple[str, ...]:
    return {"category": CATEGORY_VALUES, "labor_capacity": LABOR_VALUES,
            "work_status": WORKING_STATUSES + NOT_WORKING_STATUSES}[column]  # fmt: skip


CHECKS = {
    "ok_normalised": lambda cell, item: (
        isinstance(cell, str) and norm(cell) != cell and is_valid_id(norm(cell))
    ),
    "id_checksum": lambda cell, _: (
        isinstance(cell, str)
        and bool(re.fullmatch(r"\d{17}[\dX]", norm(cell)))
        and norm(cell)[17] != check_digit(norm(cell)[:17])
    ),
    "id_birthdate": lambda cell, _: (
        isinstance(cell, str)
        and norm(cell)[17] == check_digit(norm(cell)[:17])
        and not birth_ok(norm(cell))
    ),
    "id_format": lambda cell, _: (
        isinstance(cell, str) and not re.fullmatch(r"\d{15}|\d{17}[\dX]", norm(cell))
    ),
    "id_15_digit": lambda cell, _: isinstance(cell, str) and bool(re.fullmatch(r"\d{15}", cell)),
    "id_precision_lost": lambda cell, _: isinstance(cell, float) and cell >= 1e15,
    "missing_required": lambda cell, _: cell in ("", None),
    "duplicate_person": lambda cell, _: is_valid_id(norm(cell)),
    "unknown_township": lambda cell, _: isinstance(cell, str) and cell.strip() not in TOWNSHIPS,
    "bad_category": lambda cell, item: str(cell).strip() not in _allowed(item.column),
    "bad_number": lambda cell, item: (
        not re.fullmatch(r"1\d{10}", str(cell).strip())
        if item.column == "phone"
        else not re.fullmatch(r"\d+(\.\d+)?", str(cell))
    ),
    "bad_date": lambda cell, _: isinstance(cell, str) and not parses_as_date(cell),
}


def test_every_planted_cell_holds_its_value(sample) -> None:
    out, manifest = sample
    problems = [p for p in manifest.planted if p.kind != "scenario"]
    assert problems
    for item in problems:
        cell = cell_at(out, item)
        if isinstance(cell, float):  # a number cell: compare as Excel stores it
            assert float(item.value) == cell, item
        else:
            assert text_of(cell) == item.value, item
        assert CHECKS[item.code](cell, item), item


def test_every_scenario_row_holds_its_person(sample) -> None:
    out, manifest = sample
    for item in (p for p in manifest.planted if p.kind == "scenario"):
        assert item.column == ""
        row = cell_at(out, item)
        assert item.value in [str(c).strip() for c in row], item


def test_planted_problem_codes_cover_design(sample) -> None:
    _, manifest = sample
    codes = {p.code for p in manifest.planted if p.kind != "scenario"}
    assert codes >= {
        "id_format", "id_checksum", "id_birthdate", "id_precision_lost", "id_15_digit",
        "missing_required", "duplicate_person", "unknown_township", "bad_date", "bad_number",
        "bad_category", "ok_normalised",
    }  # fmt: skip
    missing = [p for p in manifest.planted if p.code == "missing_required"]
    assert {p.column for p in missing} == {"id_number", "name"}
    assert {p.value for p in manifest.planted if p.code == "bad_category"} == {
        "贫困户2",
        "打工",
        "强劳动力",
    }


# ---------------------------------------------------------------------------- roster content


def roster_rows(out: Path, manifest: SampleManifest):
    """(file, sheet, Excel row, id cell, cells) of person rows, files in name order."""
    for rel in sorted(f for f in manifest.files if f.startswith("rosters/")):
        for sheet, rows in read_sheets(out / rel).items():
            columns, header_rows = header_map(rows, "roster")
            if not header_rows:
                continue
            for r in range(header_rows, len(rows)):
                row = rows[r]
                if not row:
                    continue
                name, id_cell = row[columns["name"]], row[columns["id_number"]]
                if "合计" in row or str(row[0]).startswith(("填表人", "填报日期")):
                    continue
                if name not in ("", None) or id_cell not in ("", None):
                    yield rel, sheet, r + 1, id_cell, row


def test_duplicates_are_exactly_the_planted_later_rows(sample) -> None:
    out, manifest = sample
    seen: dict[str, tuple[str, str, int]] = {}
    later = set()
    for rel, sheet, number, id_cell, _ in roster_rows(out, manifest):
        if not isinstance(id_cell, str) or not is_valid_id(norm(id_cell)):
            continue
        key = norm(id_cell)
        if key in seen:
            later.add((rel, sheet, number))
        else:
            seen[key] = (rel, sheet, number)
    planted = {(p.file, p.sheet, p.row) for p in manifest.planted if p.code == "duplicate_person"}
    assert later == planted
    assert len({p.file for p in manifest.planted if p.code == "duplicate_person"}) == 3


def test_people_count_matches_roster_rows(sample) -> None:
    out, manifest = sample
    rows = list(roster_rows(out, manifest))
    duplicates = sum(p.code == "duplicate_person" for p in manifest.planted)
    assert len(rows) == manifest.people + duplicates
    per_file = defaultdict(int)
    for rel, *_ in rows:
        per_file[rel] += 1
    assert all(40 <= n <= 62 for n in per_file.values()), per_file


def test_shetan_township_column_is_empty(sample) -> None:
    out, _ = sample
    rows = read_csv(out / "rosters/社坛镇2024年6月台账.csv")
    columns, _ = header_map(rows, "roster")
    assert all(row[columns["township"]] == "" for row in rows[1:] if row)
    assert [] in rows  # blank lines


# ---------------------------------------------------------------------------- scenarios (DESIGN §6)


@dataclass
class Job:
    code: str
    start: dt.date
    end: dt.date | None
    full_time: bool
    region: str


@dataclass
class Facts:
    """The exports, as plain Python: jobs and paid months per ID."""

    jobs: dict[str, list[Job]] = field(default_factory=lambda: defaultdict(list))
    paid: dict[str, dict[str, set[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    workshops: set[str] = field(default_factory=set)
    businesses: list[tuple[str, str, dt.date]] = field(default_factory=list)


def table(out: Path, rel: str) -> list[dict[str, object]]:
    """A simple export (header on row 1) as dicts keyed by canonical column."""
    rows = next(iter(read_sheets(out / rel).values()))
    kind = kind_of(rel)
    keys = [_meaning(kind, h) for h in rows[0]]
    return [dict(zip(keys, row, strict=False)) for row in rows[1:] if any(row)]


def load_facts(out: Path, manifest: SampleManifest) -> Facts:
    facts = Facts()
    for rel in manifest.files:
        if rel.startswith("employment/"):
            for r in table(out, rel):
                end = r["end_date"] if isinstance(r["end_date"], dt.date) else None
                facts.jobs[r["id_number"]].append(
                    Job(
                        r["employer_code"],
                        r["start_date"],
                        end,
                        r["employment_type"] == "全日制",
                        r["work_region"],
                    )
                )
                facts.names[r["name"]].add(r["id_number"])
        elif rel.startswith("insurance/"):
            for r in table(out, rel):
                facts.paid[r["id_number"]][r["employer_code"]].add(int(r["period"]))
                facts.rows[(r["id_number"], int(r["period"]))] += 1
        elif rel.startswith("workshops/"):
            facts.workshops = {r["employer_code"] for r in table(out, rel)}
        elif rel.startswith("businesses/"):
            facts.businesses = [
                (r["id_number"], r["business_code"], r["registration_date"])
                for r in table(out, rel)
            ]
    return facts


@dataclass
class Who:
    id_number: str
    category: str
    labor: str
    status: str


def person_on_row(row: list[object], id_number: str) -> Who:
    cells = [str(c).strip() for c in row]
    pick = lambda values: next((c for c in cells if c in values), "")  # noqa: E731
    return Who(id_number, pick(CATEGORY_VALUES), pick(LABOR_VALUES),
               pick(WORKING_STATUSES + NOT_WORKING_STATUSES))  # fmt: skip


def active(job: Job, m: int) -> bool:
    return job.start <= last_day(m) and (job.end is None or job.end >= last_day(m))


def stable(job: Job, m: int, n: int) -> bool:
    return active(job, m) and job.start <= first_day(add_months(m, -(n - 1)))


def paid_in(facts: Facts, id_number: str, month: int) -> bool:
    return any(month in months for months in facts.paid[id_number].values())


def warnings_for(facts: Facts, who: Who, m: int) -> set[str]:
    jobs, i = facts.jobs[who.id_number], who.id_number
    now = [j for j in jobs if active(j, m)]
    out = set()
    if paid_in(facts, i, add_months(m, -1)) and not paid_in(facts, i, m):
        out.add("insurance_stopped")
    if not now and any(j.end and first_day(m) <= j.end <= last_day(m) for j in jobs):
        out.add("job_ended")
    if now and not any(stable(j, m, 3) for j in now):
        out.add("short_tenure")
    window = {j.code for j in jobs if first_day(add_months(m, -11)) <= j.start <= last_day(m)}
    if len(window) >= 3:
        out.add("frequent_change")
    if who.labor in LABOR_CAPABLE and not now and not paid_in(facts, i, m):
        out.add("no_record")
        if who.status in WORKING_STATUSES:
            out.add("status_mismatch")
    if who.status in NOT_WORKING_STATUSES and now:
        out.add("status_mismatch")
    return out


def travel_amount(facts: Facts, who: Who, m: int) -> int:
    born = dt.date(int(who.id_number[6:10]), int(who.id_number[10:12]), int(who.id_number[12:14]))
    end = last_day(m)
    age = end.year - born.year - ((end.month, end.day) < (born.month, born.day))
    if who.category != "脱贫人口" or age < 16 or who.labor not in LABOR_CAPABLE:
        return 0
    away = [j for j in facts.jobs[who.id_number] if active(j, m) and "丰都" not in j.region]
    if not away:
        return 0
    return 50 if all("重庆" in j.region for j in away) else 200


def rules_for(facts: Facts, who: Who, m: int) -> set[str]:
    i, out = who.id_number, set()
    now = [j for j in facts.jobs[i] if active(j, m)]
    window = {add_months(m, -k) for k in range(12)}
    if who.category == "脱贫人口" and any(
        j.full_time and window <= facts.paid[i][j.code] for j in now
    ):
        out.add("hire_once")
    if any(j.code in facts.workshops and stable(j, m, 3) for j in now):
        out.add("workshop_monthly")
    if travel_amount(facts, who, m):
        out.add("travel")
        away = [j for j in now if "丰都" not in j.region and stable(j, m, 3)]
        if away:
            out.add("job_seeking_once")
        if any("山东" in j.region for j in away):
            out.add("shandong_stable")
    for owner, code, registered in facts.businesses:
        if owner != i or registered > first_day(add_months(m, -5)):
            continue
        if who.category not in MONITORED | {"脱贫人口"}:
            continue
        staff = [
            p
            for p, by in facts.paid.items()
            if p != i and len({x for x in by.get(code, ()) if x <= m}) >= 6
        ]
        if len(staff) >= 3:
            out.add("startup_household")
    return out


def scenario_people(out: Path, manifest: SampleManifest):
    by_row: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    ids: dict[tuple[str, str, int], str] = {}
    for p in manifest.planted:
        if p.kind == "scenario":
            by_row[(p.file, p.sheet, p.row)].add(p.code)
            ids[(p.file, p.sheet, p.row)] = p.value
    for key, codes in by_row.items():
        row = read_sheets(out / key[0])[key[1]][key[2] - 1]
        yield person_on_row(row, ids[key]), codes


def test_each_scenario_person_gets_exactly_the_recorded_flags_and_rules(sample) -> None:
    out, manifest = sample
    facts = load_facts(out, manifest)
    checked = 0
    for who, codes in scenario_people(out, manifest):
        if "possible_id_typo" in codes:
            continue
        expected = codes & (WARNING_CODES | RULE_CODES)
        got = warnings_for(facts, who, MONTH) | rules_for(facts, who, MONTH)
        assert got == expected, (who, codes)
        checked += 1
    assert checked >= 20


def test_scenario_codes_cover_the_brief(sample) -> None:
    _, manifest = sample
    codes = {p.code for p in manifest.planted if p.kind == "scenario"}
    assert codes >= WARNING_CODES | RULE_CODES | {
        "possible_id_typo", "two_types_one_month", "edge_job_ends_last_day",
        "edge_start_first_day_m_minus_2", "edge_11_insured_months", "edge_gap_in_12_months",
        "edge_workshop_short", "edge_age_16_last_day", "edge_shandong_short",
        "edge_business_too_recent", "edge_business_2_employees",
    }  # fmt: skip


def test_travel_amounts_and_three_types(sample) -> None:
    out, manifest = sample
    facts = load_facts(out, manifest)
    people = list(scenario_people(out, manifest))
    amounts = {travel_amount(facts, who, MONTH) for who, codes in people if "travel" in codes}
    assert amounts == {50, 200}
    (who,) = [w for w, codes in people if "two_types_one_month" in codes]
    months = {m for by in facts.paid[who.id_number].values() for m in by}
    assert all(facts.rows[(who.id_number, m)] == 3 for m in months)
    assert len(months) < 12 <= 3 * len(months)  # rows would wrongly reach 12, months do not


def test_typo_ids_are_one_slip_from_a_registered_namesake(sample) -> None:
    out, manifest = sample
    facts = load_facts(out, manifest)
    typos = [p for p in manifest.planted if p.code == "possible_id_typo"]
    assert len(typos) == 2
    for item in typos:
        row = [str(c).strip() for c in cell_at(out, item)]
        wrong = item.value
        near = [
            i for name in row for i in facts.names.get(name, ())
            if sum(a != b for a, b in zip(i, wrong, strict=True)) == 1
            or any(wrong == i[:k] + i[k + 1] + i[k] + i[k + 2 :] for k in range(17))
        ]  # fmt: skip
        assert len(near) == 1 and is_valid_id(near[0]), item


# ---------------------------------------------------------------------------- committed copy


def test_committed_sample_data_is_a_fresh_generation(sample) -> None:
    out, manifest = sample
    committed = sorted(
        p.relative_to(COMMITTED).as_posix() for p in COMMITTED.rglob("*") if p.is_file()
    )
    assert committed == sorted(manifest.files), "regenerate sample_data with make_sample"
    for rel in manifest.files:
        fresh, kept = out / rel, COMMITTED / rel
        if fresh.suffix in (".xlsx", ".xls"):
            assert read_sheets(fresh) == read_sheets(kept), rel
        else:
            assert fresh.read_bytes() == kept.read_bytes(), rel


def test_aliases_used_exist_in_columns_module() -> None:
    # a guard: the generator varies header aliases, all of which must stay known
    assert "公民身份号码" in ALIASES["roster"]["id_number"]
    assert "户主或成员姓名" in ALIASES["roster"]["name"]
    assert "镇街" in ALIASES["roster"]["township"]
