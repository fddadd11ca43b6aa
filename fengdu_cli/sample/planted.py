"""What is planted on purpose, and the manifest that says where (``planted.json``).

Scenarios are hand-made people whose records put them in one reconcile or subsidy
situation (an ``edge_*`` one sits next to a rule and must *not* be flagged); problems are
defects written into roster cells, each in the township file whose format makes it
likely. Both end up as marks on roster rows; ``layouts`` turns the marks into ``Planted``
entries with their file, sheet, row and column, so tests can check that every one is
found. They are kept together because they are what the sample exists to show.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from fengdu_cli.dates import last_day, months_range
from fengdu_cli.idcard import check_digit, completed_years
from fengdu_cli.sample.codes import credit_code, make_id
from fengdu_cli.sample.world import (
    _ALL_TYPES,
    _COUNTY_REGION,
    _MONITOR_SPELLINGS,
    PENSION,
    ROSTER_TOWNSHIPS,
    Cell,
    Employer,
    Person,
    RosterRow,
    _new_household,
    _World,
)

# ---------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Planted:
    """One deliberately planted problem or scenario, with where it sits in the files.

    ``row`` is the 1-based row as Excel shows it (for CSV the line number, header line
    counted); ``column`` a canonical column name, the raw header for a column that has no
    canonical name, or '' for a whole row. ``value`` is the cell as written (numbers in
    digits), or for a whole-row scenario the ID on that row — so a test can read it back.
    """

    kind: str
    file: str
    sheet: str
    row: int
    column: str
    code: str
    note: str
    value: str = ""


@dataclass(frozen=True)
class SampleManifest:
    """What ``make_sample`` wrote: the month, every planted item, persons and files."""

    month: int
    planted: tuple[Planted, ...]
    people: int
    files: tuple[str, ...]


def manifest_json(manifest: SampleManifest) -> str:
    """The manifest as stable, readable JSON (what ``planted.json`` holds)."""
    data = {
        "month": manifest.month,
        "people": manifest.people,
        "files": list(manifest.files),
        "planted": [asdict(p) for p in manifest.planted],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def load_manifest(path: Path) -> SampleManifest:
    """Read a ``planted.json`` back into a SampleManifest."""
    data = json.loads(path.read_text(encoding="utf-8"))
    planted = tuple(Planted(**item) for item in data["planted"])
    return SampleManifest(data["month"], planted, data["people"], tuple(data["files"]))


# ---------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """A hand-made person: expected codes, roster status, and the records that make it so."""

    codes: tuple[str, ...]
    note: str
    status: str
    build: Callable[[_World, Person], None]
    category: str = "脱贫人口"
    typo: str = ""  # 'digit' or 'swap': the roster carries a mistyped ID


def _county(w: _World, count: int = 1) -> list[Employer]:
    """``count`` different in-county companies."""
    return w.rng.sample(w.county, count)


def _sc_insurance_stopped(w: _World, p: Person) -> None:
    """Still registered, but the employer paid up to m−1 only."""
    (e,) = _county(w)
    w.job(p, e, w.day(27, 1))
    w.pay(p, e, w.span(w.day(27, 1), w.mo(1)))
    w.works_at(p, e)


def _sc_job_ended(w: _World, p: Person) -> None:
    """A job ending on the 15th of m, paid through m."""
    (e,) = _county(w)
    w.job(p, e, w.day(37, 5), w.day(0, 15))
    w.pay(p, e, w.span(w.day(37, 5)))
    w.works_at(p, e)


def _sc_job_ends_last_day(w: _World, p: Person) -> None:
    """A job ending on the last day of m: still active at the end of m."""
    (e,) = _county(w)
    w.job(p, e, w.day(48, 1), w.day(0, 31))
    w.pay(p, e, w.span(w.day(48, 1)))
    w.works_at(p, e)


def _sc_short_tenure(w: _World, p: Person) -> None:
    """An old job ended at the end of m−2; a new one began on the 10th of m−1."""
    old, new = _county(w, 2)
    w.job(p, old, w.day(40, 1), w.day(2, 31))
    w.pay(p, old, w.span(w.day(40, 1), w.mo(2)))
    w.job(p, new, w.day(1, 10))
    w.pay(p, new, [w.mo(1), w.m])
    w.works_at(p, new)


def _sc_start_m_minus_2(w: _World, p: Person) -> None:
    """A job from the first day of m−2: exactly stable for 3 months."""
    (e,) = _county(w)
    w.job(p, e, w.day(2, 1))
    w.pay(p, e, [w.mo(2), w.mo(1), w.m])
    w.works_at(p, e)


def _sc_frequent_change(w: _World, p: Person) -> None:
    """Three employers started in m−10, m−5 and m−1."""
    first, second, third = _county(w, 3)
    w.job(p, first, w.day(10, 7), w.day(6, 31))
    w.pay(p, first, months_range(w.mo(10), w.mo(6)))
    w.job(p, second, w.day(5, 8), w.day(2, 31))
    w.pay(p, second, months_range(w.mo(5), w.mo(2)))
    w.job(p, third, w.day(1, 6))
    w.pay(p, third, [w.mo(1), w.m])
    w.works_at(p, third)


def _sc_no_record(w: _World, p: Person) -> None:
    """An old job that ended in m−9; nothing since."""
    (e,) = _county(w)
    w.job(p, e, w.day(40, 1), w.day(9, 31))
    w.pay(p, e, w.span(w.day(40, 1), w.mo(9)))


def _sc_nothing(w: _World, p: Person) -> None:
    """No record at all although the roster says working in the county."""
    p.place = f"丰都县{p.township}"


def _sc_idle_but_employed(w: _World, p: Person) -> None:
    """Roster says 未务工, yet a job active since m−8."""
    (e,) = _county(w)
    w.job(p, e, w.day(8, 9))
    w.pay(p, e, w.span(w.day(8, 9)))


def _sc_typo(w: _World, p: Person) -> None:
    """Registered and insured under the correct ID (the roster has a typo)."""
    (e,) = _county(w)
    w.job(p, e, w.day(20, 3))
    w.pay(p, e, w.span(w.day(20, 3)))
    w.works_at(p, e)


def _sc_hire_once(w: _World, p: Person) -> None:
    """Full-time in the county since m−26, insured every month."""
    (e,) = _county(w)
    w.job(p, e, w.day(26, 1))
    w.pay(p, e, w.span(w.day(26, 1)))
    w.works_at(p, e)


def _sc_eleven_months(w: _World, p: Person) -> None:
    """Insured m−10 … m only (11 months, one type)."""
    (e,) = _county(w)
    w.job(p, e, w.day(10, 1))
    w.pay(p, e, months_range(w.mo(10), w.m), (PENSION,))
    w.works_at(p, e)


def _sc_gap(w: _World, p: Person) -> None:
    """Insured 12 of the 13 months m−12 … m, with m−6 missing."""
    (e,) = _county(w)
    w.job(p, e, w.day(12, 3))
    w.pay(p, e, [m for m in months_range(w.mo(12), w.m) if m != w.mo(6)])
    w.works_at(p, e)


def _sc_three_types(w: _World, p: Person) -> None:
    """Three insurance types in each of 6 months (18 rows, 6 months)."""
    e = w.rng.choice([x for x in w.county if x.types == _ALL_TYPES])
    w.job(p, e, w.day(5, 1))
    w.pay(p, e, months_range(w.mo(5), w.m))
    w.works_at(p, e)


def _workshop_scenario(
    index: int, start: Callable[[_World], dt.date], pays: bool
) -> Callable[[_World, Person], None]:
    """A 非全日制 job at workshop ``index`` from ``start``; workshops rarely pay insurance."""

    def build(w: _World, p: Person) -> None:
        e = w.workshops[index]
        w.job(p, e, start(w), full_time=False)
        if pays:
            w.pay(p, e, w.span(start(w)))
        w.works_at(p, e)

    return build


def _away_scenario(
    region: str, start: Callable[[_World], dt.date], insured: bool = False
) -> Callable[[_World, Person], None]:
    """A full-time job in ``region`` (outside the county) from ``start``."""

    def build(w: _World, p: Person) -> None:
        e = w.employer_in(region)
        w.job(p, e, start(w))
        if insured:
            w.pay(p, e, w.span(start(w)))
        w.works_at(p, e)

    return build


def _business_scenario(
    kind: str, registered: Callable[[_World], dt.date], insured_months: list[int]
) -> Callable[[_World, Person], None]:
    """A business of ``p``; ``insured_months`` gives, per employee, how many months up to m."""

    def build(w: _World, p: Person) -> None:
        short = p.township.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        names = {
            "92": f"丰都县{short}{p.name[0]}氏农家乐",
            "93": f"丰都县{short}{p.name}种养殖专业合作社",
            "91": f"重庆{short}{p.name[0]}氏建材有限公司",
        }
        e = Employer(
            names[kind],
            credit_code(w.rng, kind, _COUNTY_REGION),
            "重庆市丰都县",
            p.township,
            _ALL_TYPES,
        )
        reg = registered(w)
        w.businesses.append((e, p, reg))
        w.pay(p, e, w.span(reg))
        for months in insured_months:
            worker = w.outsider()
            start = max(reg, w.day(months - 1, 1))
            w.job(worker, e, start)
            w.pay(worker, e, months_range(w.mo(months - 1), w.m))
        p.place = f"丰都县{p.township}"
        p.status = "自主创业"

    return build


def _age16(w: _World, p: Person) -> None:
    """Make ``p`` turn 16 on the last day of m."""
    end = last_day(w.m)
    born = end.replace(year=end.year - 16)
    w.used_ids.discard(p.id_number)
    p.born = born
    p.id_number = w.new_id(_COUNTY_REGION, born, p.male)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(("insurance_stopped",), "{m1}有单位缴费，{m0}没有；就业登记仍在", "县内务工", _sc_insurance_stopped),
    Scenario(("job_ended",), "就业于{m0}15日结束，月末无在职登记（{m0}仍有缴费）", "县内务工", _sc_job_ended),
    Scenario(("edge_job_ends_last_day",), "就业于{m0}最后一天结束：月末仍在职，不是 job_ended", "县内务工",
             _sc_job_ends_last_day, category="农村低收入人口"),
    Scenario(("short_tenure",), "旧工作{m2}末结束，新工作{m1}10日开始", "县内务工", _sc_short_tenure),
    Scenario(("edge_start_first_day_m_minus_2",), "就业开始于{m2}1日：正好稳定 3 个月，不是 short_tenure",
             "县内务工", _sc_start_m_minus_2),
    Scenario(("frequent_change", "short_tenure"), "12 个月内 3 个不同单位入职（{m10}、{m5}、{m1}）；现职不满 3 个月",
             "县内务工", _sc_frequent_change),
    Scenario(("no_record",), "有劳动能力、报未务工，{m0}无在职登记无缴费（旧工作{m9}结束）", "未务工", _sc_no_record),
    Scenario(("no_record", "status_mismatch"), "台账报县内务工，但无任何就业登记和缴费", "县内务工", _sc_nothing),
    Scenario(("status_mismatch",), "台账报未务工，但有在职的就业登记（{m8}起）", "未务工", _sc_idle_but_employed),
    Scenario(("possible_id_typo",), "台账身份证号一位数字录错；就业登记有正确号码、同名", "县内务工", _sc_typo, typo="digit"),
    Scenario(("possible_id_typo",), "台账身份证号相邻两位颠倒；就业登记有正确号码、同名", "县内务工", _sc_typo, typo="swap"),
    Scenario(("hire_once",), "县内全日制就业，同一单位连续缴费 12 个月以上", "县内务工", _sc_hire_once),
    Scenario(("edge_11_insured_months",), "同一单位只连续缴费 11 个月（{m10}至{m0}）", "县内务工", _sc_eleven_months),
    Scenario(("edge_gap_in_12_months",), "13 个月内缴费 12 个月，{m6}断缴：连续不足 12 个月", "县内务工", _sc_gap),
    Scenario(("two_types_one_month",), "每月 3 个险种（18 行），只算 6 个参保月", "县内务工", _sc_three_types),
    Scenario(("workshop_monthly",), "帮扶车间就业 1 年以上（非全日制，工伤保险）", "就业帮扶车间",
             _workshop_scenario(0, lambda w: w.day(16, 1), pays=True)),
    Scenario(("workshop_monthly",), "监测对象（边缘易致贫户）在帮扶车间就业 10 个月", "就业帮扶车间",
             _workshop_scenario(1, lambda w: w.day(10, 15), pays=False), category="边缘易致贫户"),
    Scenario(("edge_workshop_short", "short_tenure"), "{m1}20日进帮扶车间，不满 3 个月", "就业帮扶车间",
             _workshop_scenario(2, lambda w: w.day(1, 20), pays=False)),
    Scenario(("travel", "job_seeking_once"), "重庆市渝北区务工（市内县外）：交通补助 50 元", "县外市内务工",
             _away_scenario("重庆市渝北区", lambda w: w.day(9, 1), insured=True)),
    Scenario(("travel", "job_seeking_once"), "广东省东莞市务工（市外）：交通补助 200 元", "省外务工",
             _away_scenario("广东省东莞市", lambda w: w.day(5, 8))),
    Scenario(("edge_age_16_last_day", "travel", "job_seeking_once"), "{m0}最后一天满 16 岁，浙江省宁波市务工",
             "省外务工", _away_scenario("浙江省宁波市", lambda w: w.day(3, 4))),
    Scenario(("shandong_stable", "job_seeking_once", "travel"), "山东省济南市务工，已稳定 3 个月以上", "省外务工",
             _away_scenario("山东省济南市", lambda w: w.day(4, 19))),
    Scenario(("edge_shandong_short", "travel", "short_tenure"), "{m1}1日起在山东省济南市务工，不满 3 个月",
             "省外务工", _away_scenario("山东省济南市", lambda w: w.day(1, 1))),
    Scenario(("startup_household",), "个体工商户{m6}1日登记，3 名雇员（不含本人）参保 7 个月", "自主创业",
             _business_scenario("92", lambda w: w.day(6, 1), [7, 7, 7])),
    Scenario(("edge_business_too_recent",), "{m4}15日才登记（晚于{m5}1日），3 名雇员参保 5 个月",
             "自主创业", _business_scenario("91", lambda w: w.day(4, 15), [5, 5, 5]), category="边缘易致贫户"),
    Scenario(("edge_business_2_employees",), "登记满 1 年，但只有 2 名雇员参保满 6 个月（第 3 名只 4 个月，本人不算）",
             "自主创业", _business_scenario("93", lambda w: w.day(12, 1), [13, 13, 4])),
)  # fmt: skip


def _category_family(category: str) -> str:
    """The category a written value belongs to (the 监测对象 sub-kinds → 监测对象)."""
    return "监测对象" if category in _MONITOR_SPELLINGS else category


def _pick(w: _World, township: str, test: Callable[[Person], bool]) -> Person | None:
    """A random not-yet-used roster person of ``township`` passing ``test``, marked used."""
    found = [p for p in w.people if p.township == township and not p.busy and test(p)]
    if not found:
        return None
    p = w.rng.choice(found)
    p.busy = True
    return p


def _take(w: _World, township: str, test: Callable[[Person], bool]) -> Person:
    """``_pick`` where the made-up world always has such a person."""
    p = _pick(w, township, test)
    if p is None:
        raise RuntimeError(f"no roster person left to plant in {township}")  # pragma: no cover
    return p


def _scenario_person(w: _World, township: str, sc: Scenario) -> Person:
    """A household member fit for ``sc`` (a new household when there is none)."""
    end = last_day(w.m)
    family = _category_family(sc.category)
    if "edge_age_16_last_day" in sc.codes:
        heads = {p.household_id: p.born for p in w.people if p.relation == "户主"}
        test: Callable[[Person], bool] = lambda p: (  # noqa: E731
            p.relation in ("之孙子", "之孙女")
            or (p.relation in ("之子", "之女") and heads[p.household_id].year >= 1970)
        )
    else:
        test = lambda p: 22 <= completed_years(p.born, end) <= 55  # noqa: E731
    p = _pick(w, township, lambda p: _category_family(p.category) == family and test(p))
    if p is None:
        p = _new_household(w, township, w.rng.randrange(4), 1)[0]
        p.busy = True
    if "edge_age_16_last_day" in sc.codes:
        _age16(w, p)
    p.category, p.labor, p.status = sc.category, "普通劳动力", sc.status
    p.place = p.employer_name = ""
    return p


def _typo_of(id_number: str, how: str, rng: random.Random) -> str:
    """The ID with one sequence digit changed, or two neighbouring differing digits swapped."""
    if how == "digit":
        pos = 14 + rng.randrange(2)
        digit = rng.choice([d for d in "0123456789" if d != id_number[pos]])
        return id_number[:pos] + digit + id_number[pos + 1 :]
    pos = next(i for i in (14, 13, 12, 15, 8, 9) if id_number[i] != id_number[i + 1])
    return id_number[:pos] + id_number[pos + 1] + id_number[pos] + id_number[pos + 2 :]


def _month_labels(w: _World) -> dict[str, str]:
    """{m0}: '2024年6月', {m1}: '2024年5月', … for the scenario notes."""
    return {f"m{k}": f"{w.mo(k) // 100}年{w.mo(k) % 100}月" for k in range(13)}


def _place_scenarios(w: _World) -> None:
    """Put every hand-made person on a roster, round robin over the townships."""
    labels = _month_labels(w)
    for index, sc in enumerate(SCENARIOS):
        township = ROSTER_TOWNSHIPS[index % len(ROSTER_TOWNSHIPS)]
        p = _scenario_person(w, township, sc)
        sc.build(w, p)
        row = p.row
        assert row is not None
        note = sc.note.format(**labels)
        if sc.typo:
            row.cells["id_number"] = _typo_of(p.id_number, sc.typo, w.rng)
            row.marks.append(("roster", "id_number", "id_checksum", f"身份证号录错（{note}）"))
        for code in sc.codes:
            row.marks.append(("scenario", "", code, note))


def _is_scenario(p: Person) -> bool:
    """Is ``p`` one of the hand-made people (whose records are made by their scenario)?"""
    return p.row is not None and any(kind == "scenario" for kind, *_ in p.row.marks)


# ---------------------------------------------------------------------------- planted problems


def _fullwidth(text: str) -> str:
    """ASCII digits and letters → their full-width forms, as a Chinese IME types them."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def _excel_truncated(id_number: str) -> int:
    """What Excel keeps of an ID typed into a General cell: 15 digits, then zeros."""
    return int(id_number[:15] + "000")


