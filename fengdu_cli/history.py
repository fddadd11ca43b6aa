"""``fengdu ledger import``: payments made before the tool, so that none is paid twice.

The county paid these subsidies by hand since 2021-09.  Its own 花名册 (or any list in
the shape our reader understands) are read as the kind ``payments``; each row becomes a
ledger entry keyed exactly as the rule keys its own payments (person, person|year,
person|month, household; an organisation's credit code for the programs that pay one), so
once-ever, once-a-year and month caps count it.

Nothing is guessed.  A row is placed only when its program (a column, ``--rule`` or the
list's title), whom it paid (a resident ID that passes every check; for a program paid to
an organisation — :data:`ORGANISATION_RULES` — its unified social credit code, check
character included) and its month (a column, the payment date or the title) are known and its amount is a positive number of
fen; an amount that is not the policy's value in force then is held back unless the
clerk accepts it.  Every row that cannot be placed is reported with its file, sheet and
row.  A dry run records nothing; the same file is never imported twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import cast

import pandas as pd

from fengdu_cli import dates, idcard, store
from fengdu_cli.errors import InputError, UsageError
from fengdu_cli.idcard import shown_name
from fengdu_cli.io.columns import display_name
from fengdu_cli.io.columns_toml import ColumnsConfig
from fengdu_cli.io.shapes import SHAPES
from fengdu_cli.messages import Said, said
from fengdu_cli.messages.problems import ProblemSaid
from fengdu_cli.money import to_fen
from fengdu_cli.normalise import credit_check_ok, is_credit_code
from fengdu_cli.policy import AMOUNT_KEYS, RULE_CODES, Policy
from fengdu_cli.rules import IMPLEMENTED
from fengdu_cli.rules.base import HistoryKeyError, key_suffix, period_text
from fengdu_cli.store import ledger
from fengdu_cli.validate import check_paths

# Words a list uses for each program (the policy's own name is always one of them).  A
# word inside a longer one that matched is not counted (困难家庭学生求职创业补贴 is not
# 一次性求职创业补贴); two programs named at once is no program.  Bare words that other
# programs also use (稳岗补贴 — 失业保险稳岗返还 —, 创业补助 — 返乡创业 —) are not here.
PROGRAM_WORDS: dict[str, tuple[str, ...]] = {
    "hire_once": ("一次性吸纳就业补贴", "吸纳就业补贴", "吸纳脱贫人口就业补贴"),
    "workshop_monthly": ("就业帮扶车间带动就业奖补", "带动就业示范奖补", "帮扶车间奖补", "车间奖补",
                         "扶贫车间奖补"),
    "work_training": ("以工代训补贴", "以工代训"),
    "startup_household": ("一次性创业补助", "一次性创业补贴"),
    "travel": ("跨区域交通补助", "跨区域交通补贴", "交通补助", "交通补贴"),
    "job_seeking_once": ("一次性求职创业补贴", "求职创业补贴"),
    "shandong_stable": ("鲁渝劳务协作稳岗补贴", "鲁渝协作稳岗补贴", "鲁渝稳岗补贴"),
    "insurance_subsidy": ("社会保险补贴", "社保补贴"),
    "loan_interest": ("创业担保贷款贴息", "创业担保贷款财政贴息", "贷款贴息", "担保贷款贴息"),
    "public_post": ("公益性岗位补贴", "公益岗位补贴"),
    "yulu": ("雨露计划",),
    "job_intro": ("职业介绍补贴", "职介补贴", "免费职业介绍补贴"),
    "base_award": ("就业帮扶基地奖补", "帮扶基地奖补", "就业帮扶基地奖励"),
    "student_job_seeking": ("困难家庭学生求职创业补贴", "学生求职创业补贴", "毕业生求职创业补贴"),
    "incubator_award": ("创业孵化基地奖补", "孵化基地奖补", "创业园奖补"),
    "recruit_award": ("市重点电子企业招聘补贴", "重点电子企业招聘补贴", "电子企业招聘补贴", "招聘补贴"),
    "service_market_award": ("就业服务超市奖补", "服务超市奖补"),
    "training": ("培训补贴及生活费", "职业培训补贴", "培训补贴", "培训生活费补贴", "创业培训补贴",
                 "职业技能培训补贴"),
    "shandong_job_seeking": ("赴山东一次性求职创业补贴", "赴鲁一次性求职创业补贴"),
    "shandong_work_training": ("鲁渝协作以工代训补贴", "鲁渝以工代训补贴", "鲁渝协作以工代训"),
    "shandong_travel": ("鲁渝协作一次性交通生活补助", "一次性交通生活补助", "交通生活补助"),
}  # fmt: skip
# Programs whose lines are for an organisation, which a past list names by its unified social
# credit code (统一社会信用代码) and no person: "only" — always an organisation (the awards to
# a base, an incubator, a service market); "also" — a person by the resident ID, else an
# organisation (a 小微企业's 创业担保贷款).  Each rule's ``history_key`` keys such a row from
# the code (``payee_id`` of the row it is given; ``person`` is then '') exactly as the rule
# keys its own lines.
ORGANISATION_RULES: dict[str, str] = {
    "base_award": "only",
    "incubator_award": "only",
    "service_market_award": "only",
    "loan_interest": "also",
}
PROBLEM_CODES = (
    "unknown_program", "no_person", "bad_id", "no_month", "bad_amount", "amount_mismatch",
    "duplicate", "already_recorded", "already_imported", "rejected", "bad_month", "no_item",
)  # fmt: skip
ENTRY_COLUMNS = [*ledger.PAYMENT_COLUMNS, "month", "source"]
PROBLEM_COLUMNS = ["file", "sheet", "row", "code", "message"]
# where each entry came from (dropped before it is recorded)
WHERE_COLUMNS = ["_file", "_sheet", "_row", "_sha"]
LARGEST_FEN = 100_000_000  # 1,000,000 yuan: no single payment of these programs comes near it
_MONTH_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
# a month as our own file names write it (payments-2024-06.csv), not a day (2024-06-30)
_MONTH_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})-(0[1-9]|1[0-2])(?![\d-])")


@dataclass(frozen=True)
class ImportPlan:
    """What an import would record, and every row it cannot place (nothing is recorded yet)."""

    files: dict[str, str]  # path → sha256
    entries: pd.DataFrame  # ENTRY_COLUMNS + amount_ok: the rows that can be recorded
    problems: pd.DataFrame  # PROBLEM_COLUMNS: rows not recorded, and why
    rows_read: int = 0
    accept_amounts: bool = False
    batch_id: str | None = None  # set once committed
    db_rows: dict[str, int] = field(default_factory=dict)

    @property
    def to_record(self) -> pd.DataFrame:
        """The entries a commit records: amounts that differ from the policy only when
        accepted."""
        if self.accept_amounts or not len(self.entries):
            return self.entries
        return self.entries[self.entries["amount_ok"]]

    def by_rule_and_month(self) -> pd.DataFrame:
        """Per rule and month: lines and amount (fen) that are (or would be) recorded."""
        rows = self.to_record
        if not len(rows):
            return pd.DataFrame(columns=["rule", "month", "lines", "amount_fen"])
        grouped = rows.groupby(["rule", "month"], sort=True)["amount_fen"].agg(["size", "sum"])
        return grouped.rename(columns={"size": "lines", "sum": "amount_fen"}).reset_index()

    def problem_counts(self) -> dict[str, int]:
        counts = self.problems["code"].value_counts()
        return {str(k): int(v) for k, v in counts.items()}

    def problem_list(self, lang: str = "zh") -> list[dict]:
        """The rows not recorded, each with its reason in ``lang``."""
        return [{**p, "message": p["message"].text(lang)} for p in self.problems.to_dict("records")]

    def summary(self, lang: str = "zh") -> dict:
        """The JSON of ``fengdu ledger import`` (reasons in ``lang``)."""
        table = self.by_rule_and_month()
        return {
            "files": {shown_name(f): sha for f, sha in self.files.items()},
            "rows_read": self.rows_read,
            "entries": len(self.to_record),
            "amount": int(self.to_record["amount_fen"].sum()) / 100 if len(self.to_record) else 0,
            "by_rule_month": [
                {
                    "rule": rule,
                    "month": dates.month_text(int(month)),
                    "lines": int(lines),
                    "amount": int(amount_fen) / 100,
                }
                for rule, month, lines, amount_fen in zip(
                    table["rule"], table["month"], table["lines"], table["amount_fen"], strict=True
                )
            ],
            "problem_counts": self.problem_counts(),
            "problems": self.problem_list(lang),
            "committed": self.batch_id is not None,
            "batch_id": self.batch_id,
        }


def programs_named(value: object, policy: Policy) -> set[str]:
    """The rule codes a text names: a code, the policy's name, or a usual wording — the
    longest wording wherever two overlap."""
    if not isinstance(value, str):
        return set()
    key = "".join(value.split())
    if key in RULE_CODES:
        return {key}
    found = [
        (start, start + len(word), code)
        for code in RULE_CODES
        for word in {policy.rule(code).name, *PROGRAM_WORDS.get(code, ())}
        if word
        for start in _starts(key, word)
    ]
    return {
        code
        for start, end, code in found
        if not any(s <= start and end <= e and e - s > end - start for s, e, _ in found)
    }


def _starts(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def program_of(value: object, policy: Policy) -> str | None:
    """The one rule a text names, or None (none, or more than one)."""
    named = programs_named(value, policy)
    return next(iter(named)) if len(named) == 1 else None


def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _fen(raw: object) -> int | None:
    """A positive amount in fen from a cell (6000, 6000.0, '6,000.00', '6000元'), else None
    (also for an amount no payment of these programs comes near: an ID typed there)."""
    if raw is None or isinstance(raw, bool):
        return None
    typed = repr(raw) if isinstance(raw, float) else str(raw)
    typed = typed.strip().replace(",", "").replace("，", "").removesuffix("元")
    try:
        fen = to_fen(Decimal(typed))
    except (InvalidOperation, ValueError, TypeError, OverflowError):
        return None
    return fen if 0 < fen <= LARGEST_FEN else None


# a title naming several months (2024年1月至3月, 2023年12月-2024年2月, 第一季度, 上半年):
# no month of its own, and a year only when the months lie in one
_MONTH_RANGE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月?\s*(?:至|到|—|–|-|~|～)\s*"
    r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月"
)
_SEVERAL_MONTHS = re.compile(r"季度|上半年|下半年|全年|\d{1,2}\s*[-—~～至到]\s*\d{1,2}\s*月")


def _title_month(title: str) -> tuple[int | None, int | None]:
    """(month, year) a list's title names; a title naming several months gives no month."""
    if found := _MONTH_RANGE.search(title):
        first, last = found[1], found[3] or found[1]
        return None, (int(first) if first == last else None)
    several = bool(_SEVERAL_MONTHS.search(title))
    if not several and (found := _MONTH_IN_TEXT.search(title)) and 1 <= int(found[2]) <= 12:
        return int(found[1]) * 100 + int(found[2]), int(found[1])
    if not several and (found := _MONTH_IN_NAME.search(title)):  # payments-2024-06.csv
        return int(found[1]) * 100 + int(found[2]), int(found[1])
    if found := _YEAR_IN_TEXT.search(title):
        return None, int(found[1])
    return None, None


