"""Write a county-scale month of invented data for the benchmarks.

    python benchmarks/make_county.py DIR [--persons 100000] [--insurance-rows 1000000] [--seed 1]

writes

* ``DIR/rosters/``: one .xlsx per township of Fengdu (30 files, persons split unevenly),
  each with a merged title row above the header and the roster columns, plus ~1% problem
  rows (wrong check digit, ID typed as a number, empty name, duplicate ID);
* ``DIR/roster-100k.xlsx``: all persons in one sheet (same layout), for reader comparisons
  (the name stays ``roster-100k`` whatever ``--persons`` is, so the benchmark finds it);
* ``DIR/employment/employment.csv``: one job for ~70% of the persons;
* ``DIR/insurance/YYYY-MM.csv``: contributions, one row per person × month × insurance
  type, 2023-01..2024-06, ``--insurance-rows`` rows in all (UTF-8);
* ``DIR/manifest.json``: the parameters and how many problems were planted, so a
  benchmark can tell whether the data on disk is what it asked for.

Everything is invented and derived from ``--seed``; columns are built with numpy and the
workbooks are written by xlsxwriter in constant_memory mode (rows streamed to disk, IDs as
text cells), so 100k persons and 1M insurance rows take seconds, not minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from fengdu_cli.normalise import (  # the values townships may type
    CATEGORY_CHOICES as CATEGORIES,
)
from fengdu_cli.normalise import (
    LABOR_CHOICES as LABOR,
)
from fengdu_cli.normalise import (
    WORKING,
)
from fengdu_cli.sample import credit_code
from fengdu_cli.townships import TOWNSHIPS

REFERENCE_DATE = "2024-06-30"  # the month the data is "for"; ages are judged on it
FIRST_MONTH, LAST_MONTH = 202301, 202406  # insurance periods
SINGLE_FILE = "roster-100k.xlsx"
MANIFEST = "manifest.json"

ROSTER_HEADER = (
    "乡镇", "村（社区）", "户编号", "姓名", "身份证号码", "人员类别", "劳动技能",
    "务工状态", "务工地点", "联系电话", "银行账号",
)  # fmt: skip
EMPLOYMENT_HEADER = (
    "身份证号码", "姓名", "用人单位名称", "统一社会信用代码", "就业开始日期", "就业结束日期",
    "就业形式", "就业地区",
)  # fmt: skip
INSURANCE_HEADER = (
    "身份证号码", "姓名", "统一社会信用代码", "费款所属期", "险种", "缴费基数", "单位缴费",
    "个人缴费",
)  # fmt: skip

_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)

_SURNAMES = list("陈刘李张王杨黄周吴秦冉谭向何罗唐熊况付蒋余邓彭曾徐袁胡万程文郑谢")
_GIVEN = list(
    "伟强军明勇国建平华林涛斌兵洪波俊杰祥贵福德成刚坤鹏富海江兴元"
    "芳丽英敏静秀兰琴霞燕红梅玉萍凤莲娟婷雪慧春桂群艳浩宇轩博睿泽航欣怡涵诗雨悦琪"
)
_SYLLABLES = list("长金双大桂湾青新太石鹿白燕银三梨观松岩夜广龙凤马柏竹杨枫茶花碧水河坪坝")

CATEGORY_P = (0.70, 0.06, 0.04, 0.03, 0.02, 0.15)
LABOR_P = (0.55, 0.12, 0.15, 0.08, 0.10)
WORKING_P = (0.24, 0.17, 0.28, 0.05, 0.06, 0.05, 0.15)
CHONGQING = ("重庆市渝北区", "重庆市涪陵区", "重庆市江北区", "重庆市九龙坡区", "重庆市万州区")
ELSEWHERE = ("广东省东莞市", "浙江省宁波市", "福建省厦门市", "江苏省苏州市", "山东省济南市")
OTHER_REGIONS = ("500101", "500102", "510521", "422822", "522125")
COUNTY_REGION = "500230"

# (name, employer rate, personal rate)
INSURANCE_TYPES = (
    ("企业职工基本养老保险", 0.16, 0.08),
    ("失业保险", 0.005, 0.005),
    ("工伤保险", 0.006, 0.0),
)

CHUNK = 200_000  # insurance lines joined and written at a time
EXCEL_ROWS = 1_048_576  # one sheet holds no more

PROBLEMS = ("id_checksum", "id_precision_lost", "missing_required", "duplicate_person")


# ---------------------------------------------------------------- vectorised helpers


def digit_text(
    rng: np.random.Generator, n: int, width: int, prefix: np.ndarray | str = ""
) -> np.ndarray:
    """``n`` random digit strings of ``width`` digits after ``prefix`` (an array or one text)."""
    digits = rng.integers(ord("0"), ord("9") + 1, size=(n, width), dtype=np.uint8)
    tail = digits.view(f"S{width}").ravel().astype(f"U{width}")
    return np.char.add(prefix, tail) if len(prefix) else tail


def as_text(chars: np.ndarray) -> np.ndarray:
    """An (n, k) uint8 matrix of ASCII codes → n strings."""
    chars = np.ascontiguousarray(chars, dtype=np.uint8)
    k = chars.shape[1]
    return chars.view(f"S{k}").ravel().astype(f"U{k}")


def make_ids(
    rng: np.random.Generator, born: np.ndarray, male: np.ndarray, regions: np.ndarray
) -> np.ndarray:
    """Unique 18-digit IDs (valid check digit) for birth dates ``born`` (datetime64[D]).

    The 3-digit sequence is the person's rank among those born the same day (×2, +1 for
    men, plus a per-day offset), so no two persons share an ID.
    """
    n = len(born)
    order = np.argsort(born, kind="stable")
    sorted_born = born[order]
    starts = np.r_[True, sorted_born[1:] != sorted_born[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - group_start
    if rank.max() >= 400:
        raise ValueError("too many persons born on one day for unique IDs")
    offset = (born.astype(np.int64) * 7919) % 100 * 2  # even, 0..198, fixed per day
    seq = (offset + rank * 2 + male) % 1000  # odd for men, as GB 11643 says

    years = born.astype("datetime64[Y]").astype(np.int64) + 1970
    months = born.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (born - born.astype("datetime64[M]")).astype(np.int64) + 1
    region_digits = np.frombuffer("".join(regions).encode("ascii"), dtype=np.uint8).reshape(n, 6)
    digits = np.empty((n, 17), dtype=np.int64)
    digits[:, :6] = region_digits - ord("0")
    for col, (value, width) in enumerate(((years, 4), (months, 2), (days, 2), (seq, 3))):
        start = 6 + (0, 4, 6, 8)[col]
        for k in range(width):
            digits[:, start + k] = value // 10 ** (width - 1 - k) % 10
    check = _CHECK[digits @ _WEIGHTS % 11]
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, :17] = digits + ord("0")
    chars[:, 17] = check
    return as_text(chars)


def wrong_check(ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same IDs with a different (wrong) last character."""
    alphabet = np.array(list("0123456789X"))
    last = np.array([s[-1] for s in ids])
    shift = rng.integers(1, 11, size=len(ids))
    index = (np.searchsorted(alphabet, last) + shift) % 11  # alphabet is sorted: '0'<'9'<'X'
    return np.char.add(np.array([s[:17] for s in ids]), alphabet[index])


