"""Every rule against its case table (``tests/rules/<code>.toml``), in the OpenFisca spirit.

A case is a month, a few people, their jobs and contributions (and the workshops or
businesses the rule needs), what the ledger already paid, and the expected outcome per
person.  The inputs are built in memory as the validate step leaves them — raw rows
under the internal column names, then the same ``normalise`` / checks / gap marks —
matched and stated like ``subsidy.load_month``; the rule runs with the bundled policy's
typed values for the month, then ``_against_ledger`` compares it with the paid entries.

Case file format (dates are TOML dates, months "YYYY-MM"):

    rule = "travel"
    [[cases]]
    name = "age_16_on_last_day"        # the test id is travel/age_16_on_last_day
    why = "…"                          # the boundary, in words
    month = "2024-06"
    people = [{ id = "a", born = 2008-06-30, category = "脱贫户", labor = "普通劳动力",
                township = "虎威镇", household = "H1", hukou = "重庆市丰都县" }]
    roster_lacks = ["labor_capacity"]  # columns the roster file does not have
    employers = { far = "91500112MA5U000030" }   # a credit code, when not the county's
    jobs = [{ person = "a", employer = "e1", start = 2024-01-01, end = 2024-12-31,
              region = "重庆市渝北区", type = "全日制" }]
    contributions = [{ person = "a", employer = "e1", from = "2023-07", to = "2024-06",
                       except = ["2023-12"], insured_region = "丰都县" }]
                                       # also type (险种), employer_amount, personal_amount
                                       # (a negative amount is a refund row)
    insurance_lacks = ["employer_amount"]  # columns the insurance export does not have
    workshops = [{ employer = "w1", name = "某帮扶车间", recognised = 2022-01-01 }]
    businesses = [{ owner = "o", employer = "b1", registered = 2024-01-01, rural = "是" }]
    lists = { loans = [{ person = "a", employer = "b1", principal = "200000", start_date = 2024-01-10 }] }
                                       # any kind's rows under internal column names; person →
                                       # id_number (and name), employer → a credit code column;
                                       # persons = { guardian_id = "m" }: columns holding the ID
                                       # of a labelled person
    lists_lack = { posts = ["accident_insurance"] }   # columns a list's file does not have
    policy = "demo"                    # the demo policy (amounts the notice leaves open filled)
    values = { installments = 2 }      # values changed from the policy's, for this case
    also = ["work_training"]           # rules evaluated before it in the month (its ``beside``)
    paid = [{ rule = "travel", person = "a", month = "2023-08" }]   # or from/to for months;
                                       # identities = "贷:L1" for who a non-person entry is for
                                       # ("学:{a}@2023-2024#1": {label} is that person's ID);
                                       # amount = 150000: what the entry paid, in fen (else 0)
    skipped = "政策已于"     # instead of expect: the rule is not computed, for this reason
    expect = [{ person = "a", eligible = true, amount = 5000 },      # amount in fen
              { person = "b", eligible = false, failed = "age" },    # the condition's name
                                       # (failed = "listed_twice": a repeat of an earlier row)
              { person = "c", eligible = false, undetermined = "able" },
              { person = "d", eligible = true, payable = false, paid_before = "2023-08" },
              { person = "e", eligible = true, payable = false, capped = true },
              { where = { loan_no = "L1" }, eligible = true, amount = 123 }]

``payable`` defaults to ``eligible``; a business row is chosen with ``business = "b1"``, the
line paying an employer with ``employer = "e1"``, any
row by the values of its columns with ``where`` (with or without ``person``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from fengdu_cli import dates, gaps
from fengdu_cli.idcard import ages, check_digit
from fengdu_cli.match import as_of, contributed, match, person_state
from fengdu_cli.messages import in_words
from fengdu_cli.needs import needed_columns
from fengdu_cli.normalise import credit_check_char, normalise
from fengdu_cli.policy import Policy, load_policy
from fengdu_cli.policy.load import DEMO
from fengdu_cli.policy.schema import RULE_FREQUENCY
from fengdu_cli.rules import IMPLEMENTED
from fengdu_cli.rules.base import Context, condition_said, condition_text, key_suffix
from fengdu_cli.schemas import failures, rejects
from fengdu_cli.subsidy import NO_PAYMENTS, _against_ledger, skip_reason

CASES = Path(__file__).parent / "rules"
POLICY = load_policy()
DEMO_POLICY = load_policy(Path(str(resources.files("fengdu_cli").joinpath(DEMO))))
JOB_COLUMNS = ["id_number", "name", "employer_name", "employer_code", "start_date", "end_date",
               "employment_type", "work_region"]  # fmt: skip
EXPECT_KEYS = {"person", "business", "employer", "where", "eligible", "amount", "failed", "undetermined",
               "payable", "paid_before", "capped"}  # fmt: skip


def _load() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(CASES.glob("*.toml")):
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        assert table["rule"] == path.stem, path
        for case in table["cases"]:
            found.append((table["rule"], case))
    return found


ALL = _load()


def test_every_implemented_rule_has_a_case_table():
    assert {code for code, _ in ALL} == set(IMPLEMENTED)


def test_case_names_are_unique_per_rule():
    ids = [f"{code}/{case['name']}" for code, case in ALL]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- building the inputs


def _month(text: str) -> int:
    year, month = text.split("-")
    return int(year) * 100 + int(month)


class _Ids:
    """Short labels → 18-digit IDs (birth date inside) and credit codes."""

    def __init__(self, case: dict) -> None:
        self.born = {p["id"]: _born(p, _month(case["month"])) for p in case.get("people", [])}
        self.ids: dict[str, str] = {}
        self.codes: dict[str, str] = dict(case.get("employers", {}))

    def person(self, label: str) -> str:
        if label not in self.ids:
            first17 = f"500230{self.born.get(label, '19800101')}{len(self.ids) + 1:03d}"
            self.ids[label] = first17 + check_digit(first17)
        return self.ids[label]

    def employer(self, label: str) -> str:
        if label not in self.codes:
            first17 = f"91500230MA5U{len(self.codes) + 1:05d}"
            self.codes[label] = first17 + credit_check_char(first17)  # a valid code (GB 32100)
        return self.codes[label]


def _born(person: dict, month: int) -> str:
    if "born" in person:
        return person["born"].strftime("%Y%m%d")
    if "age" in person:  # born on 1 January: that age all year
        return f"{month // 100 - person['age']}0101"
    return "19800101"


def _raw(kind: str, rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows as the reader gives them: internal column names, text cells, provenance."""
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.insert(0, "_file", f"{kind}.xlsx")
    frame.insert(1, "_sheet", "Sheet1")
    frame.insert(2, "_row", range(2, len(frame) + 2))
    frame["_title"] = ""
    return frame


