"""Tests for fengdu_cli.idcard: GB 11643-1999 resident ID numbers."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fengdu_cli.idcard import (
    ID_CODES,
    IdCheck,
    age_on,
    birth_date,
    check_digit,
    classify,
    classify_series,
    excel_number_text,
    is_plausible_birth,
    is_scientific,
    is_valid_checksum,
    mask,
    normalise,
    region_class,
    sex,
    typo_candidates,
    upgrade_15,
)

ON = datetime.date(2024, 6, 1)
FAST = settings(max_examples=60, deadline=None)

# a valid Fengdu ID: born 1990-01-01, sequence 123, check digit 7
VALID = "500230199001011237"

regions = st.sampled_from(["500230", "500101", "110105", "440524", "510104", "650102", "820000"])
births = st.dates(datetime.date(1905, 1, 1), datetime.date(2024, 5, 31))
sequences = st.integers(0, 999).map(lambda n: f"{n:03d}")


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    """A valid 18-digit ID with a birth date plausible on ON."""
    prefix = draw(regions) + draw(births).strftime("%Y%m%d") + draw(sequences)
    return prefix + check_digit(prefix)


def _reference_check(first17: str) -> str:
    """Check digit straight from the standard: weights 2^(17-i) mod 11, a1 = (12 - S) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _substituted(id18: str) -> list[str]:
    """Every single-character substitution of id18 (X allowed only in the last place)."""
    out = []
    for pos in range(18):
        for ch in "0123456789X" if pos == 17 else "0123456789":
            if ch != id18[pos]:
                out.append(id18[:pos] + ch + id18[pos + 1 :])
    return out


def _swapped(id18: str) -> list[str]:
    """Every transposition of two adjacent unequal characters of id18."""
    return [
        id18[:i] + id18[i + 1] + id18[i] + id18[i + 2 :]
        for i in range(17)
        if id18[i] != id18[i + 1]
    ]


# --- check digit --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),  # GB 11643-1999 example
        ("44052418800101001", "4"),  # GB 11643-1999 example
        ("50023019900101123", "7"),
    ],
)
def test_check_digit_known_examples(first17: str, expected: str) -> None:
    assert check_digit(first17) == expected


@FAST
@given(st.text("0123456789", min_size=17, max_size=17))
def test_check_digit_matches_reference_formula(first17: str) -> None:
    assert check_digit(first17) == _reference_check(first17)


@pytest.mark.parametrize(
    "bad", ["", "1234", "1101051949123100X", "１１０１０５１９４９１２３１００２"]
)
def test_check_digit_rejects_non_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


def test_is_valid_checksum() -> None:
    assert is_valid_checksum("11010519491231002X")
    assert is_valid_checksum("440524188001010014")
    assert not is_valid_checksum("11010519491231002x")  # not normalised
    assert not is_valid_checksum("440524188001010015")
    assert not is_valid_checksum("44052418800101001")
    assert not is_valid_checksum("X40524188001010014")


# --- MOD 11-2 detects every single substitution and adjacent transposition ----------------


@FAST
@given(valid_ids())
def test_valid_id_is_fine(id18: str) -> None:
    assert classify(id18, ON) == IdCheck(id18, id18, None, None)


@FAST
@given(valid_ids())
def test_every_single_substitution_is_caught(id18: str) -> None:
    for wrong in _substituted(id18):
        assert not is_valid_checksum(wrong)
        check = classify(wrong, ON)
        assert check.code == "id_checksum", wrong
        assert check.expected_check == check_digit(wrong[:17])


@FAST
@given(valid_ids())
def test_every_adjacent_swap_is_caught(id18: str) -> None:
    for wrong in _swapped(id18):
        assert not is_valid_checksum(wrong)
        expected = "id_format" if "X" in wrong[:17] else "id_checksum"
        assert classify(wrong, ON).code == expected, wrong


