"""创业担保贷款贴息 (loan_interest) — paid to the borrower, per loan and month.

Notice 一(二)3: “符合条件的个人创业担保贷款额度上限为20万元，贷款期限最长不超过3年；合伙创业担保
贷款额度为最高22万元∕人、上限110万元；小微企业创业担保贷款额度按照企业当年新招用符合创业担保贷款
申请条件的人员确定，贷款额度为20万元∕人，上限300万元，贷款期限最长不超过2年。个人和小微企业创业
担保贷款利息，LPR-150BP以下部分由借款人承担，剩余部分财政给予贴息，对逾期的创业担保贷款不予贴息。”
二(三)1: “按规定落实创业担保贷款及贴息”.

For each loan of the bureau's list (loans/) and month m:

    subsidy = capped principal × max(0, rate − max(0, LPR − margin)) × days / 360

rounded half-up to the fen per loan and month, where the capped principal is the principal up
to the type's cap (个人 200,000; 合伙 220,000 per partner, at most 1,100,000; 小微企业 200,000 per
new eligible hire, at most 3,000,000), LPR the one-year LPR in force on the loan's start date
(the policy's dated table), margin 150 BP, and days the days d of m with
start ≤ d < min(maturity, start + the type's longest term).  Nothing for a month the list
says the loan was overdue.  Every figure is a policy value; the rates are exact Decimals.

本工具的理解: the cap is the borrower's (个人: the person's; 合伙: the partnership borrower's;
小微企业: the enterprise's), shared by their loans in force in the month in the order of their
start dates (:func:`_shares`); the basis says so.

A person may have two loans: each loan is its own payment, known by its contract number (in
one normal form, :func:`fengdu_cli.normalise.loan_key`) and by its borrower and start date
(``贷:<no>|贷:<borrower>@<start>``), so the same loan-month is never paid twice, however a past
list (``ledger import``) or our own payments files named it (:func:`history_key`).  Rows of the
list that share one of these keys are one loan listed twice: its first eligible copy is
paid, every other copy fails "同一笔贷款在名单中重复列出".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps
from fengdu_cli.idcard import shown_name
from fengdu_cli.io.payments_report import BANK_MARK
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.normalise import (
    LOAN_BUSINESS,
    LOAN_PARTNERSHIP,
    LOAN_PERSON,
    LOAN_TYPE_CHOICES,
    OVERDUE_NOW,
    loan_key,
)
from fengdu_cli.policy.schema import LoanInterestValues, LprRate, add_years, rate_on
from fengdu_cli.rules.base import Condition, Context, HistoryKeyError, finish

CODE = "loan_interest"
NEEDS: tuple[str, ...] = ("loans",)
VALUES = LoanInterestValues
TYPE = ("loans.borrower_type",)
CONDITIONS: tuple[Condition, ...] = (
    Condition("payee", "cond_loan_interest_payee", TYPE),
    Condition(
        "principal",
        "cond_loan_interest_principal",
        ("loans.principal", *TYPE),
        fact="fact_loan_principal",
    ),
    Condition(
        "term",
        "cond_loan_interest_term",
        ("loans.start_date", "loans.end_date", *TYPE),
        fact="fact_loan_days",
    ),
    Condition(
        "rate", "cond_loan_interest_rate", ("loans.rate", "loans.start_date"), fact="fact_loan_rate"
    ),
    Condition(
        "not_overdue",
        "cond_loan_interest_not_overdue",
        ("loans.overdue",),
        fact="fact_loan_overdue",
    ),
)
DAYS_IN_YEAR = Decimal(360)
FEN = Decimal("0.01")
HUNDRED = Decimal(100)


# ---------------------------------------------------------------- the formula


def days_in_month(start: dt.date, stop: dt.date, month: int) -> int:
    """The days d of month YYYYMM with start ≤ d < stop (0 when none)."""
    first = max(start, dates.first_day(month))
    end = min(stop, dates.last_day(month) + dt.timedelta(days=1))
    return max(0, (end - first).days)


def subsidy_rate(rate: Decimal, lpr_percent: Decimal, margin: Decimal) -> Decimal:
    """The part of the contract rate the state pays: rate − max(0, LPR − margin), ≥ 0."""
    borne = max(Decimal(0), lpr_percent / HUNDRED - margin)
    return max(Decimal(0), rate - borne)


def month_interest(capped: Decimal, rate: Decimal, days: int) -> Decimal:
    """capped × rate × days / 360, in yuan, rounded half-up to the fen."""
    return (capped * rate * days / DAYS_IN_YEAR).quantize(FEN, rounding=ROUND_HALF_UP)


def capped_principal(values: LoanInterestValues, kind: str, principal: Decimal,
                     partners: int | None, hires: int | None,
                     used: Decimal = Decimal(0)) -> Decimal | None:  # fmt: skip
    """The principal the subsidy is computed on: up to what is left of the cap of the loan's
    type once the borrower's earlier loans took ``used`` of it (None when the number the cap
    stands on is unknown)."""
    if kind == LOAN_PERSON:
        cap = values.principal_max_person
    elif kind == LOAN_PARTNERSHIP:
        if partners is None:
            return None
        cap = min(values.principal_per_partner * partners, values.principal_max_partnership)
    else:
        if hires is None:
            return None
        cap = min(values.principal_per_hire * hires, values.principal_max_business)
    return max(Decimal(0), min(principal, cap - used))


def term_years(values: LoanInterestValues, kind: str) -> int:
    """The longest subsidised term of a loan type, in years."""
    return {
        LOAN_PERSON: values.term_years_person,
        LOAN_PARTNERSHIP: values.term_years_partnership,
        LOAN_BUSINESS: values.term_years_business,
    }[kind]


def percent_text(rate: Decimal) -> str:
    """0.0435 → '4.35%'; at least two decimals, more when the rate has them."""
    percent = rate * HUNDRED
    if percent == percent.quantize(FEN):
        return f"{percent.quantize(FEN)}%"
    return f"{percent.normalize():f}%"


def yuan_text(amount: Decimal) -> str:
    """200000 → '200000', 1234.5 → '1234.50'."""
    whole = amount.to_integral_value()
    return f"{whole:f}" if amount == whole else f"{amount.quantize(FEN):f}"


# ---------------------------------------------------------------- keys


def loan_tokens(loan_no: str, borrower: str, start: dt.date | None) -> list[str]:
    """What a loan is known by: its contract number (in :func:`loan_key`'s one form), and
    its borrower with its start date."""
    loan_no = loan_key(loan_no)
    tokens = [f"贷:{loan_no}"] if loan_no else []
    if borrower and start is not None:
        tokens.append(f"贷:{borrower}@{start.isoformat()}")
    return tokens


def history_key(row: Mapping[str, object], person: str, month: int) -> tuple[str, str]:
    """How ``ledger import`` keys a past 贴息 line: by its contract number (借款合同号) when the
    list has one, else by the borrower and the loan's start date (放款日期); HistoryKeyError
    (the row is refused) when it has neither — a guess could book a payment on the wrong
    loan.  Our own payments files say both: the CSV's ``key`` column (the ledger's key), and
    the 依据 of the CSV and the workbook ('合同DB20230001，本金…放款日2023-09-01LPR…')."""
    del month  # the month is added by the ledger (monthly scope)
    # a 小微企业's line names no person: the borrower is the enterprise's credit code
    borrower = person or str(row.get("payee_id") or "").strip().upper()
    own_no, own_start = _own_key(row, borrower)
    loan_no = loan_key(row.get("loan_no")) or own_no
    start = _as_date(row.get("loan_start_date")) or own_start
    tokens = loan_tokens(loan_no, borrower, start)
    if not tokens:
        raise HistoryKeyError(Said("import_no_key"))
    return tokens[0].removeprefix("贷:"), "|".join(tokens)


# what our own files write: the ledger key ('DB20230001|202406', '<borrower>@2023-09-01|202406')
# and the basis ('…合同DB20230001，本金…放款日2023-09-01LPR…')
_KEY_MONTH = re.compile(r"\|\d{6}$")
_KEY_STARTED = re.compile(r"(?P<who>.+)@(?P<start>\d{4}-\d{2}-\d{2})")
_BASIS_LOAN = re.compile(r"(?:^|；)合同(?P<no>[^，；\s]+)，本金")
_BASIS_START = re.compile(r"放款日(?P<start>\d{4}-\d{2}-\d{2})(?:，当日)?LPR")


def _own_key(row: Mapping[str, object], person: str) -> tuple[str, dt.date | None]:
    """(contract number, start date) as our own payments files write them ('' / None)."""
    loan_no, start = "", None
    key = _KEY_MONTH.sub("", str(row.get("key") or "").strip())
    if key:
        started = _KEY_STARTED.fullmatch(key)
        if started and started["who"] == person:
            start = _day(started["start"])
        elif not started:
            loan_no = loan_key(key)
    basis = str(row.get("basis") or "")
    if not loan_no and (found := _BASIS_LOAN.search(basis)):
        loan_no = loan_key(found["no"])
    if start is None and (found := _BASIS_START.search(basis)):
        start = _day(found["start"])
    return loan_no, start


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _as_date(value: object) -> dt.date | None:
    """A date cell as a date (None for a blank one)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