def _checked(raw: pd.DataFrame, kind: str, month: int, lacks: tuple[str, ...] = ()) -> pd.DataFrame:
    """What validate keeps of ``raw``: normalised, gap-marked, rejected rows dropped."""
    raw = raw.drop(columns=list(lacks)).assign(**{gaps.gap_column(c): "no_column" for c in lacks})
    normalised = normalise(raw, kind, as_of(month))
    if not len(raw):
        return normalised
    cases = failures(kind, normalised, duplicates=kind == "roster")
    normalised = gaps.mark_values(normalised, kind, needed_columns(kind), cases)
    rejected = sorted(set(cases.loc[rejects(cases), "index"]))
    assert not rejected, f"{kind}: a case row was rejected ({cases.to_dict('records')})"
    return normalised.reset_index(drop=True)


def _months(item: dict) -> list[int]:
    if "month" in item:
        return [_month(item["month"])]
    skip = {_month(m) for m in item.get("except", [])}
    return [
        m for m in dates.months_range(_month(item["from"]), _month(item["to"])) if m not in skip
    ]


def build(case: dict) -> tuple[Context, pd.DataFrame, _Ids]:
    """The month's Context and the ledger's live entries, from a case."""
    month = _month(case["month"])
    ids = _Ids(case)
    people = case.get("people", [])
    roster_columns = ["township", "village", "household_id", "name", "id_number", "category",
                      "labor_capacity", "work_status", "phone"]  # fmt: skip
    if any("hukou" in p for p in people):
        roster_columns.append("hukou")
    if any("relation" in p for p in people):
        roster_columns.append("relation")
    roster = [
        {
            "township": p.get("township", "虎威镇"),
            "village": "新华村",
            "household_id": p.get("household", f"H{n}"),
            "name": p.get("name", f"测试{n}"),
            "id_number": ids.person(p["id"]),
            "category": p.get("category", "脱贫户"),
            "labor_capacity": p.get("labor", "普通劳动力"),
            "work_status": "县外市内务工",
            "phone": f"138{n:08d}",
            "hukou": p.get("hukou", ""),
            "relation": p.get("relation", ""),
        }
        for n, p in enumerate(people, 1)
    ]
    jobs = [
        {
            "id_number": ids.person(j["person"]),
            "name": j["person"],
            "employer_name": f"单位{j['employer']}",
            "employer_code": ids.employer(j["employer"]),
            "start_date": j["start"].isoformat(),
            "end_date": j["end"].isoformat() if "end" in j else None,
            "employment_type": j.get("type", "全日制"),
            "work_region": j.get("region", "重庆市丰都县"),
        }
        for j in case.get("jobs", [])
    ]
    contributions = case.get("contributions", [])
    insurance_columns = ["id_number", "name", "employer_code", "period", "insurance_type", "base",
                         "employer_amount", "personal_amount"]  # fmt: skip
    if any("insured_region" in c for c in contributions):
        insurance_columns.append("insured_region")
    insurance = [
        {
            "id_number": ids.person(c["person"]),
            "name": c["person"],
            "employer_code": ids.employer(c["employer"]),
            "period": str(period),
            "insurance_type": c.get("type", "企业职工基本养老保险"),
            "base": "4000",
            "employer_amount": str(c.get("employer_amount", "640")),
            "personal_amount": str(c.get("personal_amount", "320")),
            "insured_region": c.get("insured_region", "重庆市丰都县"),
        }
        for c in contributions
        for period in _months(c)
    ]
    lacks = tuple(case.get("roster_lacks", ()))
    checked = {
        "roster": _checked(_raw("roster", roster, roster_columns), "roster", month, lacks),
        "employment": _checked(_raw("employment", jobs, JOB_COLUMNS), "employment", month),
        "insurance": _checked(
            _raw("insurance", insurance, insurance_columns),
            "insurance",
            month,
            tuple(case.get("insurance_lacks", ())),
        ),
    }
    extra = {}
    if "workshops" in case:
        rows = [
            {
                "workshop_name": w.get("name", f"帮扶车间{w['employer']}"),
                "employer_code": ids.employer(w["employer"]),
                "township": "虎威镇",
                "recognised_date": w["recognised"].isoformat() if "recognised" in w else None,
            }
            for w in case["workshops"]
        ]
        extra["workshops"] = _checked(_raw("workshops", rows, list(rows[0])), "workshops", month)
    if "businesses" in case:
        rows = [
            {
                "id_number": ids.person(b["owner"]),
                "name": b["owner"],
                "business_name": b.get("name", f"商店{b['employer']}"),
                "business_code": ids.employer(b["employer"]),
                "rural_entrepreneur": b.get("rural", "否"),
                "registration_date": str(b["registered"]),
            }
            for b in case["businesses"]
        ]
        extra["businesses"] = _checked(_raw("businesses", rows, list(rows[0])), "businesses", month)
    for kind, items in case.get("lists", {}).items():
        rows = [_list_row(item, ids) for item in items]
        lack = tuple(case.get("lists_lack", {}).get(kind, ()))
        columns = list(dict.fromkeys([*(k for row in rows for k in row), *lack]))
        extra[kind] = _checked(_raw(kind, rows, columns), kind, month, lack)
    # as subsidy.load_month and subsidy.evaluate_rules do
    matched = match(checked["roster"], checked["employment"], checked["insurance"])
    state = person_state(matched, month)
    state["age"] = ages(state["id_number"], as_of(month))
    ctx = Context(
        month, state, matched, contributed(checked["insurance"]), extra, checked["employment"]
    )
    return ctx, _ledger(case.get("paid", []), ids), ids