def _mark(p: Person, column: str, code: str, note: str, value: Cell = None) -> None:
    """Write ``value`` (when given) in ``column`` of p's row and record the problem there."""
    assert p.row is not None
    if value is not None:
        p.row.cells[column] = value
    p.row.marks.append(("roster", column, code, note))


def _duplicate(w: _World, p: Person, township: str, group: int, note: str) -> None:
    """List ``p`` once more at the end of a township file (or of one of its sheets)."""
    row = RosterRow(p, dict(p.row.cells) if p.row else {})
    row.marks.append(("roster", "id_number", "duplicate_person", note))
    w.tail_rows.setdefault((township, group), []).append(row)


def _reissue(
    w: _World,
    p: Person,
    born: dt.date | None = None,
    wanted: Callable[[str], bool] = lambda _id: True,
) -> None:
    """Give ``p`` a new valid ID (optionally a new birth date) that passes ``wanted``."""
    w.used_ids.discard(p.id_number)
    p.born = born or p.born
    for _ in range(10000):
        candidate = w.new_id(p.id_number[:6], p.born, p.male)
        if wanted(candidate):
            p.id_number = candidate
            return
        w.used_ids.discard(candidate)
    raise RuntimeError("no ID found")  # pragma: no cover - 1 in 11 IDs pass each test