# ---------------------------------------------------------------- the rule


def _column(frame: pd.DataFrame, name: str, default: object = "") -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series(default, index=frame.index, dtype=object)


def _texts(frame: pd.DataFrame, name: str) -> pd.Series:
    return _column(frame, name).astype(object).fillna("").astype(str)


def _blank_reasons(frame: pd.DataFrame, column: str, missing: pd.Series) -> pd.Series:
    """Why ``column`` is unknown per row: the reader's reason (no column, bad value), else
    'blank' where ``missing`` (the value is needed and empty), else ''."""
    out = gaps.reasons(frame, "loans", column)
    if column not in frame:  # not among the needed columns: no mark, said here
        rows = missing
        said = [
            gaps.reason("loans", column, "no_column", f, s, None, None)
            for f, s in zip(frame.loc[rows, "_file"], frame.loc[rows, "_sheet"], strict=True)
        ]
        out[rows] = gaps.objects(said, out.index[rows])
        return out
    raw_column = f"_raw_{column}" if f"_raw_{column}" in frame else column
    rows = missing & gaps.known(out)
    if rows.any():
        part = frame[rows]
        said = [
            gaps.reason("loans", column, "bad_value" if not _empty(r) else "blank", f, s, n, r)
            for f, s, n, r in zip(
                part["_file"], part["_sheet"], part["_row"], part[raw_column], strict=True
            )
        ]
        out[rows] = gaps.objects(said, out.index[rows])
    return out