@FAST
@given(valid_ids(), st.data())
def test_typo_candidates_contain_the_original(id18: str, data: st.DataObject) -> None:
    wrong = data.draw(st.sampled_from(_substituted(id18) + _swapped(id18)))
    candidates = typo_candidates(wrong, ON)
    if "X" not in wrong[:17]:
        assert id18 in candidates
    assert wrong not in candidates
    assert candidates == sorted(set(candidates))
    for c in candidates:
        assert classify(c, ON).code is None


def test_typo_candidates_examples() -> None:
    assert VALID in typo_candidates(VALID[:10] + "9" + VALID[11:], ON)  # one digit changed
    assert VALID in typo_candidates("500230199001011327", ON)  # '23' typed as '32'

    assert VALID not in typo_candidates(VALID, ON)
    assert VALID in typo_candidates(" " + VALID[:17] + "x", ON)  # normalised first
    assert typo_candidates("", ON) == []
    assert typo_candidates("5002301990010112", ON) == []
    assert typo_candidates("50023019900101123A", ON) == []
    assert typo_candidates("5.00230199001011E+17", ON) == []


# --- normalise ----------------------------------------------------------------------------


def test_normalise_examples() -> None:
    assert normalise(" ５００２３０ 1990\u300001011237\u00a0") == VALID
    assert normalise("11010519491231002ｘ") == "11010519491231002X"
    assert normalise("11010519491231002x") == "11010519491231002X"
    assert normalise("\t110105 1949 1231 002X\n") == "11010519491231002X"
    assert normalise('"11010519491231002X"') == "11010519491231002X"  # quoted by hand
    assert normalise("'11010519491231002X") == "11010519491231002X"
    assert normalise("a-b") == "a-b"  # nothing else is touched
    assert normalise("") == ""


@settings(max_examples=300, deadline=None)
@given(st.text() | st.text("０１２３４５６７８９0123456789xｘX \u3000\u00a0\t"))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "x" not in once
    assert not any(ch.isspace() for ch in once)


# --- 15-digit IDs -------------------------------------------------------------------------


@FAST
@given(regions, st.dates(datetime.date(1905, 1, 1), datetime.date(1999, 12, 31)), sequences)
def test_upgrade_15_keeps_region_and_birth(region: str, born: datetime.date, seq: str) -> None:
    id15 = region + born.strftime("%y%m%d") + seq
    id18 = upgrade_15(id15)
    assert len(id18) == 18
    assert is_valid_checksum(id18)
    assert id18[:6] == region
    assert birth_date(id18) == born
    assert id18[14:17] == seq
    assert classify(id15, ON) == IdCheck(id15, id18, "id_15_digit", None)


def test_upgrade_15_example() -> None:
    assert upgrade_15("500230900101123") == VALID
    with pytest.raises(ValueError):
        upgrade_15("50023090010112")


def test_15_digit_with_impossible_birth_date() -> None:
    check = classify("500230900230123", ON)  # 1990-02-30
    assert check.code == "id_birthdate"
    assert check.id_number == upgrade_15("500230900230123")


# --- numbers from Excel -------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [5.00230199001011e17, float(VALID), np.float64(VALID), int(VALID), np.int64(VALID)],
)
def test_18_digit_number_is_precision_lost(raw: object) -> None:
    check = classify(raw, ON)
    assert check.code == "id_precision_lost"
    assert check.id_number == "5.00230199001011E+17"


@FAST
@given(valid_ids())
def test_float_of_any_valid_id_is_precision_lost(id18: str) -> None:
    if id18.endswith("X"):
        id18 = id18[:17] + "0"
    assert classify(float(id18), ON).code == "id_precision_lost"


@pytest.mark.parametrize("raw", [500230900101123.0, 500230900101123, np.int64(500230900101123)])
def test_15_digit_number_is_upgraded(raw: object) -> None:
    assert classify(raw, ON) == IdCheck(raw, VALID, "id_15_digit", None)