def _reissue_ending_000(w: _World, p: Person) -> None:
    """Give ``p`` (a woman: sequence digit 0 is even) a valid ID ending in 000.

    Such an ID survives being typed as a number, yet is still id_precision_lost. About
    one birth date in ten has one, so nearby birth days are tried in turn.
    """
    w.used_ids.discard(p.id_number)
    for shift in range(400):
        born = p.born + dt.timedelta(days=shift)
        for first in range(10):
            candidate = make_id(p.id_number[:6], born, first * 100)
            if candidate.endswith("000") and candidate not in w.used_ids:
                p.born, p.id_number = born, candidate
                w.used_ids.add(candidate)
                return
    raise RuntimeError("no ID ending in 000")  # pragma: no cover


def _adult(w: _World) -> Callable[[Person], bool]:
    end = last_day(w.m)
    return lambda p: 20 <= completed_years(p.born, end) <= 60


def _plant_huwei(w: _World) -> None:
    """虎威镇: partly full-width ID, unknown township, missing ID, duplicate in the sheet."""
    t, adult = "虎威镇", _adult(w)
    p = _take(w, t, adult)
    _mark(
        p,
        "id_number",
        "ok_normalised",
        "身份证号后 4 位为全角数字（规范化后有效）",
        p.id_number[:14] + _fullwidth(p.id_number[14:]),
    )
    p = _take(w, t, adult)
    _mark(p, "township", "unknown_township", "乡镇填写为不存在的“丰都镇”", "丰都镇")
    p = _take(w, t, adult)
    _mark(p, "id_number", "missing_required", "有姓名、无身份证号", "")
    p = _take(w, t, adult)
    _duplicate(w, p, t, 0, "同一表内重复登记（后一行）")