def _list_row(item: dict, ids: _Ids) -> dict[str, object]:
    """A row of a case's list as the reader gives it: ``person`` becomes the ID (and the name
    unless one is given), ``employer`` a credit code (``employer_code``), dates ISO text."""
    row: dict[str, object] = {}
    for key, value in item.items():
        if key == "person":
            row["id_number"] = ids.person(value)
            row.setdefault("name", item.get("name", value))
        elif key == "employer":
            row["employer_code"] = ids.employer(value)
        elif key == "persons":
            row.update({column: ids.person(label) for column, label in value.items()})
        elif isinstance(value, dt.date):
            row[key] = value.isoformat()
        else:
            row[key] = value if value is None else str(value)
    return row


def policy_of(case: dict) -> Policy:
    """The policy a case runs with: the bundled one, or the demo's (``policy = "demo"``)."""
    return DEMO_POLICY if case.get("policy") == "demo" else POLICY


def _ledger(paid: list[dict], ids: _Ids) -> pd.DataFrame:
    """The live ledger entries of ``paid`` (one per month), as ``ledger.live_payments``."""
    rows = []
    for item in paid:
        who = (
            re.sub(r"\{(\w+)\}", lambda m: ids.person(m[1]), item["identities"])
            if "identities" in item
            else ids.person(item["person"])
        )
        for month in _months(item):
            rows.append(
                {
                    "entry_id": len(rows) + 1,
                    "batch_id": f"{dates.month_text(month)}-R1",
                    "rule": item["rule"],
                    "key": who + key_suffix(RULE_FREQUENCY[item["rule"]], month),
                    "payee_id": who,
                    "person_id": who,
                    "amount_fen": int(item.get("amount", 0)),
                    "identities": who,
                    "month": month,
                    "source": "",
                    "batch_kind": "month",
                }
            )
    if not rows:
        return NO_PAYMENTS
    return pd.DataFrame(rows).reindex(columns=NO_PAYMENTS.columns)


# ---------------------------------------------------------------- running a case