def _empty(value: object) -> bool:
    return dates.is_blank(value)


def _merge(*parts: pd.Series) -> np.ndarray:
    """Per row, the reasons of every part (a tuple of Said), '' when none."""
    out = []
    for row in zip(*parts, strict=True):
        found: list[Said] = []
        for value in row:
            for said in (value,) if isinstance(value, Said) else (value or ()):
                if isinstance(said, Said) and said not in found:
                    found.append(said)
        out.append(tuple(found) if found else "")
    merged = np.empty(len(out), dtype=object)
    for i, value in enumerate(out):  # one by one: numpy would unpack a tuple
        merged[i] = value
    return merged


def evaluate(ctx: Context, values: LoanInterestValues) -> pd.DataFrame:
    loans = ctx.extra["loans"].reset_index(drop=True)
    month = ctx.month
    kind = _texts(loans, "borrower_type")
    typed = kind.isin(LOAN_TYPE_CHOICES)
    person_loan = kind.isin((LOAN_PERSON, LOAN_PARTNERSHIP))
    ids = _texts(loans, "id_number")
    codes = _texts(loans, "employer_code")
    names = _texts(loans, "name")
    loan_no = _texts(loans, "loan_no")
    bank_given = "bank" in loans
    bank = _texts(loans, "bank")

    principal = pd.to_numeric(_column(loans, "principal", np.nan), errors="coerce")
    partners = pd.to_numeric(_column(loans, "partners", np.nan), errors="coerce")
    hires = pd.to_numeric(_column(loans, "new_hires", np.nan), errors="coerce")
    start = pd.to_datetime(_column(loans, "start_date", pd.NaT), errors="coerce")
    maturity = pd.to_datetime(_column(loans, "end_date", pd.NaT), errors="coerce")
    rates = _column(loans, "rate", None)
    overdue = _texts(loans, "overdue")
    loan_facts = list(
        zip(
            kind.tolist(),
            principal.tolist(),
            partners.tolist(),
            hires.tolist(),
            start.tolist(),
            maturity.tolist(),
            rates.tolist(),
            strict=True,
        )
    )

    # ---- who is paid, and for whom
    state = ctx.state.drop_duplicates("id_number").set_index("id_number")
    on_roster = ids.isin(state.index) & ids.ne("")
    roster = state.reindex(ids.where(on_roster, "__none__"))
    township = _texts(loans, "township")
    base = pd.DataFrame(
        {
            "person_id": ids.to_numpy(),
            "person_name": np.where(
                person_loan, names, roster["name"].fillna("").astype(str).to_numpy()
            ),
            "township": np.where(
                on_roster, roster["township"].fillna("").astype(str).to_numpy(), township
            ),
            "village": roster["village"].fillna("").astype(str).to_numpy()
            if "village" in roster
            else "",
            "household_id": roster["household_id"].fillna("").astype(str).to_numpy()
            if "household_id" in roster
            else "",
        },
        index=loans.index,
    )
    base["township"] = base["township"].where(base["township"].ne(""), township)
    business = kind.eq(LOAN_BUSINESS)
    base["payee_type"] = np.where(business, "employer", "person")
    base["payee_id"] = np.where(business, codes, np.where(person_loan, ids, ""))
    base["payee_name"] = names.to_numpy()
    base["loan_no"] = loan_no.to_numpy()
    base["bank"] = bank.to_numpy()
    borrower = base["payee_id"].astype(str)

    # ---- what a loan is known by (one loan, however often listed, is one payment)
    start_dates = start.dt.date.astype(object).where(start.notna(), None)
    tokens = [
        loan_tokens(no, who, day)
        for no, who, day in zip(loan_no, borrower, start_dates, strict=True)
    ]
    same = same_loan(tokens)

    # ---- what could not be judged, whatever the figures
    no_type = ~typed
    type_why = _blank_reasons(loans, "borrower_type", no_type)
    # a 个人 / 合伙 loan whose ID column holds a credit code: whose loan is it?
    credit_only = person_loan & ids.eq("") & codes.ne("")
    payee_why = pd.Series(
        [Said("gap_loan_person_credit_code", {"kind": k}) if c else w
         for k, c, w in zip(kind, credit_only, type_why, strict=True)],
        index=loans.index, dtype=object,
    )  # fmt: skip
    principal_why = [
        type_why,
        _blank_reasons(loans, "principal", principal.isna()),
        _blank_reasons(loans, "partners", kind.eq(LOAN_PARTNERSHIP) & partners.isna()),
        _blank_reasons(loans, "new_hires", business & hires.isna()),
    ]
    term_why = _merge(
        type_why,
        _blank_reasons(loans, "start_date", start.isna()),
        _blank_reasons(loans, "end_date", maturity.isna()),
    )
    rate_why = _blank_reasons(loans, "rate", rates.isna())
    start_why = _blank_reasons(loans, "start_date", start.isna())
    overdue_why = gaps.reasons(loans, "loans", "overdue").to_numpy()
    now = overdue.str.contains(f"|{OVERDUE_NOW}|", regex=False) | overdue.str.contains(
        f"|{month}|", regex=False
    )
    prefix = (BANK_MARK + bank + "；") if bank_given else pd.Series("", index=loans.index)
    contract = np.where(loan_no.ne(""), "合同" + loan_no + "，", "")

    def judged(facts: pd.DataFrame) -> pd.DataFrame:
        out = base.copy()
        out["c_payee"] = (typed & borrower.ne("")).to_numpy()
        out["v_payee"] = np.where(business & codes.ne(""), kind + "（" + codes + "）", kind)
        out["c_principal"] = facts["capped"].map(lambda c: c is not None and c > 0).to_numpy()
        out["v_principal"] = facts["principal_text"].to_numpy()
        out["v_principal__capped"] = facts["capped_text"].to_numpy()
        out["c_term"] = facts["days"].fillna(0).astype(int).gt(0).to_numpy()
        out["v_term"] = start.dt.strftime("%Y-%m-%d").astype(object).fillna("").to_numpy()
        out["v_term__maturity"] = (
            maturity.dt.strftime("%Y-%m-%d").astype(object).fillna("").to_numpy()
        )
        out["v_term__until"] = facts["until"].to_numpy()
        out["v_term__days"] = facts["days"].fillna(0).astype(int).to_numpy()
        out["c_rate"] = facts["state_rate"].map(lambda r: r is not None and r > 0).to_numpy()
        out["v_rate"] = facts["rate_text"].to_numpy()
        out["v_rate__lpr"] = facts["lpr_text"].to_numpy()
        out["v_rate__rate"] = facts["state_rate_text"].to_numpy()
        out["c_not_overdue"] = (~now).to_numpy()
        out["v_not_overdue"] = np.where(now, dates.month_text(month), "")
        out["f_not_overdue"] = np.where(now, "fact_loan_overdue", "fact_loan_not_overdue")
        unknown: dict[str, object] = {
            "payee": payee_why.to_numpy(),
            "principal": _merge(
                *principal_why, pd.Series(facts["share_missing"].to_numpy(), index=loans.index)
            ),
            "term": term_why,
            "rate": _merge(
                rate_why,
                start_why,
                pd.Series(facts["lpr_missing"].to_numpy(), index=loans.index),
            ),
            "not_overdue": overdue_why,
        }
        out["amount_fen"] = [to_fen(a) if a is not None else 0 for a in facts["amount"]]
        out["identities"] = ["|".join(t) for t in tokens]
        out["key_base"] = [t[0].removeprefix("贷:") if t else "" for t in tokens]
        out["basis"] = prefix + contract + facts["basis"].fillna("")
        return finish(out, CONDITIONS, values.shown(month), unknown)

    # ---- each loan on its own first (the type's cap), to tell which copy of a loan counts
    each = [_one_loan(values, month, *loan) for loan in loan_facts]
    alone = pd.DataFrame(each, index=loans.index, columns=list(_FACTS), dtype=object)
    first = judged(alone)
    kept = _kept_copies(same, first["eligible"])

    # ---- then a borrower's cap shared by their loans in force, earliest start first
    shares = _shares(values, kind, borrower, alone, kept, loan_facts, loan_no)
    for i, (used, others, blocker) in shares.items():
        each[i] = _one_loan(
            values, month, *loan_facts[i], used=used, others=others, blocker=blocker
        )
    out = judged(pd.DataFrame(each, index=loans.index, columns=list(_FACTS), dtype=object))

    # ---- a loan listed twice: the copy kept is paid, every other copy says why not
    twice = ~kept
    if twice.any():
        rows = _column(loans, "_row", 0).astype(int).tolist()
        files = _texts(loans, "_file").tolist()
        # the one kept copy of each loan, by position
        kept_at = pd.Series(np.flatnonzero(kept.to_numpy()), index=same[kept].to_numpy())
        keeper = same.map(kept_at)
        out["eligible"] = out["eligible"] & ~twice
        out["undetermined"] = out["undetermined"] & ~twice
        out.loc[twice, "unknown"] = ""
        said_twice = [
            Said("cond_loan_interest_listed_twice",
                 {"file": shown_name(files[k]), "row": rows[k]})
            for k in keeper[twice]
        ]  # fmt: skip
        out.loc[twice, "failed"] = gaps.objects(said_twice, out.index[twice])
    return out


