"""Exact money: amounts are integer fen (分) everywhere, never floats.

Subsidy lists are signed, published and paid by a finance office, so a total must equal
the sum of its lines to the fen.  Binary floats cannot promise that (0.1 + 0.2 != 0.3),
hence amounts enter the program through ``to_fen`` (which refuses floats and refuses to
round), are added with ``sum_fen`` and leave it through ``yuan_text`` (figures) or
``capital`` (the Chinese financial capitals, 大写金额, that banks require on a signed list).

Capitals follow the People's Bank of China rules for 票据和结算凭证 (支付结算办法 附件):

* digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 inside a group of four, groups 万 and 亿;
  a leading ten is written 壹拾 (壹拾万元整, never 拾万元整);
* a run of zeros *between* two non-zero digits is written as one 零 — also across a
  万/亿 group boundary (壹仟万零壹仟元整) and across 元 when 角 follows
  (壹仟元零伍角整): the PBoC allows writing or omitting 零 in those two places, we always
  write it so the rule is the same everywhere; no 零 at the end of the yuan part;
* 角 zero but 分 not: 零 after 元 (壹仟元零伍分) — this one is compulsory;
* 整 after 元 when there are no 角 and 分 (陆仟元整); after 角 when there is no 分
  (伍角整 — the PBoC allows omitting it, we write it so nothing can be appended);
  never after 分;
* below one yuan the yuan part is left out (伍角整, 伍分); zero is 零元整;
* a negative amount (a reversal) is prefixed with 负.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_INNER_UNITS = ("", "拾", "佰", "仟")  # within a group of four digits
_GROUP_UNITS = ("", "万", "亿", "万亿")  # one per group of four, lowest first
_MAX_YUAN = 10 ** (4 * len(_GROUP_UNITS))  # 10^16 yuan: beyond 万亿 there is no unit here


def to_fen(value: int | str | Decimal) -> int:
    """Return ``value`` (yuan) as integer fen: 6000 → 600000, '0.50' → 50, Decimal('1.2') → 120.

    Policy files and hand-typed tables give amounts as ints, strings or Decimals; a float
    is refused (TypeError) because it may already be inexact, and an amount that is not a
    whole number of fen ('1.234') is refused (ValueError) instead of being rounded.
    Trailing zeros beyond two decimals are fine ('6000.000' is exactly 600000 fen).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral | str | Decimal):
        raise TypeError(f"an amount must be an int, str or Decimal, not {type(value).__name__}")
    if isinstance(value, numbers.Integral):
        return int(value) * 100
    try:
        amount = Decimal(value.strip()) if isinstance(value, str) else value
    except InvalidOperation:
        raise ValueError(f"not an amount in yuan: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount in yuan: {value!r}")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"more than 2 decimals (smaller than one fen): {value!r}")
    return int(fen)


def yuan_text(fen: int) -> str:
    """Return fen as yuan with exactly two decimals: 600000 → '6000.00', -5050 → '-50.50'."""
    fen = _as_int(fen)
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def yuan_texts(fen: pd.Series) -> pd.Series:
    """``yuan_text`` of a whole integer column at once (for CSV exports of many lines)."""
    values = fen_array(fen)
    magnitude = np.abs(values)
    sign = np.where(values < 0, "-", "")
    whole = pd.Series(magnitude // 100, index=fen.index).astype(str)
    cents = pd.Series(magnitude % 100, index=fen.index).astype(str).str.zfill(2)
    return (pd.Series(sign, index=fen.index, dtype=str) + whole + "." + cents).astype(object)


def capital(fen: int) -> str:
    """Return the amount in Chinese financial capitals: 600000 → '陆仟元整'.

    See the module docstring for the zero and 整 rules chosen.  Supports amounts below
    10^16 yuan (万亿 is the largest group unit); beyond that raises ValueError.
    """
    fen = _as_int(fen)
    if fen < 0:
        return "负" + capital(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if yuan >= _MAX_YUAN:
        raise ValueError(f"amount too large for capitals: {fen} fen")
    if fen == 0:
        return "零元整"
    text = _yuan_capital(yuan) + "元" if yuan else ""
    if jiao:
        text += ("零" if yuan and yuan % 10 == 0 else "") + DIGITS[jiao] + "角"
    elif yuan and fen_digit:
        text += "零"
    if fen_digit:
        return text + DIGITS[fen_digit] + "分"
    return text + "整"


def _yuan_capital(yuan: int) -> str:
    """The capitals of a positive whole number of yuan, without 元 ('壹仟万零壹仟')."""
    digits = [int(d) for d in str(yuan)]
    parts: list[str] = []
    pending_zero = False
    for position, digit in zip(range(len(digits) - 1, -1, -1), digits, strict=True):
        inner, group = position % 4, position // 4
        if digit:
            if pending_zero:
                parts.append("零")
            parts.append(DIGITS[digit] + _INNER_UNITS[inner])
            pending_zero = False
        elif parts:
            pending_zero = True
        if inner == 0 and group and _group_value(yuan, group):
            parts.append(_GROUP_UNITS[group])
    return "".join(parts)


def _group_value(yuan: int, group: int) -> int:
    """The four digits of group ``group`` (0 = units, 1 = 万, 2 = 亿 …)."""
    divisor: int = 10 ** (4 * group)
    return yuan // divisor % 10_000


def sum_fen(values: Iterable[int]) -> int:
    """Sum integer fen exactly; refuses floats (TypeError) so nobody sums yuan floats.

    Accepts any iterable of ints, and integer numpy arrays / pandas columns (summed in
    int64, exact below 9·10^16 yuan).
    """
    if isinstance(values, pd.Series | pd.Index | np.ndarray):
        return int(fen_array(values).sum())
    total = 0
    for value in values:
        total += _as_int(value)
    return total


def _as_int(value: object) -> int:
    """``value`` as a Python int; bools, floats and everything else raise TypeError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"fen must be an integer, not {type(value).__name__}: {value!r}")
    return int(value)


def fen_array(values: pd.Series | pd.Index | np.ndarray) -> np.ndarray:
    """An int64 array of an integer fen column; float or text columns raise TypeError.

    For writers that must check a frame's ``amount_fen`` before trusting it.
    """
    array = np.asarray(values)
    if array.dtype == object:
        return np.array([_as_int(v) for v in array], dtype=np.int64)
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"fen must be integers, got a {array.dtype} column")
    return array.astype(np.int64, copy=False)


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_GROUPS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def in_words(fen: int) -> str:
    """The amount in English words, as an English list writes it beside the figures:
    3650050 → 'thirty-six thousand five hundred yuan and fifty fen'."""
    fen = _as_int(fen)
    if fen < 0:
        return "minus " + in_words(-fen)
    yuan, cents = divmod(fen, 100)
    words = f"{_number_words(yuan)} yuan"
    return f"{words} and {_number_words(cents)} fen" if cents else words


def _number_words(n: int) -> str:
    for size, name in _GROUPS:
        if n >= size:
            high, rest = divmod(n, size)
            return f"{_number_words(high)} {name}" + (f" {_number_words(rest)}" if rest else "")
    if n >= 100:
        high, rest = divmod(n, 100)
        return f"{_ONES[high]} hundred" + (f" {_number_words(rest)}" if rest else "")
    if n >= 20:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    return _ONES[n]
