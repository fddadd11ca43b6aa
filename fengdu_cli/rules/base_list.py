"""What the rules paying a base of bases/ share: which rows are candidates, recognition,
and who is paid.

bases/ lists 就业帮扶基地, 创业孵化基地（园区） and 就业服务超市, one row each.  A rule looks at
the rows of its type, and at the rows whose type cannot be told (a blank or unknown 类型 and
a name that does not say it either): those are 无法判断, never left out.  A base is paid as an
organisation by its unified social credit code (GB 32100: shape and check character); a
row without a valid one fails ``payee`` (never dropped), the fact naming what was typed.  A
base listed twice is paid once (:func:`once_listed`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from fengdu_cli import gaps, idcard
from fengdu_cli.idcard import shown_name
from fengdu_cli.messages import Said
from fengdu_cli.normalise import BASE_TYPE_CHOICES, base_type, credit_check_ok, is_credit_code
from fengdu_cli.rules.base import Condition, Context, HistoryKeyError
from fengdu_cli.rules.facts import text_column


def type_condition(code: str) -> Condition:
    return Condition("type", f"cond_{code}_type", ("bases.base_type",))


RECOGNISED = Condition("recognised", "cond_base_recognised", ("bases.recognised_date",))
PAYEE = Condition("payee", "cond_base_payee")


def candidates(ctx: Context, wanted: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the rows of type ``wanted`` or of a type that cannot be told, the rule's frame started
    with the type, recognition and payee conditions and their unknowns as ``u_…`` lists).

    A 类型 the list does not give (blank, no column, unknown word) is taken from the name
    when the name says it (…就业服务超市, …孵化基地).
    """
    bases = ctx.extra["bases"].reset_index(drop=True)
    typed = text_column(bases, "base_type").astype(str)
    from_name = text_column(bases, "base_name").astype(str).map(base_type)
    kind = typed.where(typed.isin(BASE_TYPE_CHOICES), from_name)
    kind = kind.where(kind.isin(BASE_TYPE_CHOICES), "")
    rows = bases[kind.eq(wanted) | kind.eq("")].copy()
    rows["_type"] = kind[rows.index]
    rows = rows.reset_index(drop=True)
    for column in ("base_name", "employer_code", "township", "village"):
        rows[column] = text_column(rows, column).astype(str)

    out = pd.DataFrame(index=rows.index)
    out["person_id"] = ""
    out["person_name"] = ""
    out["township"] = rows["township"].to_numpy()
    out["village"] = rows["village"].to_numpy()
    out["household_id"] = ""
    out["c_type"] = rows["_type"].eq(wanted).to_numpy()
    typed_rows = text_column(rows, "_raw_base_type" if "_raw_base_type" in rows else "base_type")
    out["v_type"] = typed_rows.astype(str).to_numpy()
    out["_u_type"] = _type_unknown(rows)

    window = ctx.window
    recognised = pd.Series(True, index=rows.index)
    if "recognised_date" in rows:
        recognised &= rows["recognised_date"].isna() | (rows["recognised_date"] <= window.last)
    if "valid_until" in rows:
        recognised &= rows["valid_until"].isna() | (rows["valid_until"] >= window.first)
    out["c_recognised"] = recognised.fillna(False).to_numpy(dtype=bool)
    out["v_recognised"] = _day(rows, "recognised_date")
    out["v_recognised__until"] = _day(rows, "valid_until")
    out["f_recognised"] = np.select(
        [out["v_recognised"].eq(""), out["v_recognised__until"].ne("")],
        ["fact_recognised_blank", "fact_recognised_until"],
        "fact_recognised",
    ).astype(object)
    out["_u_recognised"] = gaps.reasons(rows, "bases", "recognised_date").to_numpy(dtype=object)

    code = rows["employer_code"]
    valid = code.map(credit_check_ok).astype(bool)
    out["c_payee"] = valid.to_numpy()
    out["v_payee"] = code.map(idcard.mask_in_text).to_numpy(dtype=object)
    out["f_payee"] = np.where(code.ne("") & ~valid, "fact_credit_code_invalid", "").astype(object)
    out["payee_type"] = "employer"
    out["payee_id"] = code.where(valid, "").to_numpy()
    out["payee_name"] = rows["base_name"].to_numpy()
    out["employer_code"] = code.where(valid, "").to_numpy()
    out["base_name"] = rows["base_name"].to_numpy()
    return rows, out


