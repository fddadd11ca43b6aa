"""Chinese resident identity numbers (GB 11643-1999): checks, repairs and masking.

Rosters arrive from Excel, so an ID can be text with stray spaces or full-width digits,
an old 15-digit number, or a number Excel has already rounded to 15 significant digits.
``classify`` sorts each cell into one of ``ID_CODES`` (or fine) so the caller can report it.
"""

from __future__ import annotations

import datetime
import functools
import math
import numbers
import operator
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import SupportsFloat, TypeGuard, cast

import numpy as np
import pandas as pd

ID_CODES = ("id_format", "id_checksum", "id_birthdate", "id_precision_lost", "id_15_digit")

COUNTY_PREFIX = "500230"
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {str(n) for n in range(31, 38)}
    | {str(n) for n in range(41, 47)}
    | {"50", "51", "52", "53", "54"}
    | {str(n) for n in range(61, 66)}
    | {"71", "81", "82"}
)
OLDEST_BIRTH = datetime.date(1900, 1, 1)
MAX_AGE = 120

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ASCII_ZERO_OFFSET = ord("0") * sum(_WEIGHTS)
_DIGITS17 = re.compile(r"[0-9]{17}")
_ID15 = re.compile(r"[0-9]{15}")
_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_SCIENTIFIC = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+")
_WHITESPACE = re.compile(r"\s+")
_EXACT_LIMIT = 1e15  # Excel keeps 15 significant digits; from here on digits are lost


def check_digit(first17: str) -> str:
    """Return the GB 11643 MOD 11-2 check character ('0'-'9' or 'X') for 17 digits.

    The 18th character of an ID is this value, so it lets us catch typing mistakes.
    """
    if not _DIGITS17.fullmatch(first17):
        raise ValueError(f"check_digit needs exactly 17 ASCII digits, got {first17!r}")
    return _check_char(first17)


def _check_char(first17: str) -> str:
    """``check_digit`` without the input check, for callers that have matched the format."""
    # byte values are digit + 48; subtracting 48 * sum(weights) keeps this fast for 1M rows
    total = sum(map(operator.mul, first17.encode("ascii"), _WEIGHTS)) - _ASCII_ZERO_OFFSET
    return _CHECK_CHARS[total % 11]


def mask(id_number: str) -> str:
    """Hide the middle of an ID number so reports can be shared without leaking it.

    Longer than 10 characters: keep the first 6 (region) and the last 4, star the rest
    ('500230199001011234' → '500230********1234'). Otherwise star all but the last 2.
    """
    n = len(id_number)
    if n > 10:
        return id_number[:6] + "*" * (n - 10) + id_number[-4:]
    keep = min(2, n)
    return "*" * (n - keep) + id_number[n - keep :]


_ALONE = r"(?<!\d){}(?!\d)"  # not inside a longer number (letters around are no shield)
_ID_IN_TEXT = re.compile(_ALONE.format(r"(\d{6})\d{5,8}([\dXx]{4})"))
_PHONE_IN_TEXT = re.compile(_ALONE.format(r"(\+?86[-\s]?)?(1[3-9]\d)\d{4}(\d{4})"))
_CARD_IN_TEXT = re.compile(_ALONE.format(r"(\d{4})\d{11,13}(\d{4})"))  # 19–21 digits
# a number typed in groups: 6217 8561 1277 7001 320, 139-1234-5678, 500230 19900101 1234,
# 500230_19900101_1234, (183)83683735
_SEP = r"[ \-_.()]"
_GROUPED = re.compile(_ALONE.format(rf"\+?\d(?:{_SEP}?[\dXx]){{10,24}}"))
# a landline with its area code: 023-70612345, 0755 12345678
_LANDLINE = re.compile(_ALONE.format(r"(0\d{2,3})[-\s]\d{3,4}(\d{4})"))


