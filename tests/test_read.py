"""The reader: title rows, merged two-row headers, sheets, formats, encodings, junk rows."""

from __future__ import annotations

import datetime as dt

import pytest

from fengdu_cli.errors import InputError
from fengdu_cli.io.read import find_files, read_file, read_grids
from tests.makers import HEADER, csv_file, person, valid_id, xls, xlsx


def test_title_rows_subtotal_footer_and_blank_rows_are_not_people(tmp_path):
    # planted: title row 1 (merged), blank row 2, header row 3, people on rows 4-5,
    # blank row 6, 合计 row 7, footer rows 8-9
    path = xlsx(
        tmp_path / "虎威镇台账.xlsx",
        [
            ["丰都县虎威镇脱贫劳动力务工台账"],
            [],
            HEADER,
            person(1),
            person(2),
            [],
            ["合 计", None, None, None, None],
            ["填表人：张三", None, None, "审核人：李四"],
            ["填报日期：2024年6月28日"],
        ],
        merges=("A1:I1",),
    )
    sheet = read_file(path, "roster").sheets[0]
    assert list(sheet.frame["_row"]) == [4, 5]
    assert sheet.header.title == "丰都县虎威镇脱贫劳动力务工台账"
    assert list(sheet.skipped["_row"]) == [7, 8, 9]
    assert list(sheet.skipped["reason"]) == ["skip_subtotal", "skip_footer", "skip_footer"]


def test_two_row_merged_header_is_combined(tmp_path):
    # planted: 序号 and 乡镇 merged down rows 1-2; 基本信息 / 务工情况 merged across
    top = ["序号", "乡镇", "基本信息", None, None, "务工情况", None]
    sub = [None, None, "姓名", "身份证号码", "人员类别", "状态", "地点"]
    path = xlsx(
        tmp_path / "t.xlsx",
        [top, sub, [1, "三合街道", "王五", valid_id(5), "脱贫人口", "县内务工", "丰都县"]],
        merges=("A1:A2", "B1:B2", "C1:E1", "F1:G1"),
    )
    sheet = read_file(path, "roster").sheets[0]
    assert sheet.header.first_row == 0 and sheet.header.last_row == 1
    assert {"township", "name", "id_number", "category", "work_status", "work_place"} <= set(
        sheet.frame.columns
    )
    assert sheet.frame.loc[0, "work_status"] == "县内务工"
    assert list(sheet.frame["_row"]) == [3]
    assert "序号" in sheet.frame.columns  # unknown columns are kept


def test_every_sheet_is_read_and_a_sheet_without_header_is_reported(tmp_path):
    path = xlsx(
        tmp_path / "t.xlsx",
        [HEADER, person(1)],
        sheet="一组",
        more={
            "二组": [["二组名单"], HEADER, person(2), person(3)],
            "说明": [["本表由村填写"], ["请核对"]],
        },
    )
    read = read_file(path, "roster")
    by_sheet = {s.grid.sheet: s for s in read.sheets}
    assert list(by_sheet["一组"].frame["_row"]) == [2]
    assert list(by_sheet["二组"].frame["_row"]) == [3, 4]
    assert by_sheet["说明"].header is None
    assert by_sheet["说明"].content_rows == 2


def test_old_xls_with_two_sheets(tmp_path):
    path = xls(tmp_path / "old.xls", {"一组": [HEADER, person(1)], "二组": [HEADER, person(2)]})
    read = read_file(path, "roster")
    assert [s.grid.sheet for s in read.sheets] == ["一组", "二组"]
    assert read.sheets[1].frame.loc[0, "name"] == "测试2"


def test_gbk_csv_with_aliases(tmp_path):
    lines = [
        "镇街,户主或成员姓名,公民身份号码",
        "社坛镇,赵六," + valid_id(6),
        "",
        "社坛镇,钱七," + valid_id(7),
    ]
    path = csv_file(tmp_path / "社坛镇.csv", lines, encoding="gbk")
    sheet = read_file(path, "roster").sheets[0]
    assert list(sheet.frame["name"]) == ["赵六", "钱七"]
    assert list(sheet.frame["_row"]) == [2, 4]  # line numbers, header counted, blank line kept


def test_utf8_bom_csv_with_trailing_empty_columns(tmp_path):
    lines = ["姓名,身份证号码,乡镇,,,", "孙 八, " + valid_id(8) + " ,名山街道,,,"]
    sheet = read_file(csv_file(tmp_path / "a.csv", lines), "roster").sheets[0]
    assert [c for c in sheet.frame.columns if not c.startswith("_")] == [
        "name",
        "id_number",
        "township",
    ]


def test_cell_types_are_kept(tmp_path):
    path = xlsx(
        tmp_path / "t.xlsx",
        [["姓名", "身份证号码", "登记日期"], ["甲", 500230199001011234, dt.date(2021, 9, 13)]],
    )
    frame = read_file(path, "roster").sheets[0].frame
    assert isinstance(frame.loc[0, "id_number"], float)
    assert frame.loc[0, "registered_date"] == dt.date(2021, 9, 13)


