"""公益性岗位补贴 (public_post) — paid to the post holder, per person and month.

Notice 二(五): “优先吸纳安置有劳动能力和就业意愿的脱贫人员、边缘易致贫人员，尤其是弱劳力、半劳力就业；
…严格落实‘按需设岗、以岗聘任、在岗领补、有序退岗’工作要求…对已安置的在岗人员及时签订劳动合同或劳务协议，
期限不得超过1年，并购买人身意外伤害保险，按规定兑现公益性岗位补贴和社保补贴；对不符合条件的在岗人员及时退出岗位。”
(三(三)3 asks for more posts in the key townships.)  The amounts are “按规定”: the bundled
policy leaves them 未配置.

One candidate per row of the posts/ list (a holder, a post).  Conditions, in order:

- the holder is on the roster (the notice's 脱贫人员、边缘易致贫人员 are the roster's people);
- able to work (普通 / 技能 / 弱劳动力或半劳动力 — the notice prefers 弱劳力、半劳力);
- 在岗: the contract (劳动合同或劳务协议) is in force at the end of m (starts by the last
  day of m, ends on it or later);
- 期限不得超过1年: the contract ends no later than the day before its start's anniversary
  (``max_contract_months`` later; 本工具的理解：起止日均计入，2024-01-01 起的合同最晚
  2024-12-31 止，2025-01-01 止即“一年零一天”，超过 1 年；2 月 29 日起的合同最晚次年 2 月 28 日止);
- 人身意外伤害保险 bought (是 / 已购买 / ✓ …; a blank or missing column is 无法判断);
- not stably employed elsewhere: 本工具的理解 — no employer other than the post's
  用工单位 (its credit code on the list; when the list gives none, any employer) insured
  the holder in each of the ``elsewhere_insured_months`` months up to m;
- the post subsidy can be set: the list's 岗位补贴标准, at most ``amount_max``; else the
  policy's ``amount``;
- the 社保补贴 can be computed: 本工具的理解 — the holder's own part (``insurance_share``) of
  the ``insurance_types`` contributions of m by the post's 用工单位 (any employer when the
  list gives no credit code), refunds netted; none is 0 yuan;
- one post subsidy per person and month (the first of their rows that qualifies).

The exit list (有序退岗, :func:`exits`) names the holders who break a rule that a post
cannot be kept with: contract over the limit, no accident insurance, not on the roster,
not able to work, stably employed elsewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps
from fengdu_cli.match import consecutive_months
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import PublicPostValues
from fengdu_cli.rules.base import Condition, Context, finish, person_columns, person_unknowns
from fengdu_cli.rules.facts import first_reasons, is_able_to_work, share_fen, text_column

CODE = "public_post"
NEEDS: tuple[str, ...] = ("posts",)
VALUES = PublicPostValues
CONTRACT = ("posts.contract_start", "posts.contract_end")
CONDITIONS: tuple[Condition, ...] = (
    Condition("roster", "cond_public_post_roster"),
    Condition("able", "cond_public_post_able", ("roster.labor_capacity",)),
    Condition("contract", "cond_public_post_contract", CONTRACT),
    Condition("term", "cond_public_post_term", CONTRACT, fact="fact_contract_limit"),
    Condition("accident", "cond_public_post_accident", ("posts.accident_insurance",)),
    Condition("elsewhere", "cond_public_post_elsewhere"),
    Condition("standard", "cond_public_post_standard", ("posts.subsidy_amount",), "fact_yuan"),
    Condition(
        "insurance",
        "cond_public_post_insurance",
        ("insurance.personal_amount", "insurance.insurance_type"),
        "fact_yuan",
    ),
    Condition("one_post", "cond_public_post_one_post"),
)
# The broken rules that end a holder's post (有序退岗), in the order the exit list names them.
EXIT_CONDITIONS = ("roster", "able", "term", "accident", "elsewhere")
# Broken rules a township can put right (a new contract, the insurance bought) before the
# holder has to leave; any other one means leaving the post.
CURABLE = frozenset({"term", "accident"})
EXIT_COLUMNS = [
    "township", "village", "person_id", "person_name", "post_name", "employer_name",
    "contract", "reasons", "advice",
]  # fmt: skip


def contract_limit(start: pd.Series, months: int) -> pd.Series:
    """The last day a contract that starts on ``start`` may end and last at most ``months``
    months, both days counted: the day before the same date ``months`` later (2024-01-01 →
    2024-12-31); when that date does not exist, the last day of its month (2024-02-29 →
    2025-02-28)."""
    start = pd.to_datetime(start)
    shifted = start + pd.DateOffset(months=months)
    clipped = shifted.dt.day != start.dt.day
    return shifted.where(clipped, shifted - pd.Timedelta(days=1))


def evaluate(ctx: Context, values: PublicPostValues) -> pd.DataFrame:
    posts = ctx.extra["posts"].reset_index(drop=True)
    state = ctx.state
    people = state.set_index("id_number")
    ids = posts["id_number"].astype(str)
    on_roster = ids.isin(people.index)
    window = ctx.window

    listed = pd.DataFrame(
        {
            "person_id": ids,
            "person_name": _text(posts, "name"),
            "township": _text(posts, "township"),
            "village": "",
            "household_id": "",
        }
    )
    roster = person_columns(people.reindex(ids).reset_index())
    out = listed.copy()
    for column in ("township", "village", "household_id"):  # the list's township first
        mine = out[column].astype(str)
        out[column] = mine.where(mine.ne(""), roster[column].fillna("").astype(str))
    named = roster["person_name"].fillna("").astype(str)
    out["person_name"] = named.where(on_roster & named.ne(""), out["person_name"])
    out["post_name"] = _text(posts, "post_name")
    out["employer_name"] = _text(posts, "employer_name")
    post_code = _text(posts, "employer_code").str.upper()

    out["c_roster"] = on_roster.to_numpy()
    out["v_roster"] = np.where(on_roster, text_column(people.reindex(ids), "category"), "")
    out["f_roster"] = np.where(on_roster, "", "fact_not_on_roster").astype(object)
    able = is_able_to_work(people.reindex(ids).reset_index())
    out["c_able"] = (on_roster & able).to_numpy()
    out["v_able"] = text_column(people.reindex(ids).reset_index(), "labor_capacity").to_numpy()

    start = _dates(posts, "contract_start")
    end = _dates(posts, "contract_end")
    limit = contract_limit(start, values.max_contract_months)
    # a span of dates in either language: data, not words
    shown = (
        start.dt.strftime("%Y-%m-%d").fillna("?") + " – " + end.dt.strftime("%Y-%m-%d").fillna("?")
    )
    out["contract"] = shown.to_numpy()
    out["c_contract"] = ((start <= window.last) & (end >= window.last)).fillna(False).to_numpy()
    out["v_contract"] = shown.to_numpy()
    out["c_term"] = (end <= limit).fillna(False).to_numpy()
    out["v_term"] = shown.to_numpy()
    out["v_term__limit"] = limit.dt.strftime("%Y-%m-%d").fillna("?").to_numpy()
    bought = posts.get("accident_insurance")
    out["c_accident"] = (
        bought.map(lambda v: v is True).astype(bool).to_numpy()
        if bought is not None
        else np.zeros(len(posts), dtype=bool)
    )
    out["v_accident"] = (
        _text(posts, "_raw_accident_insurance").to_numpy() if bought is not None else ""
    )

    run, by = _insured_elsewhere(ctx, ids, post_code, values.elsewhere_insured_months)
    out["c_elsewhere"] = (run < values.elsewhere_insured_months).to_numpy()
    out["v_elsewhere"] = run.astype(str).to_numpy()
    out["v_elsewhere__employer"] = by.to_numpy()
    out["f_elsewhere"] = np.where(run > 0, "fact_insured_by", "fact_not_insured").astype(object)

    post_fen, standard_unknown, standard_from = _standard(posts, values)
    out["c_standard"] = post_fen.notna().to_numpy()
    out["v_standard"] = (post_fen / 100).map("{:.2f}".format).where(post_fen.notna()).to_numpy()
    insurance_fen, insurance_unknown = _insurance(ctx, ids, post_code, values)
    out["c_insurance"] = True
    out["v_insurance"] = (insurance_fen / 100).map("{:.2f}".format).to_numpy()

    unknown = person_unknowns(state, CONDITIONS, ids)
    unknown["contract"] = _row_reasons(posts, ("contract_start", "contract_end"))
    unknown["term"] = unknown["contract"]
    unknown["accident"] = _row_reasons(posts, ("accident_insurance",))
    unknown["standard"] = standard_unknown
    unknown["insurance"] = insurance_unknown
    # one post subsidy per person and month: the first row of theirs that can still be paid
    hopeful = pd.Series(True, index=out.index)
    for cond in CONDITIONS[:-1]:
        reason = unknown.get(cond.name)
        pending = (
            ~gaps.known(pd.Series(reason, index=out.index, dtype=object))
            if reason is not None
            else False
        )
        hopeful &= out[f"c_{cond.name}"].astype(bool) | pending
    first = ~ids.where(hopeful, None).duplicated() | ~hopeful | ids.where(hopeful).isna()
    out["c_one_post"] = first.to_numpy()
    out["v_one_post"] = out["post_name"]

    total = post_fen.fillna(0).astype("int64") + insurance_fen.astype("int64")
    out["payee_type"] = "person"
    out["payee_id"] = ids.to_numpy()
    out["payee_name"] = out["person_name"]
    out["amount_fen"] = total.to_numpy()
    out["key_base"] = ids.to_numpy()
    out["identities"] = ids.to_numpy()
    employer = out["employer_name"].astype(str)
    out["basis"] = (
        out["post_name"].astype(str)
        + np.where(employer.ne(""), "（" + employer + "）", "")
        + "，合同"
        + shown
        + "；岗位补贴"
        + out["v_standard"].astype(str)
        + "元（"
        + standard_from
        + "）+社保补贴"
        + out["v_insurance"].astype(str)
        + "元"
    )
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)


def exits(frame: pd.DataFrame) -> pd.DataFrame:
    """The exit list (有序退岗) from ``evaluate``'s frame: one row per holder who breaks a
    rule a post cannot be kept with — the broken rules as ``reasons`` (a tuple of Said, in
    EXIT_CONDITIONS order) and ``advice`` (退出岗位, or 限期整改 when every broken rule can be
    put right) — sorted by township and name.  A rule that cannot be judged is not broken:
    such holders are on the 无法判断 list instead."""
    broken = pd.DataFrame(index=frame.index)
    for name in EXIT_CONDITIONS:
        known = gaps.known(frame[f"u_{name}"]) if f"u_{name}" in frame else True
        fails = ~frame[f"c_{name}"].astype(bool) & known
        if name == "able":  # not on the roster: its labour capacity is not known
            fails &= frame["c_roster"].astype(bool)
        broken[name] = fails
    hit = broken.any(axis=1)
    rows = frame[hit]
    if rows.empty:
        return pd.DataFrame(columns=EXIT_COLUMNS)
    found = broken[hit]
    reasons = [
        tuple(_exit_reason(name, row) for name in EXIT_CONDITIONS if flags[name])
        for (_, flags), (_, row) in zip(found.iterrows(), rows.iterrows(), strict=True)
    ]
    curable = found.apply(lambda f: set(f[f].index) <= CURABLE, axis=1)
    out = rows.reindex(columns=EXIT_COLUMNS[:-2]).fillna("").astype(object)
    out["reasons"] = gaps.objects(reasons, out.index)
    advice = [Said("exit_advice_fix") if fix else Said("exit_advice_leave") for fix in curable]
    out["advice"] = gaps.objects(advice, out.index)
    # one row per holder: a holder listed twice (two posts) is named with each post
    out = out.drop_duplicates(["person_id", "post_name", "contract"])
    return out.sort_values(["township", "person_name", "person_id"], kind="stable").reset_index(
        drop=True
    )


def _exit_reason(name: str, row: pd.Series) -> Said:
    params = {
        "roster": {},
        "able": {"value": row.get("v_able", "")},
        "term": {"value": row.get("v_term", ""), "limit": row.get("v_term__limit", "")},
        "accident": {"value": row.get("v_accident", "") or "否"},
        "elsewhere": {
            "value": row.get("v_elsewhere", ""),
            "employer": row.get("v_elsewhere__employer", ""),
        },
    }[name]
    return Said(f"exit_reason_{name}", params)


# ---------------------------------------------------------------- facts of the list


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str)


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column])


def _row_reasons(posts: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Per row: why one of ``columns`` is unknown (a tuple of Said), '' when all are known."""
    out = pd.Series("", index=posts.index, dtype=object)
    for column in columns:
        said = gaps.reasons(posts, "posts", column)
        pending = ~gaps.known(said)
        if pending.any():
            joined = [
                (*(before or ()), s) for before, s in zip(out[pending], said[pending], strict=True)
            ]
            out[pending] = gaps.objects(joined, out.index[pending])
    return out.to_numpy(dtype=object)


