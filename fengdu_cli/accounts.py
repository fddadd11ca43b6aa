"""Where each payee is paid: account number, bank (开户行) and holder (户名); the bank's list.

A bank pays accounts, not people.  A person (and a household: the person its line names)
is paid to the account the roster gives for that person (银行账号, 开户行, 户名 — the holder
is the person when no 户名 is given).  An organisation (employer, agency, workshop) is
paid to the account of its credit code in ``accounts/`` (单位收款账户), which takes
precedence, else in the list that names it (workshops/, businesses/, agencies/, bases/).

An account is taken only when it is a well-formed account (12–25 digits): one the reader
reported as damaged (stored by Excel as a number, digits lost: ``bad_number``) is not an
account, and the payee is listed as 缺少账户信息 — never guessed, never paid to an empty
account.  Nothing here is worded: the kind of list that should carry a missing account is
a code (``roster``, ``accounts``, ``workshops`` …).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy

from fengdu_cli import idcard
from fengdu_cli.townships import TOWNSHIPS

ACCOUNT_COLUMNS = ["account_no", "bank", "account_name"]
ACCOUNT_PATTERN = r"\d{12,25}"
ORG_PAYEES = frozenset({"employer", "agency", "workshop"})
# the lists an organisation's account may come from, in order of precedence: kind, code column
ORG_LISTS = (
    ("accounts", "employer_code", "org_name"),
    ("workshops", "employer_code", "workshop_name"),
    ("businesses", "business_code", "business_name"),
    ("agencies", "agency_code", "agency_name"),
    ("bases", "employer_code", "base_name"),
)
# one line per payee, as the bank file has them (amounts in fen)
BANK_COLUMNS = [
    "seq", "account_name", "account_no", "bank", "amount_fen", "persons", "payee_id",
    "summary", "rules", "batch_id", "payee_key",
]  # fmt: skip
MISSING_COLUMNS = [
    "payee_type", "payee_name", "payee_id", "township", "amount_fen", "persons", "rules",
    "where", "payee_key",
]  # fmt: skip
# the summary (摘要) a bank shows its payee: short (banks keep 20–30 characters); the
# programs paid are a column of their own (补贴项目)
SUMMARY = "{month}就业帮扶补贴"
_EMPTY = pd.DataFrame(columns=["key", *ACCOUNT_COLUMNS, "holder_id"])
# a 户编号 of the county: its code 500230 then 10 digits (township, village, household)
HOUSEHOLD_SHAPE = r"500230\d{10}"


def _text(values: pd.Series) -> pd.Series:
    as_object = values.astype(object)
    return as_object.where(as_object.notna(), "").astype(str).str.strip()


def _resident_id(value: str) -> bool:
    return len(value) == 18 and idcard.is_valid_checksum(value) and bool(idcard.birth_date(value))


def account_faults(frame: pd.DataFrame) -> pd.Series:
    """Why each row's ``bank_account`` cannot be paid to ('' when it can or is blank):
    ``lost`` (Excel stored it as a number: digits lost), ``shape`` (not 12–25 digits),
    ``id`` (the row's ID, or any valid resident ID: typed into the wrong column),
    ``household`` (the row's 户编号, or a number of the 户编号 shape)."""
    account = _text(frame["bank_account"])
    fault = pd.Series("", index=frame.index, dtype=object)
    digits = account.str.fullmatch(ACCOUNT_PATTERN).fillna(False).astype(bool)
    fault[account.ne("") & ~digits] = "shape"
    fault[account.str.contains(r"\d[eE]\+?\d", regex=True).fillna(False)] = "lost"
    own_id = _text(frame["id_number"]).eq(account) if "id_number" in frame else False
    distinct = account[digits & account.str.len().eq(18)].drop_duplicates()
    ids = set(distinct[distinct.map(_resident_id).astype(bool)])
    fault[digits & (account.isin(ids) | own_id)] = "id"
    household = account.str.fullmatch(HOUSEHOLD_SHAPE).fillna(False).astype(bool)
    if "household_id" in frame:
        household |= _text(frame["household_id"]).eq(account)
    fault[digits & fault.eq("") & household] = "household"
    return fault


def _accounts_of(
    frame: pd.DataFrame, key: str, name: str | None, *, every: bool = False
) -> pd.DataFrame:
    """key, account_no, bank, account_name, holder_id of the rows with a well-formed account
    (the first row per key; with ``every``, every row with a key, the account '' where it
    cannot be paid to); the holder defaults to the row's ``name`` column."""
    if key not in frame or not len(frame) or ("bank_account" not in frame and not every):
        return _EMPTY.copy()
    account = _text(frame["bank_account"]) if "bank_account" in frame else ""
    out = pd.DataFrame(
        {
            "key": _text(frame[key]),
            "account_no": account,
            "bank": _text(frame["bank"]) if "bank" in frame else "",
            "account_name": _text(frame["account_name"]) if "account_name" in frame else "",
        },
        index=frame.index,
    )
    out["holder_id"] = _text(frame["id_number"]) if "id_number" in frame else ""
    if name and name in frame:
        holder = _text(frame[name])
        out["account_name"] = out["account_name"].where(out["account_name"].ne(""), holder)
    usable = (
        account_faults(frame).eq("") & out["account_no"].ne("")
        if "bank_account" in frame
        else pd.Series(False, index=frame.index)
    )
    if every:
        for column in ACCOUNT_COLUMNS:
            out[column] = out[column].where(usable, "")
        return out[out["key"].ne("")].drop_duplicates("key").reset_index(drop=True)
    return out[out["key"].ne("") & usable].drop_duplicates("key").reset_index(drop=True)


def _org_key(frame: pd.DataFrame, kind: str, key: str) -> pd.Series:
    """Whom a row of an organisations' list pays: its credit code (upper case) — on an
    agencies/ row without one, the labour broker's ID (劳务经纪人身份证号)."""
    code = _text(frame[key]).str.upper()
    if kind == "agencies" and "broker_id" in frame:
        code = code.where(code.ne(""), _text(frame["broker_id"]).str.upper())
    return code


def org_accounts(lists: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every well-formed organisation account of the lists: ``key`` (credit code, or a
    broker's ID), ACCOUNT_COLUMNS and ``kind``, in ORG_LISTS' order of precedence (one row
    per key and distinct account within a list)."""
    found = []
    for kind, key, name in ORG_LISTS:
        frame = lists.get(kind)
        if frame is None or key not in frame or "bank_account" not in frame or not len(frame):
            continue
        keyed = frame.assign(_code=_org_key(frame, kind, key).to_numpy())
        usable = keyed["_code"].ne("") & account_faults(frame).eq("").to_numpy()
        usable &= _text(frame["bank_account"]).ne("").to_numpy()
        rows = keyed[usable]
        table = pd.DataFrame(
            {
                "key": rows["_code"],
                "account_no": _text(rows["bank_account"]),
                "bank": _text(rows["bank"]) if "bank" in rows else "",
                "account_name": _text(rows["account_name"]) if "account_name" in rows else "",
                "org_name": _text(rows[name]) if name in rows else "",
                "kind": kind,
            }
        )
        table["account_name"] = table["account_name"].where(
            table["account_name"].ne(""), table["org_name"]
        )
        found.append(table.drop_duplicates(["key", "account_no"]))
    if not found:
        return pd.DataFrame(columns=["key", *ACCOUNT_COLUMNS, "org_name", "kind"])
    return pd.concat(found, ignore_index=True)


def account_conflicts(lists: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The organisations (``key``) given different accounts, within one list or across
    lists: ``key``, ``kinds`` ('accounts、workshops'), ``accounts`` (how many)."""
    table = org_accounts(lists)
    spread = table.groupby("key")["account_no"].nunique()
    keys = spread[spread.gt(1)].index
    clash = table[table["key"].isin(keys)]
    kinds = clash.groupby("key")["kind"].agg(lambda k: "、".join(dict.fromkeys(k)))
    return pd.DataFrame(
        {"key": keys, "kinds": kinds.reindex(keys).to_numpy(), "accounts": spread[keys].to_numpy()}
    )


def with_accounts(lines: pd.DataFrame, lists: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``lines`` with ``account_no, bank, account_name`` ('' where unknown), ``account_list``
    (the kind of list that carries, or should carry, the payee's account: a kind,
    ``broker`` — the roster or agencies/ — or ``conflict`` when the lists give one
    organisation different accounts) and ``holder_id`` (whose account it is: a person's ID,
    the household member's its line names, an organisation's code).

    ``lists``: the valid rows per kind (``roster`` and any of ORG_LISTS' kinds)."""
    out = lines.copy()
    for column in ACCOUNT_COLUMNS:
        out[column] = ""
    out["account_list"] = "roster"
    out["holder_id"] = _text(out["person_id"]).where(
        _text(out["person_id"]).ne(""), _text(out["payee_id"])
    )
    if not len(out):
        return out
    org = out["payee_type"].isin(ORG_PAYEES).to_numpy()
    roster = lists.get("roster", pd.DataFrame())
    by_person = _accounts_of(roster, "id_number", "name").set_index("key")
    # a household is paid to the member its line names as payee (户主) and to no one else:
    # that member without an account leaves the household without one; a line naming the
    # household by a label (刘静户) is paid to its person
    household = out["payee_type"].eq("household").to_numpy()
    hit = np.zeros(len(out), dtype=bool)
    if household.any() and {"household_id", "name"} <= set(roster.columns):
        member = _accounts_of(
            roster.assign(_hh=_text(roster["household_id"]) + "|" + _text(roster["name"])),
            "_hh",
            "name",
            every=True,
        ).set_index("key")
        hh_key = (_text(out["payee_id"]) + "|" + _text(out["payee_name"])).to_numpy()
        hit = household & _among(hh_key, member.index.to_numpy())
        for column in [*ACCOUNT_COLUMNS, "holder_id"]:
            found = member[column].reindex(hh_key).to_numpy(dtype=object)
            out.loc[hit, column] = found[hit]
    person_key = _text(out["person_id"]).to_numpy()
    # a household whose named member is not found (renamed, left the roster) has no
    # account: never its person's (the student's), whom the line does not pay
    label = (_text(out["payee_name"]) == _text(out["person_name"]) + "户").to_numpy()
    still = ~org & ~hit & ~(household & ~label)
    for column in ACCOUNT_COLUMNS:
        found = by_person[column].reindex(person_key).to_numpy(dtype=object)
        out.loc[still, column] = np.where(pd.isna(found), "", found)[still]
    out["payee_township"] = _text(out["township"]) if "township" in out else ""
    if org.any():
        _org_accounts(out, org, lists, by_person)
    return out


def _among(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """``np.isin`` for text, by hashing: numpy compares object arrays element by element
    (lines × list length), which took minutes for a county's payees."""
    return pd.Series(values, dtype=object).isin(pool).to_numpy(dtype=bool)


def _org_accounts(
    out: pd.DataFrame, org: np.ndarray, lists: Mapping[str, pd.DataFrame], by_person: pd.DataFrame
) -> None:
    """Fill the organisations' (and labour brokers') accounts of ``out`` in place."""
    codes = _text(out["payee_id"]).str.upper().to_numpy()
    broker = org & pd.Series(codes).str.fullmatch(r"\d{17}[\dX]").to_numpy()
    named_in = pd.Series("accounts", index=out.index)
    for kind, key, _ in ORG_LISTS:
        frame = lists.get(kind)
        if kind == "accounts" or frame is None or key not in frame:
            continue
        # the list that names the organisation should carry its account
        listed = _among(codes, _org_key(frame, kind, key).to_numpy())
        named_in[org & listed & named_in.eq("accounts").to_numpy()] = kind
    named_in[broker] = "broker"  # a broker's account: the roster, or agencies/
    table = org_accounts(lists).drop_duplicates("key").set_index("key")
    conflicts = account_conflicts(lists)
    clash = org & _among(codes, conflicts["key"].to_numpy())
    hit = org & ~clash & _among(codes, table.index.to_numpy())
    for column in ACCOUNT_COLUMNS:
        values = table[column].reindex(codes).to_numpy(dtype=object)
        out.loc[hit, column] = values[hit]
    # a labour broker (劳务经纪人) is a person: the roster's account when no list has one
    from_roster = broker & ~hit & ~clash & _among(codes, by_person.index.to_numpy())
    for column in ACCOUNT_COLUMNS:
        values = by_person[column].reindex(codes).to_numpy(dtype=object)
        out.loc[from_roster, column] = values[from_roster]
    named_in[clash] = "conflict"
    # a broker's township is the broker's own (the roster's), not the worker's
    roster = lists.get("roster", pd.DataFrame())
    if broker.any():
        home = (
            pd.Series(_text(roster["township"]).to_numpy(), index=_text(roster["id_number"]))
            if {"township", "id_number"} <= set(roster.columns)
            else pd.Series(dtype=object)
        )
        home = home[~home.index.duplicated()]
        found = home.reindex(codes).fillna("").to_numpy(dtype=object)
        out.loc[broker, "payee_township"] = found[broker]
    out.loc[org, "account_list"] = named_in[org]
    # an organisation's holder is itself when its list names no 户名
    blank_name = org & _text(out["account_name"]).eq("").to_numpy() & (hit | from_roster)
    out.loc[blank_name, "account_name"] = _text(out["payee_name"])[blank_name]


def payee_key(lines: pd.DataFrame) -> pd.Series:
    """Who one bank line pays: an organisation by its credit code, a person or household by
    the person whose account it is (so a household's two payments to one person are one)."""
    org = lines["payee_type"].isin(ORG_PAYEES)
    return ("o:" + _text(lines["payee_id"]).str.upper()).where(
        org, "p:" + _text(lines["holder_id"])
    )


def bank_payees(
    lines: pd.DataFrame, month_text: str, programs: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bank's list (BANK_COLUMNS: one line per payee with an account, amounts summed in
    fen, the count of persons paid through it) and the payees without one (MISSING_COLUMNS).

    ``lines``: payment lines :func:`with_accounts` completed, with ``batch_id``;
    ``programs``: rule code → the name the summary (摘要) uses; ``month_text``: the month as
    the summary says it ('2024年6月').  Persons first (by township in the county's order,
    then name), then organisations (by name)."""
    if not len(lines):
        return pd.DataFrame(columns=BANK_COLUMNS), pd.DataFrame(columns=MISSING_COLUMNS)
    frame = lines.assign(
        _key=payee_key(lines).to_numpy(),
        _org=lines["payee_type"].isin(ORG_PAYEES).to_numpy(),
        _person=_text(lines["person_id"]).where(
            _text(lines["person_id"]).ne(""), _text(lines["payee_id"])
        ),
        _fen=lines["amount_fen"].astype("int64"),
    )
    grouped = frame.groupby("_key", sort=False)
    first = grouped.first()
    payees = pd.DataFrame(
        {
            "_org": first["_org"],
            "payee_type": first["payee_type"],
            "payee_name": first["payee_name"],
            "person_name": first["person_name"],
            "person_id": first["holder_id"],
            "payee_id_raw": first["payee_id"],
            "township": first["payee_township"] if "payee_township" in first else first["township"],
            "account_no": first["account_no"],
            "bank": first["bank"],
            "account_name": first["account_name"],
            "account_list": first["account_list"],
            "batch_id": first["batch_id"].astype(str) if "batch_id" in first else "",
            "amount_fen": grouped["_fen"].sum().astype("int64"),
            "persons": grouped["_person"].nunique().astype("int64"),
            "rules": _programs_of(frame, grouped, first.index, programs),
        }
    )
    # the payee's own number: a person's ID (a household's: its person's), an organisation's
    # credit code
    payees["payee_id"] = payees["payee_id_raw"].where(payees["_org"], payees["person_id"])
    person_name = payees["person_name"].where(payees["person_name"].ne(""), payees["payee_name"])
    payees["name"] = payees["payee_name"].where(
        payees["_org"] | payees["payee_type"].eq("household"), person_name
    )
    payees["account_name"] = payees["account_name"].where(
        payees["account_name"].ne(""), payees["name"]
    )
    rank = {name: i for i, name in enumerate(TOWNSHIPS)}
    payees["_rank"] = payees["township"].map(rank).fillna(len(TOWNSHIPS)).where(~payees["_org"], 0)
    payees = payees.sort_values(["_org", "_rank", "name", "payee_id"], kind="stable")
    payees["summary"] = SUMMARY.format(month=month_text)
    payees["payee_key"] = payees.index.astype(str)
    has = payees["account_no"].ne("")
    bank = payees[has].reset_index(drop=True)
    bank["seq"] = np.arange(1, len(bank) + 1)
    missing = payees[~has].reset_index(drop=True)
    missing["payee_name"] = missing["name"]
    missing["where"] = missing["account_list"]
    return bank[BANK_COLUMNS], missing[MISSING_COLUMNS]


def _programs_of(
    frame: pd.DataFrame, grouped: DataFrameGroupBy, payees: pd.Index, programs: Mapping[str, str]
) -> pd.Series:
    """Per payee (``_key``, as ``grouped``): the programs its lines pay, named as ``programs``
    names them and in its order, joined by '、'.

    Where every rule is one of ``programs`` the distinct rules of a payee are a set of bit
    positions (their sum: each distinct rule once) and each distinct set is worded once;
    otherwise (a rule ``programs`` lacks: its place is not defined) payee by payee."""
    order = {code: i for i, code in enumerate(programs)}
    rules = frame["rule"]
    if len(order) > 62 or not rules.isin(list(order)).all():
        return grouped["rule"].agg(
            lambda r: "、".join(
                programs.get(c, c) for c in sorted(set(r), key=lambda c: order.get(c, 99))
            )
        )
    names = [programs[code] for code in order]
    pairs = frame[["_key", "rule"]].drop_duplicates()
    bits = pd.Series(
        np.left_shift(np.int64(1), pairs["rule"].map(order).to_numpy(dtype="int64")),
        index=pairs.index,
    )
    sets = bits.groupby(pairs["_key"], sort=False).sum()
    words = {
        mask: "、".join(name for i, name in enumerate(names) if mask >> i & 1)
        for mask in sets.unique().tolist()
    }
    return sets.map(words).reindex(payees)


def bank_items(lines: pd.DataFrame) -> pd.DataFrame:
    """The payment lines (``rule``, ``key``) a bank list pays, each with the bank line that
    pays it (``payee_key``) and its amount: the lines with an account of ``lines``
    (:func:`with_accounts` completed), as the ledger records them."""
    paid = lines[_text(lines["account_no"]).ne("").to_numpy()]
    return pd.DataFrame(
        {
            "rule": _text(paid["rule"]).to_numpy(),
            "key": _text(paid["key"]).to_numpy(),
            "payee_key": payee_key(paid).to_numpy(),
            "amount_fen": paid["amount_fen"].astype("int64").to_numpy(),
        }
    )


def bank_record(bank: pd.DataFrame) -> pd.DataFrame:
    """The bank lines (BANK_COLUMNS) as the ledger records them
    (:data:`fengdu_cli.store.ledger.BANK_LINE_COLUMNS`): the batch id written is ``line_batch``."""
    return bank.rename(columns={"batch_id": "line_batch"}).reset_index(drop=True)


def bank_from_record(recorded: pd.DataFrame) -> pd.DataFrame:
    """Recorded bank lines as the bank's list (BANK_COLUMNS), in their recorded order."""
    out = recorded.rename(columns={"line_batch": "batch_id"}).reset_index(drop=True)
    for column in ("amount_fen", "persons", "seq"):
        out[column] = out[column].astype("int64")
    for column in BANK_COLUMNS:
        if column not in out:
            out[column] = ""
        elif out[column].dtype == object:
            out[column] = out[column].fillna("")
    return out[BANK_COLUMNS]


def unused_accounts(lines: pd.DataFrame, accounts: pd.DataFrame | None) -> pd.DataFrame:
    """The rows of ``accounts/`` (valid rows) whose credit code is no organisation payee of
    ``lines``: a mistyped code leaves its organisation without an account, so they are
    shown (``employer_code``, ``org_name``)."""
    if accounts is None or "employer_code" not in accounts or not len(accounts):
        return pd.DataFrame(columns=["employer_code", "org_name"])
    paid = set(_text(lines.loc[lines["payee_type"].isin(ORG_PAYEES), "payee_id"]).str.upper())
    codes = _text(accounts["employer_code"]).str.upper()
    rows = accounts[~codes.isin(paid).to_numpy()]
    names = _text(rows["org_name"]) if "org_name" in rows else pd.Series("", index=rows.index)
    return pd.DataFrame(
        {"employer_code": codes[~codes.isin(paid)].to_numpy(), "org_name": names.to_numpy()}
    ).drop_duplicates("employer_code")