def run(code: str, case: dict) -> tuple[pd.DataFrame, _Ids]:
    ctx, paid, ids = build(case)
    rule = policy_of(case).rule(code)
    period = rule.values_for(dates.last_day(ctx.month))
    assert period is not None and period.typed is not None, f"{code} not in force at {ctx.month}"
    typed = values_of(case, period.typed)
    frame = IMPLEMENTED[code].evaluate(ctx, typed)
    if "also" in case:  # the rules evaluated before it in the month (a rule's ``beside``)
        others = {}
        for other in case["also"]:
            there = policy_of(case).rule(other).values_for(dates.last_day(ctx.month))
            assert there is not None and there.typed is not None, f"{other} not in force"
            others[other] = IMPLEMENTED[other].evaluate(ctx, there.typed)
        frame = IMPLEMENTED[code].beside(frame, others, typed.shown(ctx.month))
    frame = _against_ledger(frame, code, rule.frequency, ctx.month, typed, paid)
    return frame, ids


def values_of(case: dict, typed):
    """The period's typed values, with the case's ``values`` put in their place."""
    return dataclasses.replace(typed, **case.get("values", {}))


def outcome(code: str, row: pd.Series, shown: dict) -> dict:
    """What a row says, in the case table's terms."""
    conditions = IMPLEMENTED[code].CONDITIONS
    got: dict[str, object] = {"eligible": bool(row["eligible"]), "payable": bool(row["payable"])}
    if row["eligible"]:
        got["amount"] = int(row["amount_fen"])
    elif row["undetermined"]:
        got["undetermined"] = ",".join(c.name for c in conditions if row[f"u_{c.name}"])
    else:
        failed = next((c for c in conditions if not row[f"c_{c.name}"] and not row[f"u_{c.name}"]),
                      None)  # fmt: skip
        got["failed"] = failed.name if failed is not None else "once_per_household"
        twice = str(getattr(row["failed"], "key", "")).endswith("_listed_twice")
        if failed is None and twice:  # the same thing listed again: every condition holds
            got["failed"] = "listed_twice"
        elif failed is None and row.get("not_positive"):  # subsidy's guard: 0 fen or less
            got["failed"] = "amount_not_positive"
            assert in_words(row["failed"]).startswith("金额为零或负数")
        elif failed is not None:  # what a clerk reads is the same condition's, in either language
            assert row["failed"] == condition_said(failed, shown)
            assert in_words(row["failed"]) == condition_text(failed, shown)
            assert in_words(row["failed"], "en") == condition_text(failed, shown, "en")
        else:
            assert in_words(row["failed"]) == "同一户已有一个主体符合条件（每户一次）"
    if row["paid_before"]:
        got["paid_before"] = dates.month_text(int(row["paid_month"]))
    if row["capped"]:
        got["capped"] = True
    return got


@pytest.mark.parametrize(
    ("code", "case"), [pytest.param(c, k, id=f"{c}/{k['name']}") for c, k in ALL]
)
def test_case(code, case):
    assert case.get("why"), "say which boundary the case stands on"
    present = {
        "roster",
        "employment",
        "insurance",
        *(k for k in ("workshops", "businesses") if k in case),
        *case.get("lists", {}),
    }
    policy = policy_of(case)
    reason = skip_reason(policy, code, _month(case["month"]), dict.fromkeys(present))
    if "skipped" in case:
        assert reason is not None and reason.text().startswith(case["skipped"]), reason
        return
    assert reason is None, reason
    frame, ids = run(code, case)
    shown = values_of(
        case, policy.rule(code).values_for(dates.last_day(_month(case["month"]))).typed
    )
    shown = shown.shown(_month(case["month"]))
    for expected in case["expect"]:
        assert set(expected) <= EXPECT_KEYS, set(expected) - EXPECT_KEYS
        rows = frame
        if "person" in expected:
            rows = rows[rows["person_id"].eq(ids.person(expected["person"]))]
        for column, value in expected.get("where", {}).items():
            rows = rows[rows[column].astype(str).eq(str(value))]
        label = expected.get("person", expected.get("where"))
        if "business" in expected:
            rows = rows[rows["business_code"].eq(ids.employer(expected["business"]))]
        if "employer" in expected:
            rows = rows[rows["payee_id"].eq(ids.employer(expected["employer"]))]
        assert len(rows) == 1, f"{label}: {len(rows)} rows"
        got = outcome(code, rows.iloc[0], shown)
        want = {"payable": expected["eligible"], **expected}
        want.pop("person", None)
        want.pop("business", None)
        want.pop("employer", None)
        want.pop("where", None)
        got = {key: got.get(key) for key in want} | {
            key: value for key, value in got.items() if key not in want and key != "amount"
        }
        assert got == want, f"{label}: {rows.iloc[0][['failed', 'unknown', 'basis']].to_dict()}"