def same_loan(tokens: list[list[str]]) -> pd.Series:
    """Per row, the first row of the loan it names: rows that share a token (the same
    contract number, or the same borrower and start date) are one loan, listed twice."""
    parent = list(range(len(tokens)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for i, row in enumerate(tokens):
        for token in row:
            j = seen.setdefault(token, i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return pd.Series([root(i) for i in range(len(tokens))], dtype="int64")


def _kept_copies(same: pd.Series, eligible: pd.Series) -> pd.Series:
    """The copy of each loan that counts: its first eligible row, else its first row."""
    order = pd.Series(np.arange(len(same)), index=same.index)
    rank = order.where(~eligible.to_numpy(), order - len(same))  # eligible rows come first
    keeper = rank.groupby(same.to_numpy()).transform("idxmin")
    return pd.Series(keeper.to_numpy() == order.to_numpy(), index=same.index)


def _shares(
    values: LoanInterestValues,
    kind: pd.Series,
    borrower: pd.Series,
    alone: pd.DataFrame,
    kept: pd.Series,
    loan_facts: list[tuple[object, ...]],
    loan_no: pd.Series,
) -> dict[int, tuple[Decimal | None, int, str]]:
    """Per loan sharing its borrower's cap with another loan in force in the month: (the
    cap its earlier loans took — None when one of them cannot be judged —, how many other
    loans share it, the contract of the loan that could not be judged).

    本工具的理解: the notice's 额度上限 is the borrower's (个人: the person's; 合伙: the
    partnership borrower's; 小微企业: the enterprise's), over all their loans in force in
    the month (with days to subsidise, overdue or not), given to the loans in the order of
    their start dates (the list's order on the same day)."""
    days = alone["days"]
    in_force = days.isna() | days.fillna(0).astype(float).gt(0)
    members = kept & kind.isin(LOAN_TYPE_CHOICES) & borrower.ne("") & in_force
    out: dict[int, tuple[Decimal | None, int, str]] = {}
    start = pd.Series([loan[4] for loan in loan_facts], index=kind.index)
    frame = pd.DataFrame(
        {"kind": kind, "who": borrower, "start": start, "row": np.arange(len(kind))}
    )[members.to_numpy()]
    # an unknown start date first: it could be the earliest, so no later share is known
    frame = frame.assign(_known=frame["start"].notna()).sort_values(
        ["_known", "start", "row"], kind="stable"
    )
    for _, group in frame.groupby(["kind", "who"], sort=False):
        if len(group) < 2:
            continue
        used: Decimal | None = Decimal(0)
        blocker = ""
        for i in group.index:
            out[int(i)] = (used, len(group) - 1, blocker)
            if used is None:
                continue
            loan_type, amount, partners, hires, started = loan_facts[i][:5]
            capped = (
                capped_principal(
                    values, loan_type, principal, _count(partners), _count(hires), used
                )
                if (principal := _decimal(amount)) is not None
                else None
            )
            if capped is None or pd.isna(started) or pd.isna(days[i]):
                label = loan_no[i] or (started.date().isoformat() if not pd.isna(started) else "—")
                used, blocker = None, label
            else:
                used += capped
    return out


def _count(value: float) -> int | None:
    return None if pd.isna(value) else int(value)


_FACTS = (
    "capped", "principal_text", "capped_text", "days", "until", "rate_text", "lpr_text",
    "state_rate", "state_rate_text", "lpr_missing", "amount", "basis", "share_missing",
)  # fmt: skip


def _decimal(value: float) -> Decimal | None:
    if value is None or pd.isna(value):
        return None
    return Decimal(repr(float(value))).quantize(FEN)


def _one_loan(
    values: LoanInterestValues,
    month: int,
    kind: str,
    principal: float,
    partners: float,
    hires: float,
    start: pd.Timestamp,  # NaT when unknown
    maturity: pd.Timestamp,
    rate: object,
    *,
    used: Decimal | None = Decimal(0),
    others: int = 0,
    blocker: str = "",
) -> tuple[object, ...]:
    """The figures of one loan in month YYYYMM (see ``_FACTS``); None where unknown.
    ``used``: the cap the borrower's ``others`` loans in force took before this one (None:
    unknown, because of the loan ``blocker``)."""
    amount_principal = _decimal(principal)
    known_type = kind in LOAN_TYPE_CHOICES
    capped = (
        capped_principal(values, kind, amount_principal, _count(partners), _count(hires), used)
        if known_type and amount_principal is not None and used is not None
        else None
    )
    share_missing: object = (
        Said("gap_loan_share_unknown", {"loan": blocker}) if used is None else ""
    )
    days, until = None, ""
    if known_type and not pd.isna(start) and not pd.isna(maturity):
        first = start.date()
        stop = min(maturity.date(), add_years(first, term_years(values, kind)))
        days = days_in_month(first, stop, month)
        until = stop.isoformat()
    lpr: LprRate | None = rate_on(values.lpr_1y, start.date()) if not pd.isna(start) else None
    lpr_missing: object = ""
    if not pd.isna(start) and lpr is None:
        lpr_missing = Said(
            "gap_loan_no_lpr",
            {"start": start.date().isoformat(), "first": values.shown(month)["lpr_from"]},
        )
    contract_rate = rate if isinstance(rate, Decimal) else None
    state_rate = (
        subsidy_rate(contract_rate, lpr.percent, values.margin)
        if contract_rate is not None and lpr is not None
        else None
    )
    amount = None
    basis = ""
    if capped is not None and state_rate is not None and days is not None:
        amount = month_interest(capped, state_rate, days)
        lpr_text = percent_text(lpr.percent / HUNDRED) if lpr is not None else ""
        shared = (
            f"（同一借款人本月另有{others}笔贷款，额度按放款日先后分配，在先贷款已占"
            f"{yuan_text(used or Decimal(0))}元）"
            if others
            else ""
        )
        basis = (
            f"本金{yuan_text(amount_principal or Decimal(0))}元，计息本金{yuan_text(capped)}元"
            f"{shared}；"
            f"利率{percent_text(contract_rate or Decimal(0))}，放款日{start.date().isoformat()}，"
            f"当日LPR{lpr_text}，贴息利率{percent_text(state_rate)}；"
            f"本月{days}天（到期{maturity.date().isoformat()}，贴息至{until}前）；"
            f"{yuan_text(capped)}×{percent_text(state_rate)}×{days}/360={amount}元"
        )
    return (
        capped,
        yuan_text(amount_principal) if amount_principal is not None else "",
        yuan_text(capped) if capped is not None else "",
        days,
        until,
        percent_text(contract_rate) if contract_rate is not None else "",
        percent_text(lpr.percent / HUNDRED) if lpr is not None else "",
        state_rate,
        percent_text(state_rate) if state_rate is not None else "",
        lpr_missing,
        amount,
        basis,
        share_missing,
    )