# ---------------------------------------------------------------- persons


@dataclass
class County:
    """All invented persons, as columns (one entry per roster row)."""

    township: np.ndarray
    village: np.ndarray
    household: np.ndarray
    name: np.ndarray
    id_number: np.ndarray  # the true ID
    id_cell: np.ndarray  # what the roster cell holds: str, or float for an ID typed as number
    category: np.ndarray
    labor: np.ndarray
    status: np.ndarray
    place: np.ndarray
    phone: np.ndarray
    bank: np.ndarray
    problem: np.ndarray  # '' or one of PROBLEMS
    town_counts: np.ndarray

    def rows(self, sel: slice | np.ndarray) -> list[list[object]]:
        """Roster rows (cells in ROSTER_HEADER order) for ``sel``."""
        cols = (
            self.township, self.village, self.household, self.name, self.id_cell,
            self.category, self.labor, self.status, self.place, self.phone, self.bank,
        )  # fmt: skip
        return [list(r) for r in zip(*(c[sel].tolist() for c in cols), strict=True)]


def split_townships(rng: np.random.Generator, persons: int) -> np.ndarray:
    """Persons per township, uneven (street offices larger, some townships small)."""
    weights = rng.lognormal(0.0, 0.55, size=len(TOWNSHIPS))
    weights[:2] *= 2.5  # 三合街道, 名山街道: the county seat
    counts = np.floor(weights / weights.sum() * persons).astype(np.int64)
    counts = np.maximum(counts, 1)
    counts[np.argmax(counts)] += persons - counts.sum()
    return counts