def _plant_sanhe(w: _World) -> Person:
    """三合街道: wrong check digit, 30 February, bad category, 9-digit phone."""
    t, adult = "三合街道", _adult(w)
    p = _take(w, t, adult)
    wrong = next(d for d in "0123456789X" if d != p.id_number[17])
    _mark(p, "id_number", "id_checksum", "校验位错误", p.id_number[:17] + wrong)
    p = _take(w, t, lambda q: 1985 <= q.born.year <= 1995)
    _reissue(w, p, dt.date(1990, 2, 3))
    bad = p.id_number[:6] + "19900230" + p.id_number[14:17]
    _mark(
        p,
        "id_number",
        "id_birthdate",
        "出生日期 19900230 不存在（校验位正确）",
        bad + check_digit(bad),
    )
    p = _take(w, t, adult)
    _mark(p, "category", "bad_category", "人员类别“贫困户2”不在取值范围", "贫困户2")
    p = _take(w, t, adult)
    _mark(p, "phone", "bad_number", "联系电话只有 9 位", p.phone[:9])
    p.phone = p.phone[:9]
    return _take(w, t, adult)  # listed again by 社坛镇


def _plant_longhe(w: _World) -> None:
    """龙河镇: lowercase x, a 17-digit ID, duplicate across sheets, bad 劳动技能."""
    t, adult = "龙河镇", _adult(w)
    p = _take(w, t, lambda q: adult(q) and q.group == 0)
    _reissue(w, p, wanted=lambda i: i.endswith("X"))
    _mark(p, "id_number", "ok_normalised", "校验位为小写 x（规范化后有效）", p.id_number[:17] + "x")
    p = _take(w, t, adult)
    _mark(p, "id_number", "id_format", "身份证号只有 17 位（漏了校验位）", p.id_number[:17])
    p = _take(w, t, lambda q: adult(q) and q.group == 0)
    _duplicate(w, p, t, 1, "“一组”已登记，“二组”又登记一次（后一行）")
    p = _take(w, t, adult)
    _mark(p, "labor_capacity", "bad_category", "劳动技能“强劳动力”不在取值范围", "强劳动力")