def _standard(
    posts: pd.DataFrame, values: PublicPostValues
) -> tuple[pd.Series, np.ndarray, pd.Series]:
    """Per row: the post subsidy in fen (NaN when it cannot be set), why not, and where it
    comes from (the words ``basis`` uses)."""
    policy_fen = to_fen(values.amount) if values.amount is not None else None
    cap = to_fen(values.amount_max) if values.amount_max is not None else None
    listed = (
        pd.to_numeric(posts["subsidy_amount"], errors="coerce")
        if "subsidy_amount" in posts
        else pd.Series(np.nan, index=posts.index)
    )
    listed_fen = (listed * 100).round()
    cause = (
        posts[gaps.gap_column("subsidy_amount")].fillna("")
        if gaps.gap_column("subsidy_amount") in posts
        else pd.Series("", index=posts.index)
    )
    said = gaps.reasons(posts, "posts", "subsidy_amount")
    # a standard of 0 or less is no standard (normalise already blanks it as bad_number)
    unreadable = cause.isin(("bad_value", "ambiguous")) | (listed <= 0)
    fen = listed_fen.where(~unreadable)
    source = pd.Series("名单标准", index=posts.index, dtype=object)
    fallback = fen.isna() & ~unreadable
    if policy_fen is not None:
        fen = fen.where(~fallback, float(policy_fen))
        source = source.where(~fallback, "政策标准")
    if cap is not None:
        over = fen > cap
        fen = fen.where(~over, float(cap))
        source = source.where(~over, "名单标准超过上限，按上限")
    why = pd.Series("", index=posts.index, dtype=object)
    missing = fen.isna()
    if missing.any():
        no_standard = Said("gap_public_post_no_standard")
        why[missing] = gaps.objects(
            [s if isinstance(s, Said) else no_standard for s in said[missing]],
            why.index[missing],
        )
    return fen, why.to_numpy(dtype=object), source