def mask_in_text(text: str) -> str:
    """Every ID-like run of 15–18 characters inside ``text`` masked (500230********1234),
    every mobile number (139****5678, also after +86) and card number, also when typed in
    groups or glued to letters ('ID500230…', '电话+8613912345678'): a ledger key, a trace,
    a cell or a file name shown in a message."""
    text = _GROUPED.sub(_mask_grouped, text)
    text = _LANDLINE.sub(lambda m: m[1] + "-****" + m[2], text)
    text = _ID_IN_TEXT.sub(lambda m: m[1] + "********" + m[2], text)
    text = _PHONE_IN_TEXT.sub(lambda m: (m[1] or "") + m[2] + "****" + m[3], text)
    return _CARD_IN_TEXT.sub(lambda m: m[1] + "*" * (len(m[0]) - 8) + m[2], text)


def shown_sheet(sheet: object) -> object:
    """A sheet's name as it is shown: an ID or phone a clerk named it by masked (a sheet with
    no name — a CSV — stays None)."""
    return mask_in_text(sheet) if isinstance(sheet, str) else sheet


def shown_name(path: str | Path) -> str:
    """A file's name as it is shown, recorded and logged: an ID or phone in it masked."""
    return mask_in_text(Path(path).name)


def mask_if_personal(value: object) -> object:
    """A cell of a column that is not personal (户编号) masked when what was typed there is
    an ID, a mobile or a card number after all; anything else as it is."""
    if not isinstance(value, str) or not value:
        return value
    compact = re.sub(r"[\s\-]", "", value).upper().removeprefix("+86")
    personal = (
        (len(compact) == 18 and is_valid_checksum(compact))
        or bool(re.fullmatch(r"1[3-9]\d{9}", compact))
        or (len(compact) == 19 and compact.isdigit())
    )
    return mask_in_text(compact) if personal else value


def _mask_grouped(found: re.Match[str]) -> str:
    """A number typed with separators, masked when it is an ID, a mobile or a card — or when
    some of its groups are (another number typed just before it: 'id2 500230 19900101 1234')."""
    typed = found[0]
    if not re.search(_SEP, typed):
        return typed  # one run: the patterns above see it
    if _personal(typed):
        return mask_in_text(_digits(typed))
    parts = re.split(f"({_SEP}+)", typed)  # groups at even places, separators between
    groups = parts[0::2]
    for start in range(len(groups)):
        for end in range(len(groups), start, -1):
            if end - start == len(groups):
                continue
            inner = "".join(parts[2 * start : 2 * end - 1])
            if _personal(inner):
                before = "".join(parts[: 2 * start])
                after = "".join(parts[2 * end - 1 :])
                return before + mask_in_text(_digits(inner)) + after
    return typed


def _digits(typed: str) -> str:
    return re.sub(r"[^\dXx]", "", typed).upper().removeprefix("86")


def _personal(typed: str) -> bool:
    """Is a number typed in groups an ID, a mobile or a bank card?"""
    digits = _digits(typed)
    return (
        (len(digits) == 18 and is_valid_checksum(digits))
        or bool(re.fullmatch(r"1[3-9]\d{9}", digits))
        or (16 <= len(digits) <= 19 and digits.isdigit() and (_luhn(digits) or _fours(typed)))
    )


def _fours(typed: str) -> bool:
    """Written in groups of four, as card numbers are (the last group may be shorter)."""
    groups = re.split(f"{_SEP}+", typed.strip())
    return all(len(g) == 4 for g in groups[:-1]) and 1 <= len(groups[-1]) <= 4