def make_persons(persons: int, seed: int) -> County:
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    n = persons
    counts = split_townships(rng, n)
    town_index = np.repeat(np.arange(len(TOWNSHIPS)), counts)
    township = np.array(TOWNSHIPS)[town_index]

    # villages: 8-25 per township, invented names; households of 1-5 within a village
    village = np.empty(n, dtype=object)
    household = np.empty(n, dtype=object)
    start = 0
    for t, count in enumerate(counts.tolist()):
        names = sorted(
            {pyrng.choice(_SYLLABLES) + pyrng.choice(_SYLLABLES) + "村" for _ in range(25)}
        )[: pyrng.randrange(8, 26)]
        sizes = rng.choice([1, 2, 3, 4, 5], p=[0.1, 0.2, 0.3, 0.25, 0.15], size=count)
        hh = np.repeat(np.arange(count), sizes)[:count]
        hh_village = np.sort(rng.integers(0, len(names), size=hh[-1] + 1))
        v = hh_village[hh]
        village[start : start + count] = np.array(names, dtype=object)[v]
        household[start : start + count] = [
            f"{COUNTY_REGION}{t + 1:02d}{vi + 1:03d}{h + 1:05d}"
            for vi, h in zip(v.tolist(), hh.tolist(), strict=True)
        ]
        start += count

    born = np.datetime64("1955-01-01") + rng.integers(0, (2008 - 1955) * 365, size=n)
    male = rng.integers(0, 2, size=n)
    regions = np.where(
        rng.random(n) < 0.05, np.array(OTHER_REGIONS)[rng.integers(0, 5, size=n)], COUNTY_REGION
    )
    ids = make_ids(rng, born, male, regions)

    surname = np.array(_SURNAMES)[rng.integers(0, len(_SURNAMES), size=n)]
    given = np.array(_GIVEN)
    first = given[rng.integers(0, len(given), size=n)]
    second = np.where(rng.random(n) < 0.7, given[rng.integers(0, len(given), size=n)], "")
    name = np.char.add(np.char.add(surname, first), second).astype(object)

    category = np.array(CATEGORIES, dtype=object)[rng.choice(6, p=CATEGORY_P, size=n)]
    labor = np.array(LABOR, dtype=object)[rng.choice(5, p=LABOR_P, size=n)]
    able = np.isin(labor, LABOR[:3])
    working = np.array(WORKING, dtype=object)[rng.choice(7, p=WORKING_P, size=n)]
    status = np.where(able, np.where(rng.random(n) < 0.8, working, "未务工"), "无劳动能力")
    place = np.full(n, "", dtype=object)
    inside = status == "县内务工"
    place[inside] = np.char.add("丰都县", township[inside].astype(str))
    near = status == "县外市内务工"
    place[near] = np.array(CHONGQING, dtype=object)[rng.integers(0, 5, size=near.sum())]
    far = status == "市外务工"
    place[far] = np.array(ELSEWHERE, dtype=object)[rng.integers(0, 5, size=far.sum())]

    prefix = np.array(["138", "139", "152", "158", "177", "183", "187", "199"])
    phone = digit_text(rng, n, 8, prefix[rng.integers(0, 8, size=n)]).astype(object)
    phone[rng.random(n) < 0.03] = ""
    bank_prefix = np.array(["6224", "6217", "6228", "6230"])
    bank = digit_text(rng, n, 15, bank_prefix[rng.integers(0, 4, size=n)]).astype(object)

    # ~1% problem rows, a quarter of each kind
    problem = np.full(n, "", dtype=object)
    id_cell = ids.astype(object)
    planted = rng.choice(n, size=max(4, n // 100), replace=False)
    for k, code in enumerate(PROBLEMS):
        problem[planted[k::4]] = code
    at = np.flatnonzero(problem == "id_checksum")
    id_cell[at] = wrong_check(ids[at], rng)
    at = np.flatnonzero(problem == "id_precision_lost")
    id_cell[at] = [float(int(s[:17] + ("0" if s[17] == "X" else s[17]))) for s in ids[at]]
    name[problem == "missing_required"] = ""
    at = np.flatnonzero(problem == "duplicate_person")
    clean = np.flatnonzero(problem == "")
    source = clean[rng.integers(0, len(clean), size=len(at))]
    id_cell[at] = ids[source]
    name[at] = name[source]  # the same person listed twice

    return County(
        township=township.astype(object),
        village=village,
        household=household,
        name=name,
        id_number=ids,
        id_cell=id_cell,
        category=category,
        labor=labor,
        status=status.astype(object),
        place=place,
        phone=phone,
        bank=bank,
        problem=problem,
        town_counts=counts,
    )


# ---------------------------------------------------------------- rosters (.xlsx)


def write_roster(path: Path, title: str, rows: list[list[object]]) -> None:
    """One sheet: merged title row, header row, then ``rows`` (IDs as text unless float)."""
    book = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False},
    )
    sheet = book.add_worksheet("Sheet1")
    title_format = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head_format = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 3, 14)
    sheet.set_column(4, 4, 21)
    sheet.set_column(5, 10, 16)
    sheet.merge_range(0, 0, 0, len(ROSTER_HEADER) - 1, title, title_format)
    for c, h in enumerate(ROSTER_HEADER):
        sheet.write_string(1, c, h, head_format)
    write_string, write_number = sheet.write_string, sheet.write_number
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if type(value) is str:
                if value:
                    write_string(r, c, value)
            else:
                write_number(r, c, value)  # an ID Excel turned into a number
    book.close()


