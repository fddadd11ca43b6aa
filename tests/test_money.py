"""Exact money: fen conversions, yuan text and Chinese financial capitals (大写金额)."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fengdu_cli.money import capital, sum_fen, to_fen, yuan_text, yuan_texts

# ---------------------------------------------------------------- a reference parser

_DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_INNER = {"拾": 10, "佰": 100, "仟": 1000}


def _parse_yuan(text: str) -> int:
    """Whole yuan from capitals ('壹仟万零壹仟' → 10001000), the textbook way."""
    total = section = number = 0
    for ch in text:
        if ch in _DIGIT:
            number = _DIGIT[ch]
        elif ch in _INNER:
            section += number * _INNER[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif ch == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text!r}")
    return total + section + number


def parse_capital(text: str) -> int:
    """Fen from capitals: '壹万贰仟叁佰肆拾伍元陆角柒分' → 1234567 (test oracle)."""
    if text.startswith("负"):
        return -parse_capital(text[1:])
    body = text.removesuffix("整")
    yuan_text_, _, rest = body.rpartition("元")
    fen = _parse_yuan(yuan_text_) * 100 if yuan_text_ else 0
    rest = rest.removeprefix("零")
    if m := re.search(r"(.)角", rest):
        fen += _DIGIT[m.group(1)] * 10
    if m := re.search(r"(.)分", rest):
        fen += _DIGIT[m.group(1)]
    return fen


def _inner_zero_runs(fen: int) -> int:
    """Runs of zeros strictly between two non-zero digits of the fen amount."""
    return len(re.findall(r"(?<=[1-9])0+(?=[1-9])", str(fen)))


# ---------------------------------------------------------------- capital


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (600000, "陆仟元整"),
        (1234567, "壹万贰仟叁佰肆拾伍元陆角柒分"),
        (100005, "壹仟元零伍分"),
        (10000000, "壹拾万元整"),
        (0, "零元整"),
        (1000100000, "壹仟万零壹仟元整"),
        (1, "壹分"),
        (10, "壹角整"),
        (11, "壹角壹分"),
        (50, "伍角整"),
        (100, "壹元整"),
        (101, "壹元零壹分"),
        (1000, "壹拾元整"),
        (1010, "壹拾元零壹角整"),
        (1500, "壹拾伍元整"),
        (20000, "贰佰元整"),
        (50000, "伍佰元整"),
        (123450, "壹仟贰佰叁拾肆元伍角整"),
        (100050, "壹仟元零伍角整"),
        (140950, "壹仟肆佰零玖元伍角整"),
        (1640902, "壹万陆仟肆佰零玖元零贰分"),
        (10100000, "壹拾万零壹仟元整"),
        (101000000, "壹佰零壹万元整"),
        (1100000000, "壹仟壹佰万元整"),
        (100010000, "壹佰万零壹佰元整"),
        (10000000000, "壹亿元整"),
        (10000000100, "壹亿零壹元整"),
        (10000100000, "壹亿零壹仟元整"),
        (100000000000, "壹拾亿元整"),
        (100001000000, "壹拾亿零壹万元整"),
        (999999999999, "玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        (-5050, "负伍拾元零伍角整"),
        (-600000, "负陆仟元整"),
        # the 汇总 sheet's grand total, 10 yuan, 100,000.05, 0.01 and millions
        (19203111, "壹拾玖万贰仟零叁拾壹元壹角壹分"),
        (1000, "壹拾元整"),
        (10000005, "壹拾万元零伍分"),
        (123456700, "壹佰贰拾叁万肆仟伍佰陆拾柒元整"),
        (300000000, "叁佰万元整"),
        (100000001, "壹佰万元零壹分"),
        (1, "壹分"),
    ],
)
def test_capital_known(fen: int, text: str) -> None:
    assert capital(fen) == text


def test_capital_accepts_numpy_ints_and_refuses_floats() -> None:
    assert capital(np.int64(600000)) == "陆仟元整"
    with pytest.raises(TypeError):
        capital(6000.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        capital(True)


def test_capital_too_large() -> None:
    with pytest.raises(ValueError):
        capital(10**18)


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_capital_parses_back(fen: int) -> None:
    text = capital(fen)
    assert parse_capital(text) == fen
    assert parse_capital("负" + text) == -fen if fen else True


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_capital_zero_and_zheng_rules(fen: int) -> None:
    text = capital(fen)
    assert text.count("零") == _inner_zero_runs(fen)  # one 零 per inner run, none else
    assert "零零" not in text
    assert not re.search(r"零[^壹贰叁肆伍陆柒捌玖]", text)  # 零 only before a digit
    assert text.endswith("整") == (fen % 10 == 0)  # 整 exactly when there is no 分
    assert ("元" in text) == (fen >= 100)
    assert not re.search(r"^拾|[^壹贰叁肆伍陆柒捌玖]拾", text)  # always 壹拾, never bare 拾


@given(st.integers(min_value=-(10**12), max_value=-1))
def test_capital_negative(fen: int) -> None:
    assert capital(fen) == "负" + capital(-fen)


# ---------------------------------------------------------------- to_fen / yuan_text


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (6000, 600000),
        ("6000", 600000),
        (Decimal("0.50"), 50),
        ("0.5", 50),
        (" 12.3 ", 1230),
        ("-50.50", -5050),
        ("6000.000", 600000),
        (Decimal("6E+3"), 600000),
        (np.int64(5), 500),
        (0, 0),
    ],
)
def test_to_fen(value: object, fen: int) -> None:
    assert to_fen(value) == fen  # type: ignore[arg-type]
    assert type(to_fen(value)) is int  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["1.234", Decimal("0.001"), "abc", "", "NaN", "Infinity"])
def test_to_fen_rejects_bad_text(value: object) -> None:
    with pytest.raises(ValueError):
        to_fen(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [6000.0, 0.5, True, None, [1]])
def test_to_fen_rejects_floats_and_others(value: object) -> None:
    with pytest.raises(TypeError):
        to_fen(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "text"),
    [(600000, "6000.00"), (-5050, "-50.50"), (0, "0.00"), (5, "0.05"), (-5, "-0.05"), (1, "0.01")],
)
def test_yuan_text(fen: int, text: str) -> None:
    assert yuan_text(fen) == text


def test_yuan_text_refuses_floats() -> None:
    with pytest.raises(TypeError):
        yuan_text(600000.0)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_yuan_text_round_trip(fen: int) -> None:
    assert to_fen(yuan_text(fen)) == fen


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_to_fen_round_trip(amount: Decimal) -> None:
    assert Decimal(yuan_text(to_fen(amount))) == amount


@given(st.lists(st.integers(min_value=-(10**12), max_value=10**12), max_size=30))
def test_yuan_texts_matches_yuan_text(values: list[int]) -> None:
    series = pd.Series(values, dtype="int64", index=range(10, 10 + len(values)))
    assert yuan_texts(series).tolist() == [yuan_text(v) for v in values]
    assert list(yuan_texts(series).index) == list(series.index)


# ---------------------------------------------------------------- sum_fen


def test_sum_fen() -> None:
    assert sum_fen([600000, 50000, -5050]) == 644950
    assert sum_fen([]) == 0
    assert sum_fen(pd.Series([1, 2, 3], dtype="int64")) == 6
    assert sum_fen(pd.Series([1, 2], dtype=object)) == 3
    assert sum_fen(np.array([10**12, 10**12])) == 2 * 10**12
    assert type(sum_fen(pd.Series([1], dtype="int64"))) is int


@pytest.mark.parametrize(
    "values", [[1, 2.0], pd.Series([1.0, 2.0]), np.array([0.1, 0.2]), pd.Series(["1", "2"])]
)
def test_sum_fen_refuses_floats(values: object) -> None:
    with pytest.raises(TypeError):
        sum_fen(values)  # type: ignore[arg-type]