def _school_year_period(row: dict) -> dict:
    """A 发放期间 that names a school year ('2023-2024学年第二学期', as our own lists write a
    雨露计划 line) says what was paid for, not the month: it is read as the row's school year
    (when the row has none), and the month comes from the title or the payment date."""
    period = row.get("_raw_period", row.get("period"))
    if not isinstance(period, str) or "学年" not in period:
        return row
    if dates.is_blank(row.get("_raw_school_year", row.get("school_year"))):
        row = {**row, "school_year": period, "_raw_school_year": period}
    return {**row, "period": None, "_raw_period": None}


def _month_of(row: dict, title: str) -> tuple[int | None, int | None, str]:
    """(month YYYYMM, year, what was typed when it cannot be read) of a row: its period
    column; else the month its list's title names (what the list paid for — the bank may
    pay it the month after); else its payment date, when the title names no other year;
    else the title's year.  A period that is filled in but not understood ('2024年第一季度',
    '2024年1-3月') is never replaced by the title's."""
    titled = _title_month(title)
    paid = row.get("paid_date")
    paid_month = (
        paid.year * 100 + paid.month
        if isinstance(paid, pd.Timestamp | dt.date) and not pd.isna(paid)
        else None
    )
    period = row.get("_raw_period", row.get("period"))
    if dates.is_blank(period):
        if titled[0] is not None:
            return titled[0], titled[1], ""
        if paid_month and titled[1] in (None, paid_month // 100):
            return paid_month, paid_month // 100, ""
        return None, titled[1], ""
    if isinstance(period, float) and period.is_integer():
        period = int(period)
    typed = "".join(str(period).split()).removesuffix("份")  # 2024年3月份
    month = dates.parse_period(typed if isinstance(period, str) else period)
    if month is not None and 190001 <= month <= 209912:
        return month, month // 100, ""
    year = typed.removesuffix("年度").removesuffix("年")
    if not re.fullmatch(r"(19|20)\d{2}", year):
        return None, None, str(period)
    # a year: its month from the title or the payment date when they name that year
    same = [m for m in (titled[0], paid_month) if m and m // 100 == int(year)]
    return (same[0] if same else None), int(year), ""


def _resident(row: dict, on: dt.date, household: bool = False) -> tuple[str, Said | None]:
    """(the resident ID the payment was for, or '' — and why none, when a cell tried to be
    one): a household's owner (户主身份证号) first for a household's subsidy, else the
    person's."""
    problem: Said | None = None
    order = ("person_id", "id_number", "head_id_number")
    for column in ("head_id_number", *order[:2]) if household else order:
        raw = row.get(column)
        if dates.is_blank(raw) or (isinstance(raw, str) and SHAPES["credit_code"](raw)):
            continue
        check = idcard.classify(raw, on)
        if check.code in (None, "id_15_digit", "id_region"):
            return check.id_number, None
        problem = said(check.code, length=len(check.id_number), birth=check.id_number[6:14],
                       value=check.id_number, region=check.id_number[:6])  # fmt: skip
    return "", problem


def _organisation(row: dict) -> tuple[str, Said | None]:
    """(the unified social credit code of the organisation a row paid, or '' — and why none,
    when a cell tried to be one): the payee's code column, else a code typed in the ID
    column.  A code of the wrong shape, or whose check character does not match, is refused:
    a mistyped code would record the payment for nobody the rule pays."""
    for column in ("payee_id", "id_number"):
        raw = row.get(column)
        if dates.is_blank(raw):
            continue
        typed = "".join(unicodedata.normalize("NFKC", str(raw)).split()).upper()
        if is_credit_code(typed):
            if credit_check_ok(typed):
                return typed, None
            return "", said("import_credit_check", value=typed)
        if column == "payee_id":  # the code column holds no code (an ID in the ID column is
            # a person's: not whom these programs pay, so not a code mistyped)
            return "", said("import_credit_format", value=idcard.mask_in_text(typed))
    return "", None


def _credit(row: dict) -> str:
    for column in ("payee_id", "id_number"):
        raw = row.get(column)
        if isinstance(raw, str) and SHAPES["credit_code"](raw):
            return "".join(raw.split()).upper()
    return ""


def _policy_amounts(policy: Policy, code: str, day: dt.date) -> tuple[set[int], int | None]:
    """The fixed amounts (fen) of a rule in force on ``day``, and its ceiling if it has one."""
    period = policy.rule(code).values_for(day)
    return _amounts(period.values) if period is not None else (set(), None)


def _amounts(values: Mapping[str, object]) -> tuple[set[int], int | None]:
    # amounts are Decimal once loaded (and to_fen refuses anything that is not an amount)
    amounts = cast("Mapping[str, Decimal]", values)
    fixed = {to_fen(v) for k, v in amounts.items() if k in AMOUNT_KEYS and k != "amount_max"}
    ceiling = amounts.get("amount_max")
    return fixed, (to_fen(ceiling) if ceiling is not None else None)


# Rules whose line adds a computed part to the policy's amount, and the most that part can
# plausibly be (fen): public_post's line is the post subsidy plus the 社保补贴 of the month
# (养老/医疗/失业 contributions: about 36% of the base for both parts together, under 2000
# yuan a month at the bases a public post is insured at).  A past line up to the post
# standard plus this is what was paid; above it, the import says so.
COMPUTED_PART_FEN: dict[str, int] = {"public_post": 200_000}


# A rule whose line adds a part computed from the row with no plausible bound (training: the
# course amount plus the living allowance × days attended) tells the import which amounts
# fit a period: its module's ``history_amount_fits(fen, values) -> bool`` (``values``: the
# period's raw values) and ``history_amount_allowed(values) -> Said`` (the words of the
# mismatch).  Such a rule has no fixed ceiling; a line that does not fit is an
# amount_mismatch (recorded only with --accept-amounts), never silently.


AmountFits = Callable[[int, Mapping[str, object]], bool]
AmountWords = Callable[[Mapping[str, object]], Said]


def _fits_hook(code: str) -> tuple[AmountFits, AmountWords | None] | None:
    """The rule's ``history_amount_fits`` and ``history_amount_allowed``, if it has them."""
    module = IMPLEMENTED.get(code)
    fits = getattr(module, "history_amount_fits", None)
    return (fits, getattr(module, "history_amount_allowed", None)) if fits is not None else None


def _highest(policy: Policy, code: str) -> int | None:
    """The most the rule ever paid one line (fen), in any period — with its computed part
    (COMPUTED_PART_FEN) —; None if it never set one, or says itself which amounts fit
    (``history_amount_fits``)."""
    if _fits_hook(code) is not None:
        return None
    amounts = [
        max([*fixed, *([ceiling] if ceiling is not None else [])], default=0)
        for fixed, ceiling in (_amounts(p.values) for p in policy.rule(code).periods)
    ]
    highest = max(amounts) or None if amounts else None
    return highest + COMPUTED_PART_FEN.get(code, 0) if highest is not None else None


def plan_import(
    paths: Iterable[Path | str],
    policy: Policy,
    db: str | Path,
    *,
    rule: str | None = None,
    accept_amounts: bool = False,
    columns: ColumnsConfig | None = None,
    on: dt.date | None = None,
) -> ImportPlan:
    """Read past payment lists and say what an import would record (nothing is recorded)."""
    if rule is not None and rule not in RULE_CODES:
        raise UsageError("unknown_rule", rule=rule, choices=" / ".join(RULE_CODES))
    on = on or dt.date.today()
    checked = check_paths(list(paths), "payments", on=on, columns=columns, duplicates=False)
    if checked.unreadable:
        raise checked.unreadable[0].error()
    doubt = next((g for g in checked.gaps if g.cause == "ambiguous"), None)
    if doubt is not None:  # whoever the list paid must not be a guess between two columns
        raise InputError(
            "import_ambiguous_column",
            path=shown_name(doubt.file) + (f"（{doubt.sheet}）" if doubt.sheet else ""),
            column=display_name("payments", doubt.column), headers="”“".join(doubt.headers),
        )  # fmt: skip
    files = {f: _sha256(f) for f in checked.files}
    imported, live = _ledger_knows(db)
    problems: list[dict] = [
        {"file": idcard.mask_in_text(p["file"]), "sheet": p["sheet"], "row": int(p["row"]),
         "code": "rejected", "message": ProblemSaid("", row={str(k): v for k, v in p.items()})}
        for p in checked.problems.to_dict("records")
        if p["severity"] == "rejected"
    ]  # fmt: skip
    entries: list[dict] = []
    for row in checked.valid.to_dict("records"):
        file = str(row["_file"])
        where = {"file": shown_name(file), "sheet": row["_sheet"], "row": int(row["_row"])}
        sha = files.get(file, "")
        entry, code, params = _place(row, policy, rule, on, imported.get(sha))
        if entry is None:
            shown = params.pop("_code", code)
            problems.append({**where, "code": shown, "message": said(f"import_{code}", **params)})
            continue
        entry["source"] = where["file"] + (f"（{where['sheet']}）" if where["sheet"] else "")
        entry["source"] += f"第{where['row']}行"
        entry["basis"] = f"导入：{entry['source']}"
        entry.update(_file=where["file"], _sheet=where["sheet"], _row=where["row"], _sha=sha)
        entries.append(entry)
    frame = pd.DataFrame(
        entries, columns=[*ENTRY_COLUMNS, "amount_ok", "_mismatch", *WHERE_COLUMNS]
    )
    frame, settled = _settle(frame, imported, live)
    mismatches = [
        {**_where(r), "code": "amount_mismatch",
         "message": said("import_amount_mismatch", **r["_mismatch"])}
        for r in frame[~frame["amount_ok"]].to_dict("records")
    ]  # fmt: skip
    table = pd.DataFrame([*problems, *settled, *mismatches], columns=PROBLEM_COLUMNS)
    table = table.sort_values(["file", "sheet", "row"], kind="stable").reset_index(drop=True)
    return ImportPlan(
        files, frame.drop(columns="_mismatch"), table, checked.rows_read, accept_amounts
    )


def _settle(
    entries: pd.DataFrame, imported: Mapping[str, str], live: pd.DataFrame
) -> tuple[pd.DataFrame, list[dict]]:
    """The entries the ledger does not hold yet, once each; and a problem for every other:
    its file imported before, someone the ledger already paid for the rule in the same
    scope, or someone an earlier row of the files already names — matched on who a payment
    is for (a household by its owner and its 户编号), not on how its key is written."""
    if entries.empty:
        return entries, []
    again = entries["_sha"].isin(list(imported))
    mine = ledger.who_scope(entries)
    paid = ledger.who_scope(live)[["rule", "scope", "who"]].drop_duplicates()
    keyed = mine.assign(_entry=mine.index)
    recorded = set(keyed.merge(paid, on=["rule", "scope", "who"])["_entry"])
    first = keyed[~keyed["_entry"].isin(recorded | set(entries.index[again]))]
    repeated = set(first.loc[first.duplicated(["rule", "scope", "who"]), "_entry"])
    code = pd.Series("", index=entries.index)
    code[entries.index.isin(list(repeated))] = "duplicate"
    code[entries.index.isin(list(recorded))] = "already_recorded"
    code[again] = "already_imported"
    problems = [
        {**_where(r), "code": c,
         "message": said(f"import_{c}", rule=r["rule"], who=idcard.mask_in_text(r["key"]),
                         batch=imported.get(r["_sha"], ""))}
        for r, c in zip(entries.to_dict("records"), code, strict=True)
        if c
    ]  # fmt: skip
    return entries[code.eq("")], problems


def _where(entry: Mapping) -> dict:
    return {"file": entry["_file"], "sheet": entry["_sheet"], "row": int(entry["_row"])}


def _ledger_knows(db: str | Path) -> tuple[dict[str, str], pd.DataFrame]:
    """(sha256 → batch of files imported before, live payments) of the ledger."""
    if not store.exists(db):
        return {}, ledger.NO_PAYMENTS
    conn = store.connect(db, create=False, allow_behind=True)  # a restored backup: see commit
    try:
        return ledger.imported_files(conn), ledger.live_payments(conn)
    finally:
        conn.close()


# What the tool writes on a trial's lists (file name, batch line, page header, batch column)
# and a county's draft says: a list that paid nobody.
_TRIAL = re.compile(r"试算|未入账|\btrial\b", re.IGNORECASE)


def _trial_mark(row: dict) -> str | None:
    """The trial mark of the list a row comes from, if any (its file or sheet name, its title
    and batch lines, its batch column)."""
    where = (Path(str(row["_file"])).name, row["_sheet"], row.get("_title"), row.get("batch"))
    for text in where:
        if isinstance(text, str) and (found := _TRIAL.search(text)):
            return found[0]
    return None


def _place(
    row: dict, policy: Policy, rule: str | None, on: dt.date, imported_in: str | None
) -> tuple[dict | None, str, dict]:
    """One row as a ledger entry, or (None, problem code, its parameters)."""
    if imported_in:
        return None, "already_imported", {"batch": imported_in}
    if mark := _trial_mark(row):  # a trial paid nobody: never history
        return None, "trial_list", {"mark": mark}
    title = f"{Path(str(row['_file'])).stem} {row['_sheet']} {row.get('_title', '')}"
    named = programs_named(row.get("program"), policy)
    if len(named) > 1:
        shown = idcard.mask_in_text(str(row.get("program")))
        return None, "two_programs", {"value": shown, "_code": "unknown_program"}
    code = next(iter(named), None) or rule or program_of(title, policy)
    if code is None:
        return (
            None,
            "unknown_program",
            {"value": idcard.mask_in_text(str(row.get("program") or ""))},
        )
    household = policy.rule(code).payee == "household"
    organisation = ORGANISATION_RULES.get(code)
    person, why = ("", None) if organisation == "only" else _resident(row, on, household)
    if not person and organisation and why is None:
        credit, bad = _organisation(row)
        if bad is not None:
            return None, "bad_credit", {"detail": bad, "_code": "bad_id"}
        if not credit:
            shown = "no_credit" if organisation == "only" else "no_payee"
            return None, shown, {"_code": "no_person"}
        row = {**row, "payee_id": credit}  # what the rule's history_key reads
    elif not person:
        return None, ("bad_id" if why else "no_person"), {"detail": why}
    row = _school_year_period(row)
    month, year, typed = _month_of(row, title)
    if typed:
        return None, "unread_month", {"value": idcard.mask_in_text(typed), "_code": "no_month"}
    frequency = policy.rule(code).frequency
    if month is None and (year is None or frequency == "monthly"):
        return None, "no_month", {}
    start = min(p.start for p in policy.rule(code).periods)
    first, last = start.year * 100 + start.month, on.year * 100 + on.month
    if not (first <= month <= last if month else start.year <= (year or 0) <= on.year):
        when = (
            said("wb_month", year=month // 100, mon=month % 100)
            if month
            else said("when_year", year=year)
        )
        return (
            None,
            "bad_month",
            {"value": when, "start": start.isoformat(), "today": on.isoformat()},
        )
    raw = row.get("_raw_amount", row.get("amount"))
    fen = _fen(raw)
    if fen is None:
        return (
            None,
            "bad_amount",
            {"value": idcard.mask_in_text(str(raw if raw is not None else ""))},
        )
    highest = _highest(policy, code)
    if highest is not None and fen > highest:
        return None, "amount_over", {"amount": f"{fen / 100:.2f}", "highest": f"{highest / 100:.2f}",
                                     "_code": "bad_amount"}  # fmt: skip
    year = year or (month or 0) // 100
    try:
        entry = _entry(code, policy, row, person, month or year * 100 + 1, month is None, fen)
    except HistoryKeyError as exc:  # which of a person's items it paid is not said
        return None, "no_item", {"detail": exc.said}
    day = dates.last_day(month) if month else dt.date(year, 12, 31)
    fixed, ceiling = _policy_amounts(policy, code, day)
    within = fen in fixed or (ceiling is not None and fen <= ceiling)
    allowed: tuple[Said, ...] = tuple(
        said("amount_is", amount=f"{f / 100:.2f}") for f in sorted(fixed)
    )
    if ceiling is not None and not allowed:
        allowed = (said("amount_up_to", amount=f"{ceiling / 100:.2f}"),)
    part = COMPUTED_PART_FEN.get(code)
    if part and (fixed or ceiling is not None):  # the policy's amount plus what it computed
        most = max([*fixed, *([ceiling] if ceiling is not None else [])]) + part
        within = fen <= most
        allowed = (said("amount_with_part", amount=f"{most / 100:.2f}", part=f"{part / 100:.2f}"),)
    hook = _fits_hook(code)
    period = policy.rule(code).values_for(day)
    if hook is not None and period is not None and (fixed or ceiling is not None):
        fits, words = hook
        within = fits(fen, period.values)
        allowed = (words(period.values),) if words is not None else allowed
    entry["amount_ok"] = within or (not fixed and ceiling is None)
    entry["_mismatch"] = {"amount": f"{fen / 100:.2f}", "allowed": allowed}
    return entry, "", {}


def _entry(
    code: str, policy: Policy, row: dict, person: str, month: int, year_only: bool, fen: int
) -> dict:
    """One ledger entry, keyed the way the rule keys its own payments; HistoryKeyError when
    the rule cannot tell from the row which of the person's payments it was (a loan
    without its contract number or start date, a course without its name or certificate)."""
    rule = policy.rule(code)
    household = str(row.get("household_id") or "").strip()
    payee = rule.payee
    base = household or f"owner:{person}" if payee == "household" else person
    credit = _credit(row)
    names = (
        ("head_name", "person_name", "name")
        if payee == "household"
        else ("person_name", "name", "head_name")
    )
    name = next((str(row[c]).strip() for c in names if not dates.is_blank(row.get(c))), "")
    payee_name = str(row.get("payee_name") or "").strip()
    payee_id = {"household": household or person, "person": person}.get(payee, credit)
    identities = "|".join(
        [person, *([f"户:{household}"] if household and payee == "household" else [])]
    )
    if not person:  # an organisation (ORGANISATION_RULES): paid by its credit code, no person
        payee, payee_id, payee_name, name = "employer", credit, payee_name or name, ""
    # a rule whose payments are not one per person (a loan, a student's school year, a
    # course, an organisation) says how a past payment is keyed, so that the rule sees it
    # as paid
    keyed = getattr(IMPLEMENTED.get(code), "history_key", None)
    if keyed is not None:
        base, identities = keyed(row, person, month)
    if not identities:  # keyed on nobody: it would stop no payment
        raise HistoryKeyError(said("import_no_key"))
    return {
        "rule": code,
        "identities": identities,
        "key": base + key_suffix(rule.frequency, month),
        "payee_type": payee,
        "payee_id": payee_id,
        "payee_name": payee_name or (name if payee in ("person", "household") else ""),
        "township": row.get("township") or "",
        "village": row.get("village") or "",
        "household_id": household if person else "",
        "person_id": person,
        "person_name": name,
        "amount_fen": fen,
        "period": str(month // 100) if year_only else period_text(month, rule.frequency),
        "month": month,
    }


def commit_import(plan: ImportPlan, db: str | Path, *, new_db: bool = False) -> ImportPlan:
    """Record what ``plan`` can place, as one import batch (exit 2 for a missing database
    unless ``new_db``); returns the plan with its batch id.  What the ledger came to hold
    since the plan was made (another import) is settled again under the lock: never
    recorded twice, said as a problem; what another clerk writes while it is settled (a
    month committed under that month's lock) refuses it (LockError, exit 4: run again)."""
    with store.hold_lock(db):
        # a ledger put back from a backup is opened: recording what was paid since is how
        # it is made whole again (its head then moves to the new end)
        conn = store.connect(db, create=new_db, allow_behind=True)
        try:
            run_id = store.start_run(conn, "ledger import", None)
            # a month committed by another clerk meanwhile (its own lock, not this one):
            # the import is refused rather than settled against a ledger gone by
            read_at = store.chain.last_seq(conn)
            rows, late = _settle(
                plan.to_record, ledger.imported_files(conn), ledger.live_payments(conn)
            )
            inputs = {
                shown_name(f): sha for f, sha in plan.files.items() if sha in set(rows["_sha"])
            }
            recorded = rows.drop(columns=["amount_ok", *WHERE_COLUMNS])
            batch = (
                ledger.commit_import(conn, run_id, recorded, inputs, read_at=read_at)
                if len(rows)
                else None
            )
            store.finish_run(conn, run_id, {"batch_id": batch, "entries": len(rows)})
        finally:
            conn.close()
    problems = pd.concat(
        [plan.problems, pd.DataFrame(late, columns=PROBLEM_COLUMNS)], ignore_index=True
    )
    entries = plan.entries[~plan.entries.index.isin(plan.to_record.index.difference(rows.index))]
    return ImportPlan(plan.files, entries, problems, plan.rows_read, plan.accept_amounts, batch)