def _insured_elsewhere(
    ctx: Context, ids: pd.Series, post_code: pd.Series, months: int
) -> tuple[pd.Series, pd.Series]:
    """Per row: the longest run of months up to m in which one employer other than the
    post's (any employer when the list gives no code) insured the holder, and that employer."""
    first = dates.add_months(ctx.month, -(months - 1))
    ins = _insurance_rows(ctx, ids)
    ins = ins[(ins["period"] >= first) & (ins["period"] <= ctx.month)]
    holders = pd.DataFrame({"row": ids.index, "id_number": ids, "post_code": post_code})
    pairs = holders.merge(ins[["id_number", "employer_code", "period"]], on="id_number")
    pairs = pairs[pairs["post_code"].eq("") | pairs["employer_code"].ne(pairs["post_code"])]
    runs = consecutive_months(pairs, ["row", "employer_code"], ctx.month).rename("run")
    if runs.empty:
        zero = pd.Series(0, index=ids.index, dtype="int64")
        return zero, pd.Series("", index=ids.index, dtype=object)
    best = (
        runs.reset_index()
        .sort_values(["row", "run"], ascending=[True, False])
        .drop_duplicates("row")
    )
    best = best.set_index("row")
    names = _names(ins)
    run = best["run"].reindex(ids.index).fillna(0).astype("int64")
    by = best["employer_code"].map(lambda c: names.get(c, c)).reindex(ids.index).fillna("")
    return run, by.astype(object)