def _luhn(digits: str) -> bool:
    """The check most bank cards carry (Luhn)."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


_QUOTED = re.compile(r"""^(?:'|"|="|=')?\s*([0-9Xx]{15,18})\s*['"]?$""")


def normalise(text: str) -> str:
    """Return ``text`` as an ID would be typed cleanly: NFKC, no whitespace, upper-case X.

    Township clerks paste IDs with spaces, full-width digits ('５００２３０') and 'ｘ'/'x';
    nothing beyond that is changed, so real mistakes are still visible afterwards.
    """
    if text.isascii() and text.isalnum():  # the common, already clean case
        return text.replace("x", "X")
    text = _QUOTED.sub(r"\1", text.strip())  # '500230… or ="500230…": a system kept it text
    for _ in range(2):  # NFKC can itself make spaces ('¨' → ' ̈'): a second round settles it
        text = unicodedata.normalize("NFKC", _WHITESPACE.sub("", text))
    return text.replace("x", "X")


def is_valid_checksum(id18: str) -> bool:
    """Is ``id18`` 17 digits plus a digit/X whose last character matches its check digit?"""
    return bool(_ID18.fullmatch(id18)) and id18[17] == _check_char(id18[:17])


def upgrade_15(id15: str) -> str:
    """Convert an old 15-digit ID to the 18-digit form (insert '19' after the region, add check).

    15-digit IDs were issued before 1999 and all holders were born in the 1900s.
    """
    if not _ID15.fullmatch(id15):
        raise ValueError(f"upgrade_15 needs exactly 15 ASCII digits, got {id15!r}")
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + check_digit(first17)


def birth_date(id18: str) -> datetime.date | None:
    """Return the birth date in positions 7-14 of ``id18``, or None if it is not a real date."""
    digits = id18[6:14]
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def sex_code(id18: str) -> str:
    """Return 'male' when the 17th digit (sequence number) is odd, else 'female', as GB 11643
    encodes it.

    ``id18`` must be a well-formed ID (e.g. one ``classify`` passed); anything else raises.
    """
    return "male" if int(id18[16]) % 2 else "female"


def sex(id18: str) -> str:
    """Return '男' or '女' (:func:`sex_code` as an ID card prints it)."""
    return "男" if sex_code(id18) == "male" else "女"


def completed_years(born: datetime.date, on: datetime.date) -> int:
    """Whole years from ``born`` to ``on``; the birthday itself counts as reached."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_on(id18: str, on: datetime.date) -> int | None:
    """Return the age in completed years on ``on`` (negative if born after it), None if no date.

    A 29 February birthday is reached on 1 March in common years.
    """
    born = birth_date(id18)
    return None if born is None else completed_years(born, on)


def ages(ids: pd.Series, on: datetime.date) -> pd.Series:
    """:func:`age_on` of a column of 18-digit IDs, at once (<NA> where there is no date)."""
    born = pd.to_datetime(ids.astype(str).str[6:14], format="%Y%m%d", errors="coerce")
    before_birthday = (born.dt.month > on.month) | (
        (born.dt.month == on.month) & (born.dt.day > on.day)
    )
    age = on.year - born.dt.year - before_birthday.astype(int)
    return age.astype("Int64")


def is_plausible_birth(born: datetime.date, on: datetime.date) -> bool:
    """Could a living person on the roster have been born on ``born`` (checked on ``on``)?

    True when 1900-01-01 <= born <= on and the person is at most 120 years old.
    """
    return OLDEST_BIRTH <= born <= on and completed_years(born, on) <= MAX_AGE


def _has_plausible_birth(id18: str, on: datetime.date) -> bool:
    """Does ``id18`` hold a real birth date that is plausible on ``on``?"""
    return _is_plausible_birth_text(id18[6:14], on)


@functools.lru_cache(maxsize=1 << 16)
def _is_plausible_birth_text(yyyymmdd: str, on: datetime.date) -> bool:
    """Is ``yyyymmdd`` a real date plausible on ``on``? Cached: a roster has few birth dates."""
    born = birth_date("000000" + yyyymmdd)
    return born is not None and is_plausible_birth(born, on)


def region_class(id18: str) -> str:
    """Say where the ID was issued: 'county' (丰都), 'chongqing', 'known' province, or 'unknown'."""
    if id18.startswith(COUNTY_PREFIX):
        return "county"
    if id18.startswith("50"):
        return "chongqing"
    return "known" if id18[:2] in PROVINCE_CODES else "unknown"


def excel_number_text(value: float) -> str:
    """Return how Excel's General format shows ``value``, e.g. '5.00230199001011E+17'.

    This is what the clerk sees in the cell, so it is the most useful thing to report
    for an ID that Excel turned into a number. Integral values below 1e15 are shown in
    full; larger ones with 15 significant digits; other values use up to 15 significant
    digits (tiny fractions may differ slightly from Excel, which does not matter for IDs).
    """
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if abs(v) < _EXACT_LIMIT:
        return str(int(v)) if v.is_integer() else f"{v:.15G}"
    mantissa, exponent = f"{v:.14E}".split("E")
    return mantissa.rstrip("0").rstrip(".") + "E" + exponent


def is_scientific(text: str) -> bool:
    """Does ``text`` look like a number in scientific notation ('5.00230199001011E+17')?

    Such text means the ID was a number in Excel and has already lost its last digits.
    """
    return ("E" in text or "e" in text) and bool(_SCIENTIFIC.fullmatch(text.strip()))


@dataclass(frozen=True, slots=True)
class IdCheck:
    """The outcome of checking one ID cell (see ``classify``)."""

    raw: object
    id_number: str
    code: str | None
    expected_check: str | None = None


def _is_missing(raw: object) -> bool:
    """Is ``raw`` None, NaN, pd.NA or NaT?"""
    if raw is None or raw is pd.NA or raw is pd.NaT:
        return True
    return isinstance(raw, float | np.floating) and math.isnan(raw)


def _is_number(raw: object) -> TypeGuard[SupportsFloat]:
    """Was ``raw`` stored as a number (int/float, numpy too)? Booleans are not numbers here."""
    return isinstance(raw, numbers.Real) and not isinstance(raw, bool | np.bool_)


def _number_as_text(raw: SupportsFloat) -> str | None:
    """Return a number cell as Excel shows it, or None when Excel has lost digits (>= 1e15).

    Integral values keep all their digits ('500230900101123'); others become text such as
    '1234.5' or 'inf', which then fail as id_format.
    """
    if isinstance(raw, numbers.Integral):
        return str(int(raw)) if abs(int(raw)) < _EXACT_LIMIT else None
    value = float(raw)
    if math.isfinite(value) and abs(value) >= _EXACT_LIMIT:
        return None
    return excel_number_text(value)


def _classify_text(raw: object, text: str, on: datetime.date) -> IdCheck:
    """Classify an already normalised, non-empty, non-scientific ID text."""
    if _ID15.fullmatch(text):
        id18 = upgrade_15(text)
        code = "id_15_digit" if _has_plausible_birth(id18, on) else "id_birthdate"
        return IdCheck(raw, id18, code)
    if not _ID18.fullmatch(text):
        return IdCheck(raw, text, "id_format")
    expected = _check_char(text[:17])
    if text[17] != expected:
        return IdCheck(raw, text, "id_checksum", expected)
    if not _has_plausible_birth(text, on):
        return IdCheck(raw, text, "id_birthdate")
    return IdCheck(raw, text, None)


def _classify_text_cell(raw: object, text: str, on: datetime.date) -> IdCheck:
    """Classify a cell read as ``text``: normalise it, then spot Excel's scientific notation."""
    text = normalise(text)
    if not text:
        return IdCheck(raw, "", None)
    if is_scientific(text):
        return IdCheck(raw, text, "id_precision_lost")
    return _classify_text(raw, text, on)


def classify(raw: object, on: datetime.date) -> IdCheck:
    """Check one ID cell as read from a roster; ``on`` is the reference date for ages.

    Empty cells are fine here (emptiness is reported elsewhere). Numbers of 1e15 or more
    are always 'id_precision_lost': Excel kept only 15 significant digits.
    """
    if isinstance(raw, str):
        return _classify_text_cell(raw, raw, on)
    if _is_missing(raw):
        return IdCheck(raw, "", None)
    if _is_number(raw):
        text = _number_as_text(raw)
        if text is None:
            return IdCheck(raw, excel_number_text(float(raw)), "id_precision_lost")
        return _classify_text(raw, text, on)
    return _classify_text_cell(raw, str(raw), on)  # e.g. a bool: 'True' fails as id_format


# --- whole columns ------------------------------------------------------------------------
#
# A column is factorised, and each distinct value is classified once. Distinct values that
# are plain 18-character ID text (nearly all of them in a real roster) are checked with
# numpy in one go; everything else goes through ``classify``. The result is the same.

_PLAIN_18 = re.compile(r"[0-9]{17}[0-9Xx]")
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _plain_18_mask(values: list[object]) -> np.ndarray:
    """Which values are text that is already a clean 18-character ID (but for a lowercase x)?"""
    match = _PLAIN_18.fullmatch  # inlined: this runs once per distinct ID
    return np.array([type(v) is str and match(v) is not None for v in values], dtype=bool)


def _as_number(digits: np.ndarray) -> np.ndarray:
    """Read each row of a digit matrix as one decimal number."""
    number: np.ndarray = digits @ (10 ** np.arange(digits.shape[1] - 1, -1, -1))
    return number


def _plausible_births(digits: np.ndarray, on: datetime.date) -> np.ndarray:
    """Vectorised ``_has_plausible_birth`` for an (n, 18) digit matrix."""
    year, month, day = (_as_number(digits[:, a:b]) for a, b in ((6, 10), (10, 12), (12, 14)))
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    last = _DAYS_IN_MONTH[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    real = month_ok & (day >= 1) & (day <= last)
    born = year * 10000 + month * 100 + day
    on_int = on.year * 10000 + on.month * 100 + on.day
    age = on.year - year - (on.month * 100 + on.day < month * 100 + day)
    plausible: np.ndarray = real & (born >= 19000101) & (born <= on_int) & (age <= MAX_AGE)
    return plausible


def _classify_plain_18(
    texts: list[str], on: datetime.date
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Classify clean 18-character texts at once: (id_number, code, expected_check) arrays."""
    chars = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    digits = chars.astype(np.int64) - ord("0")
    check_at = digits[:, :17] @ _WEIGHTS % 11
    last = np.where(chars[:, 17] == ord("x"), ord("X"), chars[:, 17])
    wrong = np.frombuffer(_CHECK_CHARS.encode("ascii"), dtype=np.uint8)[check_at] != last
    bad_birth = ~wrong & ~_plausible_births(digits, on)
    none = np.full(len(texts), None, dtype=object)
    code = np.where(wrong, "id_checksum", np.where(bad_birth, "id_birthdate", none))
    expected = np.where(wrong, np.array(list(_CHECK_CHARS), dtype=object)[check_at], none)
    return [t.replace("x", "X") for t in texts], code, expected


class _Columns:
    """Per distinct value: id_number, id_code and id_expected_check, filled in place."""

    def __init__(self, n: int) -> None:
        self.number = np.full(n, "", dtype=object)
        self.code = np.full(n, None, dtype=object)
        self.expected = np.full(n, None, dtype=object)

    def put(self, at: int, check: IdCheck) -> None:
        """Store one ``classify`` result at position ``at``."""
        self.number[at], self.code[at], self.expected[at] = (
            check.id_number,
            check.code,
            check.expected_check,
        )

    def grow(self, extra: int) -> None:
        """Make room for ``extra`` more values at the end."""
        pad = np.full(extra, None, dtype=object)
        self.number, self.code, self.expected = (
            np.concatenate([column, pad]) for column in (self.number, self.code, self.expected)
        )


def _is_big_float(value: object) -> TypeGuard[float]:
    """Is ``value`` a float of 1e15 or more, which ``classify`` calls id_precision_lost?"""
    return type(value) is float and math.isfinite(value) and abs(value) >= _EXACT_LIMIT


def _classify_distinct(values: list[object], plain: np.ndarray, on: datetime.date) -> _Columns:
    """Classify each distinct value once; those marked ``plain`` in one vectorised pass."""
    out = _Columns(len(values))
    if plain.any():
        at = np.flatnonzero(plain)
        texts = cast("list[str]", [values[i] for i in at])  # plain: each is a str
        id_numbers, code, expected = _classify_plain_18(texts, on)
        out.number[at] = np.array(id_numbers, dtype=object)
        out.code[at], out.expected[at] = code, expected
    for i in np.flatnonzero(~plain).tolist():
        value = values[i]
        if _is_big_float(value):  # shortcut for a whole column Excel stored as numbers
            out.number[i], out.code[i] = excel_number_text(value), "id_precision_lost"
        else:
            out.put(i, classify(value, on))
    return out


def _may_hide_bool(value: object) -> bool:
    """Could ``value`` stand for a merged bool? pandas' factorize treats True == 1 == 1.0."""
    return isinstance(value, numbers.Real | np.bool_) and value in (0, 1)


def _split_bools(
    cells: np.ndarray, codes: np.ndarray, suspects: list[int], out: _Columns, on: datetime.date
) -> np.ndarray:
    """Re-check rows whose distinct value is 0/1 with the type in the key, so True and 1 differ.

    Returns the new row codes; the extra results are appended to ``out``.
    """
    codes = codes.copy()
    rows = np.flatnonzero(np.isin(codes, suspects)).tolist()
    keys = list(dict.fromkeys((type(cells[r]), cells[r]) for r in rows))
    first = len(out.number)
    out.grow(len(keys))
    position = {key: first + k for k, key in enumerate(keys)}
    for key, at in position.items():
        out.put(at, classify(key[1], on))
    for r in rows:
        codes[r] = position[(type(cells[r]), cells[r])]
    return codes


def classify_series(raw: pd.Series, on: datetime.date) -> pd.DataFrame:
    """Classify a whole ID column; columns id_number, id_code, id_expected_check.

    The index matches ``raw`` and every row equals ``classify`` of its cell, but each
    distinct value is classified only once, so a million rows take seconds at most.
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    values = list(uniques)
    plain = _plain_18_mask(values)
    out = _classify_distinct(values, plain, on)
    if raw.dtype == object:
        suspects = [i for i in np.flatnonzero(~plain).tolist() if _may_hide_bool(values[i])]
        if suspects:
            codes = _split_bools(raw.to_numpy(dtype=object), codes, suspects, out, on)
    data = {"id_number": out.number, "id_code": out.code, "id_expected_check": out.expected}
    frame = pd.DataFrame({k: v[codes] for k, v in data.items()}, index=raw.index, dtype=object)
    return frame.astype({"id_number": "str"})  # object above keeps None as None


def _substitutions(id18: str) -> set[str]:
    """Every string one character substitution away (digits anywhere, X also at the end)."""
    out: set[str] = set()
    for pos in range(18):
        alphabet = "0123456789X" if pos == 17 else "0123456789"
        out.update(id18[:pos] + ch + id18[pos + 1 :] for ch in alphabet)
    return out


def _adjacent_swaps(id18: str) -> set[str]:
    """Every string made by swapping two neighbouring characters of ``id18``."""
    return {id18[:i] + id18[i + 1] + id18[i] + id18[i + 2 :] for i in range(17)}


def typo_candidates(id_number: str, on: datetime.date) -> list[str]:
    """List valid IDs one typo away (one digit changed, or two neighbours swapped).

    Candidates must pass the checksum and hold a real birth date plausible on ``on``;
    they are suggestions for a clerk to confirm, sorted, never including the input.
    """
    text = normalise(id_number)
    if not _ID18.fullmatch(text):
        return []
    nearby = (_substitutions(text) | _adjacent_swaps(text)) - {text}
    return sorted(c for c in nearby if is_valid_checksum(c) and _has_plausible_birth(c, on))