@pytest.mark.parametrize(
    "text", ["5.00230199001011E+17", "5.002302E17", "5.00230199001011e+17", "５.００２３E+17"]
)
def test_scientific_text_is_precision_lost(text: str) -> None:
    check = classify(text, ON)
    assert check.code == "id_precision_lost"
    assert check.id_number == normalise(text)


def test_is_scientific() -> None:
    assert is_scientific("5.00230199001011E+17")
    assert is_scientific("5.002302E17")
    assert is_scientific("5.00230199001011e+17")
    assert not is_scientific(VALID)
    assert not is_scientific("11010519491231002X")
    assert not is_scientific("E+17")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (5.00230199001011e17, "5.00230199001011E+17"),
        (float(VALID), "5.00230199001011E+17"),
        (5e17, "5E+17"),
        (1.1e18, "1.1E+18"),
        (1e15, "1E+15"),
        (500230900101123.0, "500230900101123"),
        (123.0, "123"),
        (1234.5, "1234.5"),
        (-5.5e17, "-5.5E+17"),
    ],
)
def test_excel_number_text(value: float, text: str) -> None:
    assert excel_number_text(value) == text


@pytest.mark.parametrize("raw", [True, False, np.bool_(True), 1, 0, 1234.5, float("inf"), -5])
def test_odd_cells_are_format_errors(raw: object) -> None:
    assert classify(raw, ON).code == "id_format"


# --- other classify outcomes --------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, float("nan"), np.nan, pd.NA, "", "   ", "\u3000"])
def test_empty_cells_are_not_reported(raw: object) -> None:
    assert classify(raw, ON) == IdCheck(raw, "", None, None)


def test_classify_examples() -> None:
    assert classify(f" {VALID[:9]} {VALID[9:]} ", ON).code is None
    assert classify("11010519491231002x", ON).id_number == "11010519491231002X"
    assert classify("11010519491231002x", ON).code is None
    wrong = classify(VALID[:17] + "0", ON)
    assert (wrong.code, wrong.expected_check) == ("id_checksum", "7")
    assert classify("50023019900101123", ON).code == "id_format"
    assert classify("5002301990010112345", ON).code == "id_format"
    assert classify("50023019900101123A", ON).code == "id_format"
    assert classify("500230-19900101123", ON).code == "id_format"


def _with_check(first17: str) -> str:
    return first17 + check_digit(first17)


@pytest.mark.parametrize(
    "id18",
    [
        _with_check("50023019900230123"),  # 30 February
        _with_check("50023019901301123"),  # month 13
        _with_check("50023020240602123"),  # the day after ON
        _with_check("50023018991231123"),  # before 1900
        _with_check("50023019030531123"),  # 121 on ON
    ],
)
def test_birthdate_errors(id18: str) -> None:
    check = classify(id18, ON)
    assert check.code == "id_birthdate"
    assert check.id_number == id18


def test_codes_are_the_documented_ones() -> None:
    assert set(ID_CODES) == {
        "id_format",
        "id_checksum",
        "id_birthdate",
        "id_precision_lost",
        "id_15_digit",
    }


# --- birth date, age, sex, region ---------------------------------------------------------


def test_birth_date() -> None:
    assert birth_date(VALID) == datetime.date(1990, 1, 1)
    assert birth_date(_with_check("50023019900230123")) is None
    assert birth_date("5002301990") is None


def test_is_plausible_birth_bounds() -> None:
    assert is_plausible_birth(datetime.date(1904, 6, 1), ON)  # exactly 120
    assert not is_plausible_birth(datetime.date(1903, 6, 1), ON)  # 121 on ON
    assert is_plausible_birth(datetime.date(1903, 6, 2), ON)  # still 120
    assert is_plausible_birth(ON, ON)
    assert not is_plausible_birth(ON + datetime.timedelta(days=1), ON)
    assert not is_plausible_birth(datetime.date(1899, 12, 31), datetime.date(2000, 1, 1))
    assert is_plausible_birth(datetime.date(1900, 1, 1), datetime.date(2000, 1, 1))