def roster_jobs(out: Path, county: County, single: bool = True) -> list[tuple[Path, str, slice]]:
    """(path, title, persons) of every workbook: the single county file first (the
    longest job; left out when ``single`` is false or the persons do not fit one sheet),
    then one per township."""
    folder = out / "rosters"
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.xlsx"), out / SINGLE_FILE]:
        old.unlink(missing_ok=True)
    jobs = []
    if single and len(county.problem) + 2 <= EXCEL_ROWS:
        title = "丰都县脱贫人口和监测对象务工就业台账（全县，2024年6月）"
        jobs.append((out / SINGLE_FILE, title, slice(None)))
    start = 0
    for t, count in enumerate(county.town_counts.tolist()):
        town = TOWNSHIPS[t]
        path = folder / f"{t + 1:02d}-{town}-务工台账-2024年6月.xlsx"
        title = f"丰都县{town}脱贫人口和监测对象务工就业台账（2024年6月）"
        jobs.append((path, title, slice(start, start + count)))
        start += count
    return jobs


# ---------------------------------------------------------------- employment (.csv)


def make_employers(count: int, seed: int) -> pd.DataFrame:
    """``count`` invented employers: name, credit code, region."""
    pyrng = random.Random(seed + 1)
    rows = []
    regions = [("丰都县", "500230")] * 5 + [
        (r, c)
        for r, c in zip(
            (*CHONGQING, *ELSEWHERE),
            ("500112", "500102", "500105", "500107", "500101", "441900", "330212", "350211", "320506", "370112"),
            strict=True,
        )
    ]  # fmt: skip
    trades = (
        "食品",
        "建筑劳务",
        "服装",
        "物流",
        "电子科技",
        "农业开发",
        "机械制造",
        "物业服务",
        "养殖",
        "鞋业",
    )
    seen = set()
    while len(rows) < count:
        region, code = pyrng.choice(regions)
        short = region.removesuffix("县").removesuffix("区").removesuffix("市")[-2:]
        name = f"{short}{pyrng.choice(_SYLLABLES)}{pyrng.choice(_SYLLABLES)}{pyrng.choice(trades)}有限公司"
        if name in seen:
            continue
        seen.add(name)
        work_region = "重庆市丰都县" if region == "丰都县" else region
        rows.append((name, credit_code(pyrng, "91", code), work_region))
    return pd.DataFrame(rows, columns=["name", "code", "region"])