def _plant_shetan(w: _World, from_sanhe: Person) -> None:
    """社坛镇: full-width ID, 15-digit ID, cross-township duplicate, bad 务工状态."""
    t, adult = "社坛镇", _adult(w)
    p = _take(w, t, adult)
    _mark(
        p,
        "id_number",
        "ok_normalised",
        "身份证号全部为全角数字（规范化后有效）",
        _fullwidth(p.id_number),
    )
    p = _take(w, t, lambda q: q.born.year < 1980 and q.id_number.startswith(_COUNTY_REGION))
    _mark(
        p,
        "id_number",
        "id_15_digit",
        "15 位旧身份证号（升位后有效）",
        p.id_number[:6] + p.id_number[8:17],
    )
    p = _take(w, t, adult)
    _mark(p, "work_status", "bad_category", "务工状态“打工”不在取值范围", "打工")
    _duplicate(w, from_sanhe, t, 0, "三合街道已登记的人，社坛镇又登记一次（后一个文件）")


def _plant_nantianhu(w: _World) -> None:
    """南天湖镇: lowercase x, spaces inside IDs, a row without a name."""
    t, adult = "南天湖镇", _adult(w)
    p = _take(w, t, adult)
    _reissue(w, p, wanted=lambda i: i.endswith("X"))
    _mark(p, "id_number", "ok_normalised", "校验位为小写 x（规范化后有效）", p.id_number[:17] + "x")
    p = _take(w, t, adult)
    i = p.id_number
    _mark(
        p,
        "id_number",
        "ok_normalised",
        "身份证号中间有空格（规范化后有效）",
        f"{i[:6]} {i[6:14]} {i[14:]}",
    )
    p = _take(w, t, adult)
    i = p.id_number
    _mark(
        p,
        "id_number",
        "ok_normalised",
        "身份证号前后和中间有空格（规范化后有效）",
        f" {i[:10]} {i[10:]}  ",
    )
    p = _take(w, t, adult)
    _mark(p, "name", "missing_required", "有身份证号、无姓名", "")


def _plant_sanjian(w: _World) -> None:
    """三建乡: IDs typed as numbers (one of them even passes the check)."""
    t, adult = "三建乡", _adult(w)
    for note in (
        "身份证号为数值单元格，Excel 只保留 15 位有效数字",
        "身份证号为数值单元格（后三位变成 000）",
    ):
        p = _take(w, t, adult)
        _mark(p, "id_number", "id_precision_lost", note, _excel_truncated(p.id_number))
    p = _take(w, t, lambda q: adult(q) and not q.male and q.id_number.startswith(_COUNTY_REGION))
    _reissue_ending_000(w, p)
    _mark(
        p,
        "id_number",
        "id_precision_lost",
        "数值单元格；真号码恰好以 000 结尾且能通过校验，仍算精度丢失",
        int(p.id_number),
    )


def _plant_problems(w: _World) -> None:
    """Plant the §3 problems, each in the township file whose format makes it likely."""
    _plant_huwei(w)
    from_sanhe = _plant_sanhe(w)
    _plant_longhe(w)
    _plant_shetan(w, from_sanhe)
    _plant_nantianhu(w)
    _plant_sanjian(w)