@FAST
@given(valid_ids())
def test_age_on_birthday_and_day_before(id18: str) -> None:
    born = birth_date(id18)
    assert born is not None
    for years in (1, 18, 60):
        try:
            birthday = born.replace(year=born.year + years)
        except ValueError:  # 29 February → reached on 1 March
            birthday = datetime.date(born.year + years, 3, 1)
        assert age_on(id18, birthday) == years
        assert age_on(id18, birthday - datetime.timedelta(days=1)) == years - 1


def test_age_on_examples() -> None:
    assert age_on(VALID, datetime.date(2024, 1, 1)) == 34
    assert age_on(VALID, datetime.date(2023, 12, 31)) == 33
    leap = _with_check("50023020000229123")
    assert age_on(leap, datetime.date(2018, 2, 28)) == 17
    assert age_on(leap, datetime.date(2018, 3, 1)) == 18
    assert age_on(_with_check("50023019900230123"), ON) is None


def test_sex() -> None:
    assert sex(VALID) == "男"  # 17th digit 3
    assert sex("11010519491231002X") == "女"  # 17th digit 2


@pytest.mark.parametrize(
    ("id18", "expected"),
    [
        (VALID, "county"),
        ("500101199001011234", "chongqing"),
        ("11010519491231002X", "known"),
        ("820000199001011234", "known"),
        ("710000199001011234", "known"),
        ("160000199001011234", "unknown"),
        ("990000199001011234", "unknown"),
        ("", "unknown"),
    ],
)
def test_region_class(id18: str, expected: str) -> None:
    assert region_class(id18) == expected


# --- mask ---------------------------------------------------------------------------------


def test_mask_examples() -> None:
    assert mask("500230199001011234") == "500230********1234"
    assert mask("50023090010112") == "500230****0112"
    assert mask("12345678901") == "123456*8901"
    assert mask("1234567890") == "********90"
    assert mask("12") == "12"
    assert mask("") == ""


@FAST
@given(st.text("0123456789X", min_size=18, max_size=18))
def test_mask_never_leaks_more_than_10_characters(id18: str) -> None:
    masked = mask(id18)
    assert len(masked) == 18
    shown = [ch for ch in masked if ch != "*"]
    assert len(shown) == 10
    assert masked[6:14] == "*" * 8


# --- classify_series ----------------------------------------------------------------------

POOL = [
    VALID,
    " " + VALID,
    VALID[:17] + "0",
    "11010519491231002x",
    "500230900101123",
    500230900101123.0,
    500230900101123,
    float(VALID),
    5.00230199001011e17,
    "5.00230199001011E+17",
    "5e17",
    5e17,
    None,
    np.nan,
    pd.NA,
    "",
    "  ",
    True,
    False,
    1,
    1.0,
    "1",
    0,
    "abc",
]