def write_employment(
    out: Path, county: County, seed: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """employment.csv for ~70% of the persons (one job each, 20% of them ended).

    Returns the employers, the employed persons' indices and their employer indices.
    """
    rng = np.random.default_rng(seed + 2)
    folder = out / "employment"
    folder.mkdir(parents=True, exist_ok=True)
    usable = np.flatnonzero(county.problem == "")  # each person once, with a good ID
    take = min(len(usable), round(len(county.problem) * 0.7))
    employed = np.sort(rng.choice(usable, size=take, replace=False))
    employers = make_employers(max(50, len(county.problem) // 40), seed)
    which = rng.integers(0, len(employers), size=take)
    start = np.datetime64("2015-01-01") + rng.integers(0, 3465, size=take)  # to mid-2024
    ended = rng.random(take) < 0.2
    end = start + rng.integers(30, 900, size=take)
    end_text = np.where(ended & (end <= np.datetime64(REFERENCE_DATE)), end.astype(str), "")
    frame = pd.DataFrame(
        {
            "身份证号码": county.id_number[employed],
            "姓名": county.name[employed],
            "用人单位名称": employers["name"].to_numpy()[which],
            "统一社会信用代码": employers["code"].to_numpy()[which],
            "就业开始日期": start.astype(str),
            "就业结束日期": end_text,
            "就业形式": np.where(rng.random(take) < 0.85, "全日制", "非全日制"),
            "就业地区": employers["region"].to_numpy()[which],
        }
    )
    frame.to_csv(folder / "employment.csv", index=False, encoding="utf-8")
    return employers, employed, which


# ---------------------------------------------------------------- insurance (.csv)


def months_between(first: int, last: int) -> list[int]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = m + 1 if m % 100 < 12 else (m // 100 + 1) * 100 + 1
    return out


def write_insurance(
    out: Path,
    county: County,
    employers: pd.DataFrame,
    employed: np.ndarray,
    which: np.ndarray,
    rows: int,
    seed: int,
) -> int:
    """Contributions, exactly ``rows`` rows, one CSV per month (2023-01..2024-06).

    Each insured person pays for a run of consecutive months and 1-3 insurance types;
    persons are drawn (again, if needed) from the employed until ``rows`` is reached.
    """
    rng = np.random.default_rng(seed + 3)
    folder = out / "insurance"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    months = np.array(months_between(FIRST_MONTH, LAST_MONTH))
    span = len(months)
    pools, total = [], 0
    while total < rows:  # one draw of every employed person, in random order, per round
        pick = rng.permutation(len(employed))
        first = rng.integers(0, span, size=len(pick))
        length = rng.integers(1, span - first + 1)
        types = rng.choice([1, 2, 3], p=[0.25, 0.25, 0.5], size=len(pick))
        per = length * types
        pools.append((pick, first, length, types, per))
        total += int(per.sum())
    pick, first, length, types, per = (np.concatenate(x) for x in zip(*pools, strict=True))
    cum = np.cumsum(per)
    keep = int(np.searchsorted(cum, rows)) + 1  # persons needed; the last one is cut short
    pick, first, length, types, per = (
        pick[:keep],
        first[:keep],
        length[:keep],
        types[:keep],
        per[:keep],
    )

    owner = np.repeat(np.arange(keep), per)[:rows]  # which drawn person each row is
    within = np.arange(rows) - np.r_[0, np.cumsum(per)[:-1]][owner]
    month_index = first[owner] + within // types[owner]
    type_index = within % types[owner]
    person = employed[pick[owner]]
    employer = which[pick[owner]]

    # amounts depend only on (base, type): format each pair once, then index
    steps = np.arange(350, 1200)  # base = step × 10 yuan
    step = rng.integers(0, len(steps), size=keep)[owner]
    table = np.array(
        [
            f"{b * 10},{b * 10 * er:.2f},{b * 10 * pr:.2f}"
            for b in steps.tolist()
            for _, er, pr in INSURANCE_TYPES
        ],
        dtype=object,
    )
    money = table[step * len(INSURANCE_TYPES) + type_index]
    type_names = np.array([t[0] for t in INSURANCE_TYPES], dtype=object)
    month_text = months.astype(str).astype(object)
    ids = county.id_number.astype(object)
    codes = employers["code"].to_numpy(dtype=object)
    order = np.argsort(months[month_index], kind="stable")
    bounds = [*np.searchsorted(months[month_index][order], months, side="left").tolist(), rows]
    header = ",".join(INSURANCE_HEADER)
    # one month at a time: the text lines of one month are in memory, never all of them
    # (17.5M rows would take several GB as Python strings)
    for k, month in enumerate(months.tolist()):
        at = order[bounds[k] : bounds[k + 1]]
        who = person[at]
        columns = (
            ids[who],
            county.name[who],
            codes[employer[at]],
            month_text[month_index[at]],
            type_names[type_index[at]],
            money[at],
        )
        path = folder / f"{month // 100}-{month % 100:02d}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(header + "\n")
            for start in range(0, len(at), CHUNK):
                part = [c[start : start + CHUNK].tolist() for c in columns]
                handle.write("\n".join(map(",".join, zip(*part, strict=True))) + "\n")
    return rows


# ---------------------------------------------------------------- main


def make_county(
    out: Path,
    persons: int,
    insurance_rows: int,
    seed: int,
    workers: int | None = None,
    single: bool = True,
) -> dict:
    """Write the whole month under ``out``; returns the manifest (also written)."""
    out.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    timings = {}
    t0 = time.perf_counter()
    county = make_persons(persons, seed)
    timings["persons"] = time.perf_counter() - t0

    # xlsxwriter is pure Python (~100k cells/s): the workbooks go to worker processes
    # while this process writes the CSVs.
    t0 = time.perf_counter()
    jobs = roster_jobs(out, county, single)
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        pending = []
        for path, title, who in jobs:
            if pool is None:
                write_roster(path, title, county.rows(who))
            else:
                pending.append(pool.submit(write_roster, path, title, county.rows(who)))
        timings["workbooks_submitted"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        employers, employed, which = write_employment(out, county, seed)
        timings["employment"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        written = write_insurance(out, county, employers, employed, which, insurance_rows, seed)
        timings["insurance"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        for job in pending:
            job.result()
        timings["workbooks_wait"] = time.perf_counter() - t0
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    planted = {code: int((county.problem == code).sum()) for code in PROBLEMS}
    manifest = {
        "persons": persons,
        "insurance_rows": insurance_rows,
        "seed": seed,
        "reference_date": REFERENCE_DATE,
        "roster_files": sum(path.parent.name == "rosters" for path, _, _ in jobs),
        "single_file": any(path.name == SINGLE_FILE for path, _, _ in jobs),
        "persons_per_township": dict(zip(TOWNSHIPS, county.town_counts.tolist(), strict=True)),
        "planted": planted,
        "employment_rows": len(employed),
        "employers": len(employers),
        "insurance_rows_written": written,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--insurance-rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--jobs", type=int, default=None, help="processes writing workbooks (default: CPUs)"
    )
    parser.add_argument(
        "--no-single",
        action="store_true",
        help=f"do not write {SINGLE_FILE} (never written above {EXCEL_ROWS - 2:,} persons)",
    )
    args = parser.parse_args(argv)
    if args.persons < 100 or args.insurance_rows < 1:
        parser.error("--persons must be at least 100 and --insurance-rows at least 1")
    t0 = time.perf_counter()
    manifest = make_county(
        args.dir, args.persons, args.insurance_rows, args.seed, args.jobs, not args.no_single
    )
    print(
        f"wrote {args.dir}: {manifest['persons']} persons in {manifest['roster_files']} rosters "
        f"{' (+ ' + SINGLE_FILE + ')' if manifest['single_file'] else ''}, {manifest['employment_rows']} employment rows, "
        f"{manifest['insurance_rows_written']} insurance rows; planted {manifest['planted']}; "
        f"{time.perf_counter() - t0:.1f}s {manifest['seconds']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
