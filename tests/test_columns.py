"""Columns recognised by meaning: aliases, keywords, values, columns.toml; doubts reported.

The wordings come from ``tests/data/header_wordings.toml`` (real-world headers, each with how
it must be recognised).  Generated files draw from it at random — title rows, two-row merged
headers, CSV in UTF-8 and GBK, columns in any order, and headers that say nothing over columns
whose values are distinctive — and every canonical column must come back with the right "how".
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from pathlib import Path

import pytest

from fengdu_cli.io.columns import SPEC_BY_COLUMN
from fengdu_cli.io.columns_toml import check_columns, load_columns
from fengdu_cli.io.read import read_file
from fengdu_cli.io.recognise import Recogniser
from fengdu_cli.needs import needed_columns
from fengdu_cli.townships import TOWNSHIPS
from tests.makers import HEADER, csv_file, person, valid_id, xlsx

WORDINGS = tomllib.loads(
    (Path(__file__).parent / "data" / "header_wordings.toml").read_text(encoding="utf-8")
)
SILENT = [h for h in WORDINGS["silent"] if h != "类型"]  # 类型 names a category by keywords
KINDS = ("roster", "employment", "insurance", "businesses")


def wordings():
    for kind in KINDS:
        for column, hows in WORDINGS[kind].items():
            for how, words in hows.items():
                for word in words:
                    yield kind, column, how, word


def test_the_list_holds_at_least_80_real_wordings():
    assert len(list(wordings())) >= 80
    assert {how for *_, how, _ in wordings()} == {"alias", "keywords"}


@pytest.mark.parametrize(("kind", "column", "how", "wording"), list(wordings()))
def test_each_wording_names_its_column(kind, column, how, wording):
    assert Recogniser(kind).text_matches(wording) == {column: how}


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        ("roster", "户主身份证号码"),  # the household head's ID, not the person's
        ("roster", "证件类型"),
        ("roster", "是否有劳动能力"),  # a yes/no column, not the labour capacity
        ("roster", "劳动合同签订情况"),
        ("roster", "户籍类型"),
        ("roster", "开户行"),
        ("employment", "出生日期"),
        ("employment", "合同起止日期"),  # a range: neither the start nor the end
        ("employment", "单位地址"),
        ("insurance", "缴费比例"),
        ("roster", "普通劳动力"),  # a value, not a header
        ("roster", "虎威镇"),
        ("roster", "请在本列填写身份证号码，共18位。"),  # a sentence, not a header
    ],
)
def test_words_that_rule_a_column_out(kind, header):
    matches = Recogniser(kind).text_matches(header)
    wrong = {"roster": "id_number", "employment": "start_date", "insurance": "employer_amount"}
    assert wrong[kind] not in matches
    if header in ("户主身份证号码",):
        assert matches == {"head_id_number": "alias"}


# ---------------------------------------------------------------- generated files

_SURNAMES = "陈刘李张王杨黄周吴秦冉谭向何罗唐熊"
_GIVEN = "伟强军明勇芳丽英敏静秀兰琴霞燕红"


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def _credit(n: int) -> str:
    return f"91500230MA5U{n:06d}"


VALUES = {
    "roster": {
        "township": lambda r, i: r.choice(TOWNSHIPS),
        "village": lambda r, i: r.choice(["新华村", "长龙村", "金竹村", "桂山社区"]),
        "household_id": lambda r, i: f"50023010100{i:03d}",
        "name": lambda r, i: _name(r),
        "id_number": lambda r, i: valid_id(i + 1),
        "relation": lambda r, i: r.choice(["户主", "配偶", "之子", "之女", "孙子"]),
        "category": lambda r, i: r.choice(
            ["脱贫户", "脱贫人口", "监测户", "脱贫不稳定户", "边缘易致贫户"]
        ),
        "labor_capacity": lambda r, i: r.choice(
            ["普通劳动力", "技能劳动力", "弱劳动力", "丧失劳动力"]
        ),
        "work_status": lambda r, i: r.choice(["县内务工", "市外务工", "未务工", "县外市内务工"]),
        "work_place": lambda r, i: r.choice(
            ["重庆市丰都县", "广东省深圳市", "重庆市渝北区", "浙江宁波"]
        ),
        "phone": lambda r, i: f"1{r.choice('3589')}{r.randrange(10**9):09d}",
        "bank_account": lambda r, i: f"6228480{r.randrange(10**12):012d}",
    },
    "employment": {
        "id_number": lambda r, i: valid_id(i + 1),
        "name": lambda r, i: _name(r),
        "employer_name": lambda r, i: r.choice(
            ["重庆丰都某食品有限公司", "深圳某电子厂", "丰都县某建筑公司"]
        ),
        "employer_code": lambda r, i: _credit(r.randrange(50)),
        "start_date": lambda r, i: dt.date(2023, r.randint(1, 12), r.randint(1, 28)),
        "end_date": lambda r, i: None if r.random() < 0.7 else dt.date(2024, r.randint(1, 6), 1),
        "employment_type": lambda r, i: r.choice(["全日制", "非全日制"]),
        "work_region": lambda r, i: r.choice(
            ["重庆市丰都县", "广东省东莞市", "重庆市江北区", "山东济南"]
        ),
    },
    "insurance": {
        "id_number": lambda r, i: valid_id(i + 1),
        "name": lambda r, i: _name(r),
        "employer_code": lambda r, i: _credit(r.randrange(50)),
        "employer_name": lambda r, i: r.choice(["重庆丰都某食品有限公司", "丰都县某建筑公司"]),
        "period": lambda r, i: r.choice([202401, 202402, 202403, "2024-04", "2024年5月"]),
        "insurance_type": lambda r, i: r.choice(["企业职工基本养老保险", "失业保险", "工伤保险"]),
        "base": lambda r, i: r.choice([4000, 4200.5, 5000]),
        "employer_amount": lambda r, i: r.choice([640, 672.08, 800]),
        "personal_amount": lambda r, i: r.choice([320, 336.04, 400]),
    },
    "businesses": {
        "id_number": lambda r, i: valid_id(i + 1),
        "name": lambda r, i: _name(r),
        "business_name": lambda r, i: r.choice(
            ["丰都县某农家乐", "丰都县某养殖专业合作社", "某某便利店"]
        ),
        "business_code": lambda r, i: f"92500230MA6{i:07d}",
        "registration_date": lambda r, i: dt.date(2022, r.randint(1, 12), r.randint(1, 28)),
    },
}
# Columns whose generated values are distinctive enough to be recognised with no header
# (never a bank account: money is not paid to a column guessed from its numbers).
SILENT_OK = {
    "roster": ("id_number", "category", "labor_capacity", "work_status", "work_place", "phone",
               "relation", "township"),
    "employment": ("id_number", "employer_code", "employment_type", "work_region"),
    "insurance": ("id_number", "employer_code", "period", "insurance_type"),
    "businesses": ("business_code", "id_number"),
}  # fmt: skip
LAYOUTS = ("plain", "title", "two_rows", "csv_utf8", "csv_gbk")


def _draw(rng: random.Random, kind: str) -> tuple[list[str], list[str], dict[str, str]]:
    """Columns in a random order, a header for each, and how each must be recognised."""
    columns = list(VALUES[kind])
    rng.shuffle(columns)
    headers, expected = [], {}
    silent = 0
    for column in columns:
        if column in SILENT_OK[kind] and silent < 2 and rng.random() < 0.3:
            headers.append(rng.choice(SILENT))
            expected[column] = "values"
            silent += 1
            continue
        hows = WORDINGS[kind][column]
        how = rng.choice(sorted(hows))
        headers.append(rng.choice(hows[how]))
        expected[column] = how
    return columns, headers, expected


def _write(path: Path, layout: str, headers: list[str], rows: list[list[object]]) -> Path:
    width = len(headers)
    if layout.startswith("csv"):

        def cell(v: object) -> str:
            if v is None:
                return ""
            text = v.isoformat() if isinstance(v, dt.date) else str(v)
            return f'"{text}"' if ("\n" in text or "," in text) else text

        lines = [",".join(cell(h) for h in headers)] + [",".join(cell(v) for v in r) for r in rows]
        encoding = "gbk" if layout == "csv_gbk" else "utf-8-sig"
        return csv_file(path.with_suffix(".csv"), lines, encoding)
    target = path.with_suffix(".xlsx")
    if layout == "plain":
        return xlsx(target, [headers, *rows])
    if layout == "title":
        last = chr(64 + width)
        return xlsx(
            target, [["丰都县某镇脱贫人口务工台账（2024年6月）"], [], headers, *rows],
            merges=(f"A1:{last}1",),
        )  # fmt: skip
    # two header rows: group titles merged across above the headers
    half = width // 2
    top = ["基本信息"] * half + ["其他信息"] * (width - half)
    merges = (f"A1:{chr(64 + half)}1", f"{chr(65 + half)}1:{chr(64 + width)}1")
    top = [t if j in (0, half) else None for j, t in enumerate(top)]
    return xlsx(target, [top, headers, *rows], merges=merges)


@pytest.mark.parametrize("seed", range(40))
def test_generated_files_are_recognised(tmp_path, seed):
    rng = random.Random(seed)
    for kind in KINDS:
        columns, headers, expected = _draw(rng, kind)
        rows = [[VALUES[kind][c](rng, i) for c in columns] for i in range(40)]
        layout = rng.choice(LAYOUTS)
        path = _write(tmp_path / f"{kind}-{seed}", layout, headers, rows)
        (sheet,) = [s for s in read_file(path, kind).sheets if s.header is not None]
        got = {c.column: c.how for c in sheet.header.recognition.columns if c.column}
        assert got == expected, (kind, layout, headers)
        assert not sheet.header.recognition.gaps, (kind, layout, headers)
        assert len(sheet.frame) == 40


# ---------------------------------------------------------------- values decide


def _roster(path: Path, headers: list[str], rows: list[list[object]]) -> Path:
    return xlsx(path, [headers, *rows])


def _people(n: int, **columns):
    return [
        [valid_id(i + 1), f"测试{i}", *(v[i % len(v)] for v in columns.values())] for i in range(n)
    ]


def test_a_header_that_says_category_over_labour_values_is_labour(tmp_path):
    rows = _people(10, a=["普通劳动力", "弱劳动力"], b=["脱贫户", "监测户"])
    path = _roster(tmp_path / "r.xlsx", ["身份证号码", "姓名", "类型", "列2"], rows)
    (sheet,) = read_file(path, "roster").sheets
    got = {c.header: (c.column, c.how) for c in sheet.header.recognition.columns}
    assert got["类型"] == ("labor_capacity", "values")
    assert got["列2"] == ("category", "values")


def test_a_named_column_beats_a_silent_one_with_the_same_values(tmp_path):
    rows = [[valid_id(i), f"测试{i}", valid_id(i + 50)] for i in range(1, 10)]
    path = _roster(tmp_path / "r.xlsx", ["公民身份证号", "姓名", "列1"], rows)
    (sheet,) = read_file(path, "roster").sheets
    got = {c.header: (c.column, c.how) for c in sheet.header.recognition.columns}
    assert got["公民身份证号"] == ("id_number", "keywords")
    assert got["列1"][0] is None
    assert not sheet.header.recognition.gaps


def test_two_category_columns_alike_are_ambiguous_and_neither_is_used(tmp_path):
    rows = _people(
        10, a=["脱贫户", "监测户"], b=["脱贫户", "一般户"], c=["普通劳动力"], d=["未务工"]
    )
    headers = ["身份证号码", "姓名", "人员类别", "户类型", "劳动技能", "务工状态"]
    path = _roster(tmp_path / "r.xlsx", headers, rows)
    (sheet,) = read_file(
        path, "roster", Recogniser("roster", needed=needed_columns("roster"))
    ).sheets
    (gap,) = sheet.header.recognition.gaps
    assert (gap.column, gap.cause, gap.role) == ("category", "ambiguous", "needed")
    assert gap.headers == ("人员类别", "户类型")
    assert "category" not in sheet.frame.columns


def test_two_id_columns_alike_stop_the_file(tmp_path):
    from fengdu_cli.errors import InputError

    rows = [[valid_id(i), f"测试{i}", valid_id(i)] for i in range(1, 10)]
    path = _roster(tmp_path / "r.xlsx", ["身份证号码", "姓名", "证件号码"], rows)
    with pytest.raises(InputError) as caught:
        read_file(path, "roster")
    assert caught.value.exit_code == 3
    assert "“身份证号码”“证件号码”" in caught.value.message()


def test_a_missing_required_column_names_the_closest_header(tmp_path):
    from fengdu_cli.errors import InputError

    rows = [[valid_id(1), "甲", _credit(1), "2023-01-01"]]
    path = xlsx(
        tmp_path / "e.xlsx", [["身份证号码", "姓名", "统一社会信用代码", "就业起始于"], *rows]
    )
    with pytest.raises(InputError) as caught:
        read_file(path, "employment")
    message = caught.value.message()
    assert "缺少必需的列“就业开始日期”" in message and "最接近的列：“就业起始于”" in message


# ---------------------------------------------------------------- columns.toml


def test_columns_toml_maps_headers_and_values(tmp_path):
    toml = tmp_path / "columns.toml"
    toml.write_text(
        '[roster.headers]\n"户别情况" = "人员类别"\n"劳力" = "labor_capacity"\n"备注" = ""\n'
        '[roster.values.labor_capacity]\n"半劳" = "弱劳动力或半劳动力"\n',
        encoding="utf-8",
    )
    config = load_columns(toml)
    rows = _people(6, a=["脱贫户"], b=["半劳", "普通劳动力"], c=["13800000000"])
    path = _roster(tmp_path / "r.xlsx", ["身份证号码", "姓名", "户别情况", "劳力", "备注"], rows)
    (sheet,) = read_file(path, "roster", Recogniser("roster", config)).sheets
    got = {c.header: (c.column, c.how) for c in sheet.header.recognition.columns}
    assert got["户别情况"] == ("category", "columns.toml")
    assert got["劳力"] == ("labor_capacity", "columns.toml")
    assert got["备注"] == (None, "")  # phone numbers, but the clerk said it is not data
    from fengdu_cli.validate import check_paths

    checked = check_paths([path], "roster", on=dt.date(2024, 6, 30), columns=config)
    assert set(checked.valid["labor_capacity"]) == {"弱劳动力或半劳动力", "普通劳动力"}
    assert "bad_category" not in set(checked.problems["code"])


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ('[roster.headers]\n"甲" = "nothing"\n', "columns_bad_target", 2),
        ("[rosters]\n", "columns_bad_kind", 1),
        ('[roster.values.category]\n"脱贫监测户" = "不知道"\n', "columns_bad_value", 2),
        ('[roster.values.phone]\n"a" = "b"\n', "columns_bad_value_column", 1),
        ('[roster.tables]\n"a" = "b"\n', "columns_bad_part", 1),
        ("[roster.headers\n", "columns_syntax", 1),
    ],
)
def test_columns_toml_problems_name_their_line(tmp_path, text, code, line):
    path = tmp_path / "columns.toml"
    path.write_text(text, encoding="utf-8")
    (problem,) = check_columns(path)
    assert (problem.code, problem.line) == (code, line)


def test_every_needed_column_can_be_recognised():
    for kind in KINDS:
        for column in needed_columns(kind):
            assert column in SPEC_BY_COLUMN[kind], (kind, column)


# ---------------------------------------------------------------- the command


def test_columns_command_golden(tmp_path):
    from typer.testing import CliRunner

    from fengdu_cli.cli import app
    from tests.snapshot import assert_snapshot

    folder = tmp_path / "rosters"
    folder.mkdir()
    rows = _people(5, a=["脱贫户", "监测户"], b=["县内务工", "未务工"], c=["已核实"])
    xlsx(
        folder / "甲镇.xlsx",
        [["丰都县虎威镇台账"], ["公民身份证号", "姓名", "户属性", "列1", "备注"], *rows],
        merges=("A1:E1",),
    )
    result = CliRunner().invoke(app, ["columns", str(folder)])
    assert result.exit_code == 1  # 劳动技能 is needed by warnings and rules, and is missing
    assert_snapshot("columns_roster.txt", result.output)
    data = CliRunner().invoke(app, ["columns", str(folder), "--json"])
    parsed = __import__("json").loads(data.output)
    (gap,) = parsed["kinds"]["roster"]["missing_columns"]
    assert gap["column"] == "labor_capacity" and gap["persons"] == 5
    hows = {c["header"]: c["how"] for c in parsed["kinds"]["roster"]["columns"]}
    assert hows == {"公民身份证号": "keywords", "姓名": "alias", "户属性": "keywords",
                    "列1": "values", "备注": ""}  # fmt: skip


def test_columns_check_command(tmp_path):
    from typer.testing import CliRunner

    from fengdu_cli.cli import app

    good = tmp_path / "columns.toml"
    good.write_text('[roster.headers]\n"户别" = "人员类别"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["columns", "--check", str(good)])
    assert result.exit_code == 0 and "无误" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[roster.headers]\n"户别" = "类别不存在"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["columns", "--check", str(bad)])
    assert result.exit_code == 1 and "第 2 行" in result.output
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "--columns", str(bad)])
    assert result.exit_code == 3
    result = CliRunner().invoke(app, ["columns", "--check", str(tmp_path / "none.toml")])
    assert result.exit_code == 3


# ---------------------------------------------------------------- layouts that once misled


def test_a_note_naming_someone_else_rules_the_alias_out(tmp_path):
    rows = [[f"测试{i}", valid_id(i), valid_id(100)] for i in range(1, 8)]
    path = _roster(tmp_path / "r.xlsx", ["姓名", "家庭成员身份证号", "身份证号码（户主）"], rows)
    (sheet,) = read_file(path, "roster").sheets
    got = {c.header: c.column for c in sheet.header.recognition.columns}
    assert got == {
        "姓名": "name",
        "家庭成员身份证号": "id_number",
        "身份证号码（户主）": "head_id_number",
    }


def test_a_group_title_above_rules_a_meaning_out(tmp_path):
    top = ["户主信息", None, "家庭成员信息", None, "人员类别"]
    rows = [[f"户主{i}", valid_id(100 + i), f"测试{i}", valid_id(i), "脱贫户"] for i in range(1, 6)]
    path = xlsx(
        tmp_path / "r.xlsx", [top, ["姓名", "身份证号码", "姓名", "身份证号码", None], *rows],
        merges=("A1:B1", "C1:D1", "E1:E2"),
    )  # fmt: skip
    (sheet,) = read_file(path, "roster").sheets
    got = {c.index: c.column for c in sheet.header.recognition.columns}
    assert got == {0: None, 1: "head_id_number", 2: "name", 3: "id_number", 4: "category"}


def test_a_summary_sheet_beside_the_list_is_not_read_and_says_so(tmp_path):
    from fengdu_cli.validate import check_paths

    more = {"汇总": [["乡镇", "人员类别", "人数"], ["虎威镇", "脱贫户", 8]]}
    path = xlsx(tmp_path / "r.xlsx", [HEADER, *[person(i) for i in range(1, 6)]], more=more)
    checked = check_paths([path], "roster", on=dt.date(2024, 6, 30))
    assert checked.rows_read == 5
    (notice,) = checked.notices
    assert notice.sheet == "汇总" and "不是本类名单" in notice.message("zh")


def test_a_required_column_whose_values_are_not_of_its_kind_stops_the_file(tmp_path):
    from fengdu_cli.errors import InputError

    header = ["身份证号码", "姓名", "单位编码", "费款所属期", "险种"]
    rows = [[valid_id(i), f"测试{i}", f"5002300{i:07d}", 202406, "失业保险"] for i in range(1, 12)]
    path = xlsx(tmp_path / "i.xlsx", [header, *rows])
    with pytest.raises(InputError) as caught:
        read_file(path, "insurance")
    assert caught.value.key == "required_column_values"
    assert "单位编码" in caught.value.message() and "0%" in caught.value.message()


def test_a_second_category_column_that_says_otherwise_is_a_rival(tmp_path):
    rows = _people(10, a=["脱贫户", "监测户"], b=["一般户", "脱贫户", "监测户"])
    path = _roster(tmp_path / "r.xlsx", ["身份证号码", "姓名", "人员类别", "帮扶对象类别"], rows)
    (sheet,) = read_file(
        path, "roster", Recogniser("roster", needed=needed_columns("roster"))
    ).sheets
    (gap,) = [g for g in sheet.header.recognition.gaps if g.column == "category"]
    assert gap.cause == "ambiguous" and gap.headers == ("人员类别", "帮扶对象类别")


def test_a_monitor_kind_column_adds_its_facts(tmp_path):
    from fengdu_cli.validate import check_paths

    rows = _people(2, a=["脱贫户", "监测对象"], b=["", "脱贫不稳定户"])
    path = _roster(tmp_path / "r.xlsx", ["身份证号码", "姓名", "人员类别", "监测对象类别"], rows)
    valid = check_paths([path], "roster", on=dt.date(2024, 6, 30)).valid
    assert list(valid["category_facts"]) == ["|脱贫人口|", "|脱贫人口|监测对象|脱贫不稳定户|"]


def test_columns_toml_refuses_two_entries_that_are_one_spelling(tmp_path):
    path = tmp_path / "columns.toml"
    path.write_text(
        '[roster.headers]\n"户属性" = "category"\n"户 属性" = "work_status"\n'
        '[roster.values.labor_capacity]\n"半劳" = "弱劳动力"\n"半 劳" = "普通劳动力"\n',
        encoding="utf-8",
    )
    assert [(p.code, p.line) for p in check_columns(path)] == [
        ("columns_duplicate_key", 3),
        ("columns_duplicate_key", 6),
    ]


def test_two_headers_the_clerk_mapped_to_one_column_are_rivals(tmp_path):
    toml = tmp_path / "columns.toml"
    toml.write_text(
        '[roster.headers]\n"户属性" = "category"\n"户别" = "category"\n', encoding="utf-8"
    )
    rows = _people(4, a=["脱贫户"], b=["监测户"])
    path = _roster(tmp_path / "r.xlsx", ["身份证号码", "姓名", "户属性", "户别"], rows)
    recogniser = Recogniser("roster", load_columns(toml), needed_columns("roster"))
    (sheet,) = read_file(path, "roster", recogniser).sheets
    (gap,) = [g for g in sheet.header.recognition.gaps if g.column == "category"]
    assert gap.cause == "ambiguous"


def test_cells_systems_write_their_own_way(tmp_path):
    from fengdu_cli.validate import check_paths

    csv = tmp_path / "r.csv"
    csv.write_bytes(
        f'\ufeff姓名\t身份证号码\t乡镇\r\n1\t2\t3\r\n甲\t\'{valid_id(1)}\t虎威镇\r\n乙\t="{valid_id(2)}"\t虎威镇\r\n'.encode(
            "utf-16"
        )
    )
    checked = check_paths([csv], "roster", on=dt.date(2024, 6, 30))
    assert checked.rows_read == 2  # the row of column numbers is not a person
    assert list(checked.valid["id_number"]) == [valid_id(1), valid_id(2)]
    header = ["身份证号码", "姓名", "统一社会信用代码", "就业开始日期", "就业结束日期"]
    rows = [[valid_id(i), f"测试{i}", _credit(1), "2023-01-01", end]
            for i, end in enumerate(["至今", "长期", "无固定期限", "2024-05-31"], 1)]  # fmt: skip
    employment = check_paths([xlsx(tmp_path / "e.xlsx", [header, *rows])], "employment",
                             on=dt.date(2024, 6, 30))  # fmt: skip
    assert "bad_date" not in set(employment.problems["code"])
    assert employment.valid["end_date"].isna().sum() == 3


# ---------------------------------------------------------------- agencies/ and bases/


@pytest.mark.parametrize(
    ("kind", "wording", "expected"),
    [
        ("agencies", "申报机构", {"agency_name": "alias"}),
        ("agencies", "劳务经纪人姓名", {"agency_name": "alias"}),
        ("agencies", "机构统一社会信用代码", {"agency_code": "alias"}),
        ("agencies", "服务机构信用代码", {"agency_code": "keywords"}),
        ("agencies", "劳务经纪人身份证号码", {"broker_id": "alias"}),
        ("agencies", "经纪人公民身份号码", {"broker_id": "keywords"}),
        ("agencies", "被介绍人员身份证号码", {"id_number": "alias"}),
        ("agencies", "求职人员身份证号", {"id_number": "keywords"}),
        ("agencies", "用人单位统一社会信用代码", {"employer_code": "alias"}),
        ("agencies", "招聘单位名称", {"employer_name": "keywords"}),
        ("agencies", "入职日期", {"placement_date": "alias"}),
        ("agencies", "服务类型", {"service_type": "alias"}),
        ("agencies", "是否免费", {"free_service": "alias"}),
        ("agencies", "是否属于劳务派遣", {"dispatch": "keywords"}),
        ("agencies", "是否登记失业人员", {"registered_unemployed": "alias"}),
        ("agencies", "人员类型", {"person_type": "alias"}),
        ("bases", "载体名称", {"base_name": "alias"}),
        ("bases", "孵化基地名称", {"base_name": "alias"}),
        ("bases", "类型", {"base_type": "alias"}),
        ("bases", "基地类别", {"base_type": "keywords"}),
        ("bases", "绩效评估等级", {"grade": "alias"}),
        ("bases", "年度考核等次", {"grade": "keywords"}),
        ("bases", "有效期至", {"valid_until": "alias"}),
    ],
)
def test_placement_and_base_wordings(kind, wording, expected):
    assert Recogniser(kind).text_matches(wording) == expected


def test_placement_flags_and_base_values_are_normalised():
    import pandas as pd

    from fengdu_cli.normalise import normalise
    from fengdu_cli.schemas import failures

    raw = pd.DataFrame(
        {
            "_file": "a.xlsx", "_sheet": "S", "_row": [2, 3, 4, 5, 6], "_title": "",
            "agency_name": "甲", "id_number": valid_id(1),
            "free_service": ["是", "√", "否", "", "待定"],
            "dispatch": ["✗", "×", "是", "", "Y"],
            "person_type": ["登记失业人员", "脱贫人口", "", "城乡登记失业人员", "其他"],
            "service_type": ["职业介绍", "招工", "", "重点企业招聘", "培训"],
        }
    )  # fmt: skip
    out = normalise(raw, "agencies", dt.date(2024, 6, 30))
    assert out["free_service"].tolist() == [True, True, False, None, "待定"]
    assert out["dispatch"].tolist() == [False, False, True, None, True]
    assert out["registered_unemployed"].tolist() == [True, False, False, True, False]
    assert out["service_type"].tolist() == ["职业介绍", "招聘", "", "招聘", "培训"]
    bad = failures("agencies", out, duplicates=False)
    assert set(zip(bad["index"], bad["column"], bad["code"], strict=True)) == {
        (4, "free_service", "bad_category"),
        (4, "service_type", "bad_category"),
    }
    bases = pd.DataFrame(
        {
            "_file": "b.xlsx", "_sheet": "S", "_row": [2, 3, 4, 5], "_title": "",
            "base_name": ["甲", "乙", "丙", "丁"],
            "base_type": ["创业孵化基地（园区）", "帮扶基地", "就业服务超市", "服务站"],
            "grade": ["A", "良好", "d", "待评"],
        }
    )  # fmt: skip
    out = normalise(bases, "bases", dt.date(2024, 6, 30))
    assert out["base_type"].tolist() == ["创业孵化基地", "就业帮扶基地", "就业服务超市", "服务站"]
    assert out["grade"].tolist() == ["优秀", "良好", "不合格", "待评"]
    bad = failures("bases", out, duplicates=False)
    assert set(zip(bad["index"], bad["column"], bad["code"], strict=True)) == {
        (3, "base_type", "bad_category"),
        (3, "grade", "bad_category"),
    }