def unknowns(out: pd.DataFrame) -> dict[str, object]:
    """The unknowns :func:`candidates` found, as ``finish`` takes them (and off the frame)."""
    found = {name: out.pop(f"_u_{name}").to_numpy(dtype=object) for name in ("type", "recognised")}
    return dict(found)


def identity(prefix: str, rows: pd.DataFrame) -> np.ndarray:
    """'<prefix>:<credit code>', or '<prefix>:<name>@<township><village>' without a valid
    code (such a row is not paid: the key only tells its listings apart)."""
    code = rows["employer_code"].astype(str)
    valid = code.map(credit_check_ok).astype(bool)
    place = rows["base_name"].astype(str) + "@" + rows["township"] + rows["village"]
    return (prefix + ":" + code.where(valid, place)).to_numpy(dtype=object)


def once_listed(out: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """One line per organisation: rows of the rule's frame (after ``finish``) with the same
    ``key_base`` (the same credit code; without a valid one, the same name and place) are one
    base listed twice.  Of the copies that qualify or cannot be judged, the first that
    qualifies (else the first) is kept; every other such copy fails “同一单位在名单中重复列出
    （与{file}第{row}行相同）”.  A copy that fails a condition of its own keeps that reason."""
    keys = out["key_base"].astype(str).to_numpy()
    eligible = out["eligible"].astype(bool)
    open_ = eligible | out["undetermined"].astype(bool)
    order = pd.Series(np.arange(len(out)), index=out.index)
    rank = order.where(~eligible, order - len(out)).where(open_, order + len(out))
    keeper = rank.groupby(keys).transform("idxmin")
    twice = open_ & keeper.ne(out.index.to_series())
    if not twice.any():
        return out
    files = rows["_file"].astype(str) if "_file" in rows else pd.Series("", index=rows.index)
    lines = rows["_row"] if "_row" in rows else pd.Series(0, index=rows.index)
    said = [
        Said("cond_base_listed_twice", {"file": shown_name(files[k]), "row": int(lines[k])})
        for k in keeper[twice]
    ]
    out["eligible"] = eligible & ~twice
    out["undetermined"] = out["undetermined"].astype(bool) & ~twice
    out.loc[twice, "unknown"] = ""
    out.loc[twice, "failed"] = gaps.objects(said, out.index[twice])
    return out


def history_identity(prefix: str, row: Mapping[str, object]) -> tuple[str, str]:
    """(key_base, identities) of a past payment to a base, as :func:`identity` keys the rule's
    own lines: '<prefix>:<credit code>', the code from the row's ``payee_id`` (``ledger
    import`` puts the checked code there).  A row without a code is refused
    (HistoryKeyError): a base is paid by its code only, so a name says nothing the rule pays."""
    code = "".join(str(row.get("payee_id") or "").split()).upper()
    if not is_credit_code(code):
        raise HistoryKeyError(Said("import_no_credit"))
    token = f"{prefix}:{code}"
    return token, token


def _type_unknown(rows: pd.DataFrame) -> np.ndarray:
    """Why the type of a row cannot be told ('' where it can): the column's reason, else
    a blank cell."""
    said = gaps.reasons(rows, "bases", "base_type")
    blank = rows["_type"].eq("") & gaps.known(said)
    if blank.any():
        raw = text_column(rows, "base_type")
        said[blank] = gaps.objects(
            [
                gaps.reason("bases", "base_type", "blank", f, s, r, v)
                for f, s, r, v in zip(
                    rows.loc[blank, "_file"],
                    rows.loc[blank, "_sheet"],
                    rows.loc[blank, "_row"],
                    raw[blank],
                    strict=True,
                )
            ],
            said.index[blank],
        )
    shown: np.ndarray = said.where(rows["_type"].eq(""), "").to_numpy(dtype=object)
    return shown


def _day(rows: pd.DataFrame, column: str) -> np.ndarray:
    if column not in rows:
        return np.full(len(rows), "", dtype=object)
    shown: np.ndarray = rows[column].dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
    return shown