def _insurance(
    ctx: Context, ids: pd.Series, post_code: pd.Series, values: PublicPostValues
) -> tuple[pd.Series, np.ndarray]:
    """Per row: the 社保补贴 in fen (the share and types of the policy, month m, the post's
    employer or any), and why it cannot be known ('' when it can)."""
    ins = _insurance_rows(ctx, ids)
    ins = ins[ins["period"].eq(ctx.month)]
    fen, why = share_fen(ins, values.insurance_types, values.insurance_share)
    ins = ins.assign(_fen=fen, _why=why)
    holders = pd.DataFrame({"row": ids.index, "id_number": ids, "post_code": post_code})
    pairs = holders.merge(ins[["id_number", "employer_code", "_fen", "_why"]], on="id_number")
    pairs = pairs[pairs["post_code"].eq("") | pairs["employer_code"].eq(pairs["post_code"])]
    total = pairs.groupby("row")["_fen"].sum().reindex(ids.index).fillna(0).astype("int64")
    total = total.clip(lower=0)
    reasons = first_reasons(pairs["_why"], pairs["row"]).reindex(ids.index).fillna("")
    return total, reasons.to_numpy(dtype=object)


def _insurance_rows(ctx: Context, ids: pd.Series) -> pd.DataFrame:
    """The holders' contributed insurance rows (any employer; holders need not be on the
    roster), with an integer period."""
    ins = ctx.insurance
    ins = ins[ins["id_number"].isin(set(ids)) & ins["period"].notna()].copy()
    ins["period"] = ins["period"].astype("int64")
    return ins


def _names(ins: pd.DataFrame) -> dict[str, str]:
    if "employer_name" not in ins:
        return {}
    named = ins[ins["employer_name"].fillna("").astype(str).ne("")]
    first = named.drop_duplicates("employer_code")
    return dict(
        zip(first["employer_code"].astype(str), first["employer_name"].astype(str), strict=True)
    )