def _as_tuples(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return list(frame.itertuples(index=False, name=None))


@FAST
@given(st.lists(st.sampled_from(POOL), max_size=40))
def test_classify_series_matches_classify(values: list[object]) -> None:
    raw = pd.Series(values, dtype=object, index=range(100, 100 + len(values)))
    out = classify_series(raw, ON)
    assert list(out.columns) == ["id_number", "id_code", "id_expected_check"]
    assert out.index.equals(raw.index)
    expected = [classify(v, ON) for v in values]
    assert _as_tuples(out) == [(c.id_number, c.code, c.expected_check) for c in expected]


plain_18 = st.builds(
    lambda region, year, month, day, seq, last: (
        f"{region}{year:04d}{month:02d}{day:02d}{seq}{last}"
    ),
    regions,
    st.integers(1890, 2030),
    st.integers(0, 13),
    st.integers(0, 32),
    sequences,
    st.sampled_from("0123456789Xx"),
)


@FAST
@given(st.lists(plain_18 | valid_ids(), max_size=60))
def test_classify_series_vectorised_path_matches_classify(values: list[str]) -> None:
    out = classify_series(pd.Series(values, dtype=object), ON)
    expected = [classify(v, ON) for v in values]
    assert _as_tuples(out) == [(c.id_number, c.code, c.expected_check) for c in expected]


def test_classify_series_typed_columns() -> None:
    floats = pd.Series([float(VALID), 500230900101123.0, np.nan, float(VALID)])
    out = classify_series(floats, ON)
    assert out["id_code"].tolist() == [
        "id_precision_lost",
        "id_15_digit",
        None,
        "id_precision_lost",
    ]
    strings = pd.Series([VALID, None, VALID[:17] + "0"], dtype="str")
    out = classify_series(strings, ON)
    assert out["id_code"].tolist() == [None, None, "id_checksum"]
    assert out["id_expected_check"].tolist() == [None, None, "7"]
    assert out["id_number"].tolist() == [VALID, "", VALID[:17] + "0"]


def test_classify_series_calls_classify_once_per_distinct_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fengdu_cli.idcard as idcard

    calls: list[object] = []
    real = idcard.classify

    def counting(raw: object, on: datetime.date) -> IdCheck:
        calls.append(raw)
        return real(raw, on)

    monkeypatch.setattr(idcard, "classify", counting)
    raw = pd.Series([VALID] * 1000 + [float(VALID)] * 1000 + [None] * 10, dtype=object)
    out = idcard.classify_series(raw, ON)
    assert len(calls) <= 3  # clean 18-character text may skip classify (vectorised path)
    assert len({repr(c) for c in calls}) == len(calls)
    assert out["id_code"].value_counts().to_dict() == {"id_precision_lost": 1000}


def test_classify_series_empty() -> None:
    out = classify_series(pd.Series([], dtype=object), ON)
    assert list(out.columns) == ["id_number", "id_code", "id_expected_check"]
    assert len(out) == 0


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("owner:500230199001011237|2024", "owner:500230********1237|2024"),
        ("ID500230199001011237", "ID500230********1237"),  # glued to letters
        ("电话+8613912345678", "电话+86139****5678"),
        ("139-1234-5678", "139****5678"),
        ("500230 19900101 1237", "500230********1237"),  # typed in groups
        ("6217 8561 1277 7001 320", "6217***********1320"),  # a card in fours
        ("6222021234567890123", "6222***********0123"),
        ("202401 202402 202403", "202401 202402 202403"),  # months are not a number
        ("2024-01-15", "2024-01-15"),
        ("91500230MAWPDQNQ9D", "91500230MAWPDQNQ9D"),  # a credit code is public
        ("1,500.00 元", "1,500.00 元"),
        ("500230_19900101_1237", "500230********1237"),
        ("500230.19900101.1237", "500230********1237"),
        ("(139)12345678", "(139****5678"),
        ("座机 023-70612345", "座机 023-****2345"),
        ("6000.00", "6000.00"),
        ("2024.06.30", "2024.06.30"),
        (
            "fengdu-error-20261129-214606-17299-f091.log",
            "fengdu-error-20261129-214606-17299-f091.log",
        ),
    ],
)
def test_mask_in_text(text, shown):
    from fengdu_cli.idcard import mask_in_text

    assert mask_in_text(text) == shown


@given(valid_ids(), st.sampled_from(["", "ID", "身份证", "号码:", "+", "x", "id2 ", "3-"]),
       st.sampled_from(["", " ", "-", "号", "ab", " 5"]), st.booleans(),
       st.sampled_from([" ", "-", "_", "."]))  # fmt: skip
def test_no_id_survives_masking_wherever_it_stands(id18, before, after, grouped, sep):
    from fengdu_cli.idcard import mask_in_text

    typed = f"{id18[:6]}{sep}{id18[6:14]}{sep}{id18[14:]}" if grouped else id18
    masked = mask_in_text(f"{before}{typed}{after}")
    assert id18 not in masked.replace(" ", "") and id18[6:14] not in masked
