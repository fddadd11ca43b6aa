"""A large CSV read with pyarrow (io.large_csv) gives exactly what the grid path gives: the
same header, person rows (cells, row numbers), skipped rows, errors and check results.

Every file here is read both ways: by ``read_file`` with the large-file threshold out of
reach (the grid path, the reference) and by ``read_large_csv`` with no threshold.  A file
the fast reader is not sure of must be left to the grid path (None), never read otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengdu_cli.errors import InputError
from fengdu_cli.io import read
from fengdu_cli.io.large_csv import HEAD_ROWS, read_large_csv
from fengdu_cli.io.read import FileRead, read_file
from fengdu_cli.io.recognise import Recogniser
from fengdu_cli.validate import check_paths, needed_columns
from tests.makers import INSURANCE_HEADER, employer, valid_id, wrong_check

KIND = "insurance"
ROWS = HEAD_ROWS + 60  # some rows below the first rows the header is recognised on
TYPES = ("企业职工基本养老保险", "失业保险", "工伤保险")


def _row(n: int) -> list[str]:
    return [
        valid_id(n),
        f"测试{n}",
        employer(n % 7),
        f"2024{n % 12 + 1:02d}",
        TYPES[n % 3],
        "3580",
        "572.80",
        "286.40",
    ]


def _rows(count: int = ROWS) -> list[list[str]]:
    return [INSURANCE_HEADER, *(_row(n) for n in range(1, count + 1))]


def _plain(rows: list[list[str]], end: str = "\n") -> str:
    return "".join(",".join(r) + end for r in rows)


def _quoted(rows: list[list[str]], quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _at(rows: list[list[str]], where: dict[int, list[str]]) -> list[list[str]]:
    """``rows`` with ``where[i]`` put in at index i (from the bottom up)."""
    out = list(rows)
    for i in sorted(where, reverse=True):
        out.insert(i, where[i])
    return out


def _edit(rows: list[list[str]], i: int, j: int, value: str) -> list[list[str]]:
    out = [list(r) for r in rows]
    out[i][j] = value
    return out


_ODD = {  # rows of every sort a clerk's or a system's file holds, at the top and far below
    1: ["1", "2", "3", "4", "5", "6", "7", "8"],  # column numbers under the header
    5: ["合计", "", "", "", "", "", "", "1000"],
    9: ["", "", "", "", "", "", "", ""],
    12: ["", "\u3000", "", "", "", "", "", ""],
    15: ["", "", "", "", "", "", "", "备注：本表由系统导出"],
    ROWS - 25: ["身份证号码", "姓名", "", "", "", "", "", ""],  # two of its texts: repeated too
    ROWS - 20: INSURANCE_HEADER,  # the header repeated (printed pages)
    ROWS - 15: ["", "三合街道 小计", "", "", "", "", "", "100"],
    ROWS - 12: ["填表人：张三", "", "", "审核人：李四", "", "", "", ""],
    ROWS - 10: [valid_id(3), "", employer(1), "202401", "失业保险", "1", "2", "3"],  # no name
    ROWS - 8: ["张三", "张三", "", "", "", "", "", ""],  # name and ID alike
    ROWS - 6: ["\t", " ", "", "", "", "", "", ""],
    ROWS - 4: [wrong_check(valid_id(4)), "测试四", employer(2), "2024-13", "养老", "x", "", ""],
    ROWS - 2: ["填报日期：2024年6月30日", "", "", "", "", "", "", ""],
}
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _title(rows: list[list[str]]) -> list[list[str]]:
    return [["丰都县社会保险缴费明细表", *[""] * 7], ["", *[""] * 7], *rows]


# name → (file bytes, the fast reader takes it)
CASES: dict[str, tuple[bytes, bool]] = {
    "plain": (_plain(_rows()).encode(), True),
    "bom_crlf": (b"\xef\xbb\xbf" + _plain(_rows(), "\r\n").encode(), True),
    "cr_only": (_plain(_rows(), "\r").encode(), True),
    "no_final_break": (_plain(_rows())[:-1].encode(), True),
    "odd_rows": (_plain(_at(_rows(), _ODD)).encode("utf-8"), True),
    "title_and_blank_lines": (
        ("\n" + _plain(_title(_rows()))[:-1].replace(",,,,,,,\n", "\n") + "\n\n\n").encode(),
        False,  # the title row is one field: ragged
    ),
    "title_full_width": (_plain(_title(_at(_rows(), _ODD))).encode(), True),
    "blank_lines": (
        "\n\n".join(_plain(_at(_rows(), _ODD)).split("\n", 3)).replace("\n", "\n\n", 1).encode()
        + b"\n\n"
        + _plain(_rows(5)[1:]).encode()
        + b"\r\n\r\n",
        True,
    ),
    "quoted_commas_newlines": (
        _quoted(
            _edit(_edit(_edit(_at(_rows(), _ODD), 3, 1, "王,五"), ROWS, 1, "李\n四"), 40, 6, '1"0')
        ).encode(),
        True,
    ),
    "all_quoted": (_quoted(_at(_rows(), _ODD), csv.QUOTE_ALL).encode(), True),
    "quotes_inside_fields": (
        _plain(_edit(_edit(_rows(), 7, 1, 'a"b'), ROWS - 3, 1, '"c"d')).encode(),
        True,
    ),
    "trailing_tab_marks": (
        _plain([[r[0] + "\t", *r[1:3], r[3] + "\t", *r[4:]] for r in _at(_rows(), _ODD)])
        .replace("\n", "\t\n", 9)
        .encode(),
        True,
    ),
    "full_width_digits": (
        _plain([[v.translate(_FULL_WIDTH) for v in r] for r in _at(_rows(), _ODD)]).encode(),
        True,
    ),
    "id_as_number_and_x": (
        _plain(
            _edit(_edit(_rows(), 2, 0, "5.00230198e+17"), ROWS - 1, 0, valid_id(22)[:-1] + "x")
        ).encode(),
        True,
    ),
    "trailing_commas": (_plain([[*r, "", ""] for r in _at(_rows(), _ODD)]).encode(), True),
    "unnamed_column_with_data": (
        _plain([[*r, "" if i < ROWS - 1 else "多余"] for i, r in enumerate(_rows())]).encode(),
        True,
    ),
    "extra_named_column": (
        _plain(
            [[*r, "备注" if i == 0 else ("合计" if i == 30 else "")] for i, r in enumerate(_rows())]
        ).encode(),
        True,
    ),
    "ragged_rows": (_plain([r[: 8 - i % 2] for i, r in enumerate(_rows())]).encode(), False),
    "gbk": (_plain(_rows()).encode("gbk"), False),
    "tabs": ("".join("\t".join(r) + "\n" for r in _rows()).encode(), False),
    "vertical_tab": (_plain(_edit(_rows(), 4, 1, "王\x0b五")).encode(), False),
    "blank_line_and_quotes": (
        _quoted(_edit(_rows(), 3, 1, "王,五")).replace("\r\n", "\r\n\r\n", 1).encode(),
        False,
    ),
    "no_header": (_plain(_rows()[1:]).encode(), False),
    "required_column_missing": (_plain([r[1:] for r in _rows()]).encode(), True),
}


def _recogniser() -> Recogniser:
    return Recogniser(KIND, None, needed_columns(KIND))


def _reference(path: Path, monkeypatch: pytest.MonkeyPatch) -> FileRead | InputError:
    with monkeypatch.context() as m:
        m.setattr(read, "LARGE_CSV_BYTES", 1 << 62)
        try:
            return read_file(path, KIND, _recogniser())
        except InputError as exc:
            return exc


def _fast(path: Path) -> FileRead | InputError | None:
    try:
        return read_large_csv(path, KIND, _recogniser())
    except InputError as exc:
        return exc


def _same(fast: FileRead | InputError, old: FileRead | InputError) -> None:
    if isinstance(old, InputError) or isinstance(fast, InputError):
        assert isinstance(fast, InputError) and isinstance(old, InputError), (fast, old)
        assert (fast.key, fast.params) == (old.key, old.params)
        return
    assert len(fast.sheets) == len(old.sheets) == 1
    new_sheet, old_sheet = fast.sheets[0], old.sheets[0]
    assert new_sheet.header == old_sheet.header
    pd.testing.assert_frame_equal(new_sheet.frame, old_sheet.frame, check_exact=True)
    pd.testing.assert_frame_equal(new_sheet.skipped, old_sheet.skipped, check_exact=True)
    assert (new_sheet.content_rows, new_sheet.table_rows, new_sheet.why) == (
        old_sheet.content_rows,
        old_sheet.table_rows,
        old_sheet.why,
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_reader_reads_as_the_grid_path(name, tmp_path, monkeypatch):
    data, taken = CASES[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    old = _reference(path, monkeypatch)
    fast = _fast(path)
    assert (fast is not None) == taken, name
    if fast is not None:
        _same(fast, old)


def test_odd_rows_are_sorted_as_before(tmp_path, monkeypatch):
    """What the comparison above must catch: every odd row is seen, none as a person."""
    path = tmp_path / "odd.csv"
    path.write_bytes(CASES["odd_rows"][0])
    fast = _fast(path)
    assert isinstance(fast, FileRead)
    sheet = fast.sheets[0]
    reasons = dict(zip(sheet.skipped["_row"], sheet.skipped["reason"], strict=True))
    assert reasons == {
        _file_row(1): "skip_header_repeat",  # column numbers
        _file_row(5): "skip_subtotal",
        _file_row(15): "skip_footer",
        _file_row(ROWS - 25): "skip_header_repeat",
        _file_row(ROWS - 20): "skip_header_repeat",
        _file_row(ROWS - 15): "skip_subtotal",
        _file_row(ROWS - 12): "skip_footer",
        _file_row(ROWS - 2): "skip_footer",
    }
    odd = {_file_row(i) for i in (ROWS - 10, ROWS - 8, ROWS - 4)}  # persons, if doubtful ones
    assert odd < set(sheet.frame["_row"]) and len(sheet.frame) == ROWS + len(odd)


def _file_row(i: int) -> int:
    """The row number in the file of _ODD[i]."""
    return i + sum(k < i for k in _ODD) + 1


_CELLS = st.sampled_from(
    ["", " ", "\u3000", "\t", "合计", "小计：", "填表人：王", "a,b", 'x"y', '"q"', "李\n四", "０１２",
     "五百", valid_id(77), valid_id(78) + "\t", "202406", "3580.00", "身份证号码", "姓名"]
)  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from([1, 2, 3, 4, 40, ROWS - 30, ROWS - 1, ROWS]),
        st.lists(_CELLS, min_size=8, max_size=8),
        max_size=5,
    ),
    st.booleans(),
)
def test_any_rows_read_alike(tmp_path_factory, monkeypatch, inserted, quote_all):
    path = tmp_path_factory.mktemp("h") / "h.csv"
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    path.write_bytes(_quoted(_at(_rows(), inserted), quoting).encode())
    fast = _fast(path)
    assert fast is not None
    _same(fast, _reference(path, monkeypatch))


def _checked(folder: Path, monkeypatch: pytest.MonkeyPatch, threshold: int):
    with monkeypatch.context() as m:
        m.setattr(read, "LARGE_CSV_BYTES", threshold)
        return check_paths([folder], KIND, on=dt.date(2024, 6, 30))


@pytest.mark.parametrize(
    "names", [("odd_rows", "trailing_tab_marks"), ("quoted_commas_newlines", "full_width_digits")]
)
def test_check_results_are_the_same(names, tmp_path, monkeypatch):
    """rows read, valid, rejected, the problems (file, row, column, value) and the skipped
    rows: all the same whichever reader read the files."""
    for name in names:
        (tmp_path / f"{name}.csv").write_bytes(CASES[name][0])
    old = _checked(tmp_path, monkeypatch, 1 << 62)
    new = _checked(tmp_path, monkeypatch, 0)
    assert (new.rows_read, new.rows_valid, new.rows_rejected) == (
        old.rows_read,
        old.rows_valid,
        old.rows_rejected,
    )
    assert old.rows_rejected and len(old.problems)
    for attribute in ("valid", "rejected", "problems", "skipped", "per_file", "columns"):
        pd.testing.assert_frame_equal(
            getattr(new, attribute), getattr(old, attribute), check_exact=True, obj=attribute
        )
    assert new.headers == old.headers and new.gaps == old.gaps


def test_small_files_keep_the_grid_path(tmp_path, monkeypatch):
    path = tmp_path / "small.csv"
    path.write_bytes(_plain(_rows(3)).encode())
    seen: list[Path] = []

    def spy(*args: object, **kwargs: object) -> Callable[..., object]:
        seen.append(Path(str(args[0])))
        return None  # type: ignore[return-value]

    monkeypatch.setattr("fengdu_cli.io.large_csv.read_large_csv", spy)
    assert len(read_file(path, KIND).sheets[0].frame) == 3
    assert not seen