def test_missing_required_column_names_file_and_found_columns(tmp_path):
    path = xlsx(
        tmp_path / "无身份证.xlsx", [["乡镇", "姓名", "务工状态"], ["虎威镇", "甲", "未务工"]]
    )
    with pytest.raises(InputError) as err:
        read_file(path, "roster")
    message = err.value.message("zh")
    assert "无身份证.xlsx" in message and "身份证号码" in message
    assert "乡镇、姓名、务工状态" in message


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("empty.xlsx", b"", "file_empty"),
        ("report.xlsx", b"%PDF-1.7\n%binary", "file_pdf"),
        ("junk.csv", bytes(range(256)) * 20, "file_binary"),
        ("fake.xlsx", b"just some text, not excel", "file_corrupt"),
        ("web.xls", b"\xef\xbb\xbf<html><body><table><tr><td>x</td></tr></table>", "file_markup"),
        (
            "xml2003.xls",
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com">',
            "file_markup",
        ),
    ],
)
def test_unreadable_files(tmp_path, name, content, key):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_grids(path)
    assert err.value.key == key
    assert name in err.value.message("zh")


def test_truncated_workbook(tmp_path):
    good = xlsx(tmp_path / "good.xlsx", [HEADER, person(1)])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputError) as err:
        read_grids(cut)
    assert err.value.key == "file_corrupt"


def test_encrypted_workbook(tmp_path):
    from tests.makers import encrypted_xlsx

    path = encrypted_xlsx(tmp_path / "locked.xlsx", [HEADER, person(1)])
    with pytest.raises(InputError) as err:
        read_grids(path)
    assert err.value.key == "file_encrypted"


def test_sheet_of_numbers_without_header(tmp_path):
    path = xlsx(tmp_path / "nums.xlsx", [[1, 2, 3], [4, 5, 6]])
    with pytest.raises(InputError) as err:
        read_file(path, "roster")
    assert err.value.key == "no_header"


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InputError) as err:
        find_files([tmp_path / "nope"])
    assert err.value.key == "path_missing"
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as err:
        find_files([tmp_path / "empty"])
    assert err.value.key == "folder_empty"


def test_repeated_header_rows_are_skipped(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [HEADER, person(1), HEADER, person(2)])
    sheet = read_file(path, "roster").sheets[0]
    assert list(sheet.frame["_row"]) == [2, 4]
    assert list(sheet.skipped["reason"]) == ["skip_header_repeat"]


def test_row_without_name_or_id_is_listed_not_counted(tmp_path):
    path = xlsx(
        tmp_path / "t.xlsx", [HEADER, person(1), ["虎威镇", "新华村", None, None, None, "脱贫人口"]]
    )
    sheet = read_file(path, "roster").sheets[0]
    assert list(sheet.frame["_row"]) == [2]
    assert list(sheet.skipped["reason"]) == ["skip_no_person"]


def test_cells_of_spaces_are_not_people(tmp_path):
    from fengdu_cli.validate import check_paths

    path = xlsx(
        tmp_path / "t.xlsx", [HEADER, person(1), ["虎威镇", None, None, "  \t", "\u3000\u3000"]]
    )
    checked = check_paths([path], "roster")
    assert checked.rows_read == 1 and checked.rows_rejected == 0
    assert list(checked.skipped["_row"]) == [3]


def test_a_list_lacking_its_one_key_column_says_which(tmp_path):
    path = csv_file(
        tmp_path / "noamount.csv",
        ["姓名,身份证号码,补贴项目,发放月份", f"甲,{valid_id(1)},交通补助,2023-03"],
    )
    with pytest.raises(InputError) as err:
        read_file(path, "payments")
    assert err.value.key == "required_column_missing" and "金额" in err.value.message("zh")


def test_a_household_list_names_its_owner(tmp_path):
    path = csv_file(
        tmp_path / "owner.csv",
        [
            "户编号,户主姓名,户主身份证号,补贴项目,发放月份,金额",
            f"H1,甲,{valid_id(1)},一次性创业补助,2023-03,8000",
        ],
    )
    sheet = read_file(path, "payments").sheets[0]
    assert {"head_id_number", "head_name", "household_id"} <= set(sheet.header.canonical)


def test_a_person_whose_note_says_subtotal_is_still_a_person(tmp_path):
    path = csv_file(
        tmp_path / "r.csv",
        [
            "乡镇,姓名,身份证号码,备注",
            f"虎威镇,甲,{valid_id(1)},小计",
            f"虎威镇,乙,{valid_id(2)},合计",
            "虎威镇 小计,,,2",
        ],
    )
    sheet = read_file(path, "roster").sheets[0]
    assert list(sheet.frame["name"]) == ["甲", "乙"] and len(sheet.skipped) == 1


def test_tab_separated_csvs_quoted_or_not_and_our_marked_csv(tmp_path):
    """A TSV whose every cell is quoted is tab-separated; our own CSV's tab after an
    all-digit ID (quoted or not) is no delimiter."""
    rows = [HEADER, person(1), person(2)]
    quoted = ["\t".join(f'"{v}"' for v in row) for row in rows]
    plain = ["\t".join(str(v) for v in row) for row in rows]
    marked = [",".join(f'"{v}\t"' if str(v).isdigit() else str(v) for v in row) for row in rows]
    for name, lines in (("q.csv", quoted), ("p.csv", plain), ("m.csv", marked)):
        sheet = read_file(csv_file(tmp_path / name, lines), "roster").sheets[0]
        assert sheet.frame["id_number"].tolist() == [valid_id(1), valid_id(2)], name
