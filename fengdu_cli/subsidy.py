"""``subsidy``: the month's payment lines from the policy, the reconciled state and the ledger.

For every rule of the policy, in order: say why it is skipped (expired, not yet in
force, amount not configured, not computed by this tool, data folder missing) or
evaluate it; then drop what an earlier committed month already paid (one-time and
once-a-year keys) and what passed a cap (36 months of ``workshop_monthly``).  A month
that is already committed reproduces its committed list exactly; ``--commit`` records
a new month's lines in one transaction.  Money is integer fen throughout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, gaps, input_cache, store
from fengdu_cli.accounts import bank_items, bank_payees, bank_record, with_accounts
from fengdu_cli.errors import UsageError
from fengdu_cli.idcard import ages
from fengdu_cli.io.columns import EXTRA_KINDS, FOLDERS
from fengdu_cli.io.columns_toml import ColumnsConfig, columns_for
from fengdu_cli.io.write import Staging
from fengdu_cli.match import Matched, as_of, contributed, match, person_state
from fengdu_cli.messages import LANGS, Said, has, month_words, text
from fengdu_cli.policy import (
    EXPIRED,
    NOT_CONFIGURED,
    NOT_YET,
    RULE_CODES,
    Period,
    Policy,
    RuleValues,
    ValuesError,
    load_policy,
)
from fengdu_cli.policy.schema import typed_values
from fengdu_cli.progress import Progress, report
from fengdu_cli.reconcile import log_checked, read_inputs
from fengdu_cli.rules import IMPLEMENTED, public_post
from fengdu_cli.rules.base import LINE_COLUMNS, Context, key_suffix, period_text
from fengdu_cli.store import ledger
from fengdu_cli.validate import Checked

UNDETERMINED_COLUMNS = [
    "rule", "rule_name", "township", "village", "household_id", "person_id", "person_name",
    "payee_name", "reason",
]  # fmt: skip
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evaluation:
    """One rule's evaluation this month: every candidate row, the period in force (with
    its ``source``) and its typed values, and those values as the conditions word them."""

    code: str
    frame: pd.DataFrame  # evaluate() output + key, period, paid_before, capped, outcome
    values: RuleValues
    period: Period
    shown: Mapping[str, object]  # values.shown(month): defaults and derived dates filled in


@dataclass(frozen=True)
class SubsidyResult:
    """The month's payment lines and how they came about."""

    month: int
    policy: Policy
    lines: pd.DataFrame  # LINE_COLUMNS + rule_name, batch_id
    computed: tuple[str, ...]  # rules computed this month, in policy order
    skipped: dict[str, Skip]
    batch_id: str
    committed: bool  # the lines are (now) in the ledger
    newly_committed: bool  # this run recorded them
    evaluations: dict[str, Evaluation] = field(default_factory=dict)
    checked: dict[str, Checked] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # file → sha256
    differences: int = 0  # committed month re-run: lines that would differ now
    history_missing: bool = False  # a trial on a ledger that knows nothing paid before
    # public posts' exit list (有序退岗) when posts/ was read: public_post.EXIT_COLUMNS
    post_exits: pd.DataFrame | None = None

    def totals_fen(self) -> dict[str, int]:
        sums = self.lines.groupby("rule")["amount_fen"].sum() if len(self.lines) else pd.Series()
        return {code: int(sums.get(code, 0)) for code in self.computed}

    def counts(self) -> dict[str, int]:
        sizes = self.lines.groupby("rule").size() if len(self.lines) else pd.Series()
        return {code: int(sizes.get(code, 0)) for code in self.computed}

    def grand_total_fen(self) -> int:
        return int(sum(self.totals_fen().values()))

    def undetermined(self) -> pd.DataFrame:
        """Candidates a rule could not judge (a needed fact unknown), not paid before:
        UNDETERMINED_COLUMNS, in policy order, then township and name."""
        frames = []
        for code, ev in self.evaluations.items():
            frame = ev.frame
            if "undetermined" not in frame:
                continue
            rows = frame[frame["undetermined"] & frame["paid_before"].eq("") & ~frame["capped"]]
            if len(rows):
                frames.append(
                    rows.assign(rule=code, rule_name=self.policy.rule(code).name)[
                        [*UNDETERMINED_COLUMNS[:-1], "unknown"]
                    ].rename(columns={"unknown": "reason"})
                )
        if not frames:
            return pd.DataFrame(columns=UNDETERMINED_COLUMNS)
        out = pd.concat(frames, ignore_index=True).fillna("")
        return (
            out.sort_values(["township", "person_name"], kind="stable")
            .sort_values(
                "rule", key=lambda s: s.map({c: i for i, c in enumerate(RULE_CODES)}), kind="stable"
            )
            .reset_index(drop=True)
        )

    @property
    def accounts_known(self) -> bool:
        """Were the lists that carry accounts read (the roster at least)?"""
        return "roster" in self.checked

    def paid_lines(self) -> pd.DataFrame:
        """The lines with each payee's account (:func:`fengdu_cli.accounts.with_accounts`)."""
        return with_accounts(self.lines, {k: c.valid for k, c in self.checked.items()})

    def bank(self, lines: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The bank's list (one line per payee with an account) and the payees without one
        (:func:`fengdu_cli.accounts.bank_payees`); ``lines``: :meth:`paid_lines` if known."""
        lines = self.paid_lines() if lines is None else lines
        order = {code: i for i, code in enumerate(RULE_CODES)}
        used = sorted(set(lines["rule"]), key=lambda c: order.get(c, len(order)))
        programs = {code: self.policy.rule(code).name for code in used}
        if "batch_id" not in lines:
            lines = lines.assign(batch_id=self.batch_id)
        return bank_payees(lines, month_words(self.month, "zh"), programs)

    def bank_summary(self) -> dict:
        """``bank{payees, amount, missing_account}`` of the JSON summary."""
        bank, missing = self.bank()
        return {
            "payees": len(bank),
            "amount": int(bank["amount_fen"].sum()) / 100 if len(bank) else 0.0,
            "missing_account": len(missing),
            "missing_amount": int(missing["amount_fen"].sum()) / 100 if len(missing) else 0.0,
        }

    def undetermined_counts(self) -> dict[str, int]:
        table = self.undetermined()
        return {str(k): int(v) for k, v in table["rule"].value_counts(sort=False).items()}

    def summary(self) -> dict:
        """The DESIGN §2 JSON summary of ``subsidy`` (extra keys allowed)."""
        return {
            "month": dates.month_text(self.month),
            "totals": {code: fen / 100 for code, fen in self.totals_fen().items()},
            "counts": self.counts(),
            "grand_total": self.grand_total_fen() / 100,
            "skipped": {code: skip.text("zh") for code, skip in self.skipped.items()},
            "skipped_codes": {code: skip.code for code, skip in self.skipped.items()},
            "batch_id": self.batch_id,
            "committed": self.committed,
            "newly_committed": self.newly_committed,
            "policy": {"path": self.policy.path, "sha256": self.policy.sha256},
            "differences_from_committed": self.differences,
            "undetermined": self.undetermined_counts(),
            "history_missing": self.history_missing,
            **({"post_exits": len(self.post_exits)} if self.post_exits is not None else {}),
            **({"bank": self.bank_summary()} if self.accounts_known else {}),
        }


# The ledger as seen without a database: nothing paid.
NO_PAYMENTS = ledger.NO_PAYMENTS


def policy_start(policy: Policy) -> dt.date:
    """The first day any rule of the policy was in force."""
    return min(p.start for rule in policy.rules.values() for p in rule.periods)


def file_hashes(paths: list[str]) -> dict[str, str]:
    """sha256 of each input file, so a payment can be justified years later."""
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in sorted(paths)}


def read_month(
    data: Path,
    month: int,
    columns: ColumnsConfig | None = None,
    progress: Progress | None = None,
    cache: Path | None = None,
) -> dict[str, Checked]:
    """Read and check every input folder present (rosters, employment and insurance are
    required; the others only enable the subsidies that need them).

    ``columns``: the clerk's columns.toml (None: ``data/columns.toml`` if present);
    ``cache``: the folder of :mod:`fengdu_cli.input_cache` (None: always read)."""
    columns = columns if columns is not None else columns_for(None, [Path(data)])
    checked = read_inputs(data, month, columns, progress, cache)
    for kind in EXTRA_KINDS:
        folder = Path(data) / FOLDERS[kind]
        if folder.exists() and any(folder.iterdir()):
            result = input_cache.checked(
                [folder], kind, on=as_of(month), columns=columns, progress=progress, cache=cache
            )
            if result.unreadable:
                raise result.unreadable[0].error()
            log_checked(result)
            checked[kind] = result
        else:
            log.info("%s: no %s/ folder, the rules that need it are skipped", kind, FOLDERS[kind])
    return checked


def load_month(
    data: Path,
    month: int,
    checked: dict[str, Checked] | None = None,
    columns: ColumnsConfig | None = None,
    progress: Progress | None = None,
    cache: Path | None = None,
) -> tuple[dict[str, Checked], Matched, pd.DataFrame]:
    """The month's checked inputs (read unless given, or taken from ``cache``), matches
    and person states."""
    if checked is None:
        checked = read_month(data, month, columns, progress, cache)
    report(progress, "match", 0, 1)
    matched = match(
        checked["roster"].valid, checked["employment"].valid, checked["insurance"].valid
    )
    state = person_state(matched, month)
    state["age"] = ages(state["id_number"], as_of(month))
    report(progress, "match", 1, 1)
    return checked, matched, state


@dataclass(frozen=True)
class Skip:
    """Why a rule is not computed this month: a code (expired, not_in_force,
    not_configured, not_computed, data_missing) and its parameters; the words are the
    catalogues' ``skip_<code>``."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return text(f"skip_{self.code}", lang, **self.params)


def skip_reason(
    policy: Policy, code: str, month: int, checked: Mapping[str, Checked]
) -> Skip | None:
    """Why ``code`` is not computed for ``month``, or None when it is."""
    rule = policy.rule(code)
    status = rule.status(month)
    if status == EXPIRED:
        end = max(p.end for p in rule.periods)
        return Skip("expired", {"end": end.isoformat(), "source": rule.source})
    if status == NOT_YET:
        return Skip("not_in_force", {"start": min(p.start for p in rule.periods).isoformat()})
    if status == NOT_CONFIGURED:
        return Skip("not_configured", {"source": rule.source_for(dates.last_day(month))})
    module = IMPLEMENTED.get(code)
    if module is None:
        return Skip("not_computed")
    missing = [kind for kind in module.NEEDS if kind not in checked]
    if missing:
        inputs = {
            f"inputs_{lang}": "、".join(_needed_input(k, lang) for k in missing) for lang in LANGS
        }
        return Skip("data_missing", inputs)
    return None


def _needed_input(kind: str, lang: str) -> str:
    if has(f"input_{kind}"):
        return text(f"input_{kind}", lang)
    return text("input_folder", lang, folder=FOLDERS.get(kind, kind))


def evaluate_rules(
    policy: Policy,
    month: int,
    checked: Mapping[str, Checked],
    matched: Matched,
    state: pd.DataFrame,
    paid: pd.DataFrame,
    progress: Progress | None = None,
) -> tuple[dict[str, Evaluation], dict[str, Skip]]:
    """Evaluate every computable rule; the others come back with their skip reason."""
    ctx = _context(month, checked, matched, state)
    evaluations: dict[str, Evaluation] = {}
    skipped: dict[str, Skip] = {}
    for done, code in enumerate(RULE_CODES):
        report(progress, "rules", done, len(RULE_CODES), rule=code)
        reason = skip_reason(policy, code, month, checked)
        if reason:
            log.info("rule %s skipped: %s %s", code, reason.code, _neutral(reason.params))
            skipped[code] = reason
            continue
        rule = policy.rule(code)
        period = rule.values_for(dates.last_day(month))
        values = period.typed if period is not None else None
        if period is None or values is None:  # a configured period is typed when loaded
            raise ValuesError(f"rules.{code}: no typed values in force for {month}")
        frame = IMPLEMENTED[code].evaluate(ctx, values)
        beside = getattr(IMPLEMENTED[code], "beside", None)
        if beside is not None:  # a rule that leaves what an earlier rule of the month pays
            frame = beside(frame, {c: e.frame for c, e in evaluations.items()}, values.shown(month))
        frame = _against_ledger(frame, code, rule.frequency, month, values, paid)
        evaluations[code] = Evaluation(code, frame, values, period, values.shown(month))
        _log_rule(code, frame)
    report(progress, "rules", len(RULE_CODES), len(RULE_CODES), rule="")
    return evaluations, skipped


def _context(
    month: int, checked: Mapping[str, Checked], matched: Matched, state: pd.DataFrame
) -> Context:
    """What the rules read of month m; the insurance rows of contributed months are sifted
    (a county's million rows) only if a rule that reads them is computed."""
    return Context(
        month=month,
        state=state,
        matched=matched,
        insurance_rows=lambda: contributed(checked["insurance"].valid),
        extra={k: c.valid for k, c in checked.items() if k in EXTRA_KINDS},
        employment=checked["employment"].valid,
    )


def post_exits(
    policy: Policy,
    month: int,
    checked: Mapping[str, Checked],
    matched: Matched,
    state: pd.DataFrame,
    evaluations: Mapping[str, Evaluation],
) -> pd.DataFrame | None:
    """The public posts' exit list (有序退岗) of month m, or None without a posts/ list.

    Who must leave a post does not depend on the amounts: while the policy leaves them
    未配置 the conditions are still judged (with the period's other values), so the
    townships get the list; a month outside the policy period gets none."""
    if "posts" not in checked:
        return None
    if "public_post" in evaluations:
        return public_post.exits(evaluations["public_post"].frame)
    rule = policy.rule("public_post")
    period = rule.values_for(dates.last_day(month))
    if rule.status(month) != NOT_CONFIGURED or period is None:
        return None
    values = typed_values("public_post", period.values)
    assert isinstance(values, public_post.VALUES)
    frame = public_post.evaluate(_context(month, checked, matched, state), values)
    return public_post.exits(frame)


def _neutral(params: Mapping[str, object]) -> dict[str, object]:
    """A skip's parameters as a log line carries them: the English wording, codes and dates."""
    return {k: v for k, v in params.items() if not k.endswith("_zh")}


def _log_rule(code: str, frame: pd.DataFrame) -> None:
    """What a rule decided: candidates, eligible, undetermined, paid before, capped, payable
    and the amount (counts and money only)."""
    payable = frame[frame["payable"]]
    log.info(
        "rule %s: %d candidates, %d eligible, %d undetermined, %d paid before, %d capped, "
        "%d payable, %.2f yuan",
        code, len(frame), int(frame["eligible"].sum()),
        int(frame["undetermined"].sum()) if "undetermined" in frame else 0,
        int(frame["paid_before"].ne("").sum()), int(frame["capped"].sum()), len(payable),
        int(payable["amount_fen"].sum()) / 100 if len(payable) else 0.0,
    )  # fmt: skip


# Rules that pay the same thing from different funds: each one's paid-before check and
# caps count the others' ledger entries as its own.  以工代训 (work_training, the county's
# fund, notice 一(二)2) and 鲁渝协作以工代训 (shandong_work_training, Shandong's fund, 一(三))
# pay an enterprise for one person's month of work-based training: one training month is
# one training, not subsidised twice, and “每人每年不超过6个月” counts the person's 以工代训
# months whichever fund paid them (本工具的理解).  Within one month the Shandong rule leaves
# a person-month the county rule finds eligible (``shandong_work_training.beside``).
SHARED_SCOPE: dict[str, tuple[str, ...]] = {
    "work_training": ("shandong_work_training",),
    "shandong_work_training": ("work_training",),
}


def _against_ledger(
    frame: pd.DataFrame,
    code: str,
    frequency: str,
    month: int,
    values: RuleValues,
    paid: pd.DataFrame,
) -> pd.DataFrame:
    """Add key / period and mark what the ledger already paid, and what passed a cap.

    Already paid: a live entry of the rule, not of this month's own batch, in the same scope (ever for a
    one-time rule, the calendar year for a yearly one, the month for a monthly one) for any
    of the same people — matched on who a payment was for, not on how its key was written.
    A cap counts every month paid to the person, earlier or later (a yearly cap, every
    month of m's calendar year).  Both count the entries of the rule's SHARED_SCOPE
    siblings too.
    """
    frame = frame.copy()
    # everything live for the rule but this month's own batch (a rerun compares with it):
    # an import of this very month is money paid, like any other month's
    own = paid["month"].eq(month) & paid["batch_kind"].eq("month")
    earlier = paid[paid["rule"].eq(code) & ~own]
    shared = paid[paid["rule"].isin([code, *SHARED_SCOPE.get(code, ())]) & ~own]
    settle = getattr(IMPLEMENTED.get(code), "settle", None)
    if settle is not None and len(earlier) and len(frame):  # what remains of a part paid
        frame = settle(frame, _paid_tokens(earlier, frequency, month))
    frame["rule"] = code
    frame["period"] = period_text(month, frequency)
    if "paid_period" in frame:  # a rule that pays for a span of its own (a school year)
        spans = frame["paid_period"].fillna("").astype(str)
        frame["period"] = spans.where(spans.ne(""), period_text(month, frequency))
    frame["key"] = frame["key_base"].astype(str) + key_suffix(frequency, month)
    hits = _same_people(frame, shared, frequency, month)
    for column, default in (("batch_id", ""), ("month", 0), ("source", "")):
        shown = "paid_before" if column == "batch_id" else f"paid_{column}"
        frame[shown] = hits[column].reindex(frame.index).fillna(default) if len(hits) else default
    frame["paid_month"] = frame["paid_month"].astype(int)
    frame["capped"] = False
    if values.max_months is not None:
        frame["months_paid"] = _months_paid(frame, shared)
        frame["capped"] = frame["months_paid"] >= values.max_months
    if values.max_months_per_year is not None:  # months of m's calendar year, earlier or later
        in_year = _months_paid(frame, shared[shared["month"] // 100 == month // 100])
        frame["months_paid_year"] = in_year
        frame["capped_year"] = ~frame["capped"] & (in_year >= values.max_months_per_year)
        frame["capped"] |= frame["capped_year"]
    _not_positive(frame)
    payee = frame["payee_id"].astype(str).ne("") & frame["key_base"].astype(str).ne("")
    frame["payable"] = frame["eligible"] & frame["paid_before"].eq("") & ~frame["capped"] & payee
    return frame


def _not_positive(frame: pd.DataFrame) -> None:
    """An eligible row of 0 fen or less pays nothing (and a 0 line would mark its key paid
    for good): whatever a rule computed, it is not eligible, with the reason
    (``not_positive``), never a payable line."""
    amount = pd.to_numeric(frame["amount_fen"], errors="coerce")
    nothing = frame["eligible"].astype(bool) & ~(amount > 0)
    frame["not_positive"] = nothing
    if not nothing.any():
        return
    frame.loc[nothing, "eligible"] = False
    frame["failed"] = frame["failed"].astype(object)
    said = [
        Said("failed_amount_not_positive", {"amount": f"{a / 100:.2f}" if pd.notna(a) else "?"})
        for a in amount[nothing]
    ]
    frame.loc[nothing, "failed"] = gaps.objects(said, frame.index[nothing])
    log.warning("%d eligible rows of 0 fen or less: not payable", int(nothing.sum()))


def _paid_tokens(earlier: pd.DataFrame, frequency: str, month: int) -> pd.DataFrame:
    """One row per (live entry in month m's scope, who it paid for): ``who``, ``entry`` (the
    entry's position), its ``amount_fen``, ``month``, ``batch_id`` and ``source``."""
    entries = earlier.assign(
        identities=ledger.identities_of(earlier), scope=ledger.scope_of(earlier)
    )
    scope = {"once": "", "yearly": str(month // 100)}.get(frequency, str(month))
    entries = entries[entries["scope"].eq(scope)].reset_index(drop=True)
    if "source" not in entries:
        entries = entries.assign(source="")
    tokens = _tokens(entries)
    columns = ["amount_fen", "month", "batch_id", "source"]
    out = tokens.merge(entries[columns], left_on="row", right_index=True)
    return out.rename(columns={"row": "entry"}).reset_index(drop=True)


def _tokens(frame: pd.DataFrame, column: str = "identities") -> pd.DataFrame:
    """One row per (frame row, person the row is for)."""
    who = frame[column].fillna("").astype(str).str.split("|")
    out = pd.DataFrame({"row": frame.index, "who": who}).explode("who")
    return out[out["who"].ne("")]


def _same_people(
    frame: pd.DataFrame, earlier: pd.DataFrame, frequency: str, month: int
) -> pd.DataFrame:
    """Per candidate row, the first earlier live entry (batch_id, month, source) for any
    of its people in the same scope; rows with none are absent."""
    if earlier.empty or frame.empty:
        return pd.DataFrame(columns=["batch_id", "month", "source"])
    paid_for = _paid_tokens(earlier, frequency, month).drop(columns=["entry", "amount_fen"])
    wanted = _tokens(frame)
    found = wanted.merge(paid_for, on="who").sort_values(["row", "month"])
    return found.drop_duplicates("row").set_index("row")[["batch_id", "month", "source"]]


def _months_paid(frame: pd.DataFrame, entries: pd.DataFrame) -> pd.Series:
    """Per candidate row: the distinct months the ledger paid any of its people, any time."""
    if entries.empty or frame.empty:
        return pd.Series(0, index=frame.index, dtype=int)
    entries = entries.assign(identities=ledger.identities_of(entries)).reset_index(drop=True)
    paid_for = _tokens(entries).merge(entries[["month"]], left_on="row", right_index=True)
    months = _tokens(frame).merge(paid_for.drop(columns="row"), on="who")
    counted = months.groupby("row")["month"].nunique()
    return counted.reindex(frame.index).fillna(0).astype(int)


def lines_of(evaluations: Mapping[str, Evaluation], policy: Policy) -> pd.DataFrame:
    """The payable rows of every rule as payment lines, in policy order, then township/name."""
    frames = []
    for code, ev in evaluations.items():
        payable = ev.frame[ev.frame["payable"]]
        if len(payable):
            frames.append(payable[LINE_COLUMNS].assign(rule_name=policy.rule(code).name))
    if not frames:
        return pd.DataFrame(columns=[*LINE_COLUMNS, "rule_name"])
    lines = pd.concat(frames, ignore_index=True)
    order = {code: i for i, code in enumerate(RULE_CODES)}
    lines["_order"] = lines["rule"].map(order)
    lines = lines.sort_values(["_order", "township", "payee_name", "person_id"], kind="stable")
    return _plain(lines.drop(columns="_order"))


def _plain(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines with one set of dtypes (text as object, amounts as int), whether freshly
    computed or read back from the ledger, so both render identically."""
    out = lines.reset_index(drop=True).astype(object)
    out["amount_fen"] = out["amount_fen"].astype("int64")
    return out.where(out.notna(), "")


def compute_subsidies(
    data: Path,
    month: int,
    db: str | Path,
    *,
    policy_path: Path | None = None,
    commit: bool = False,
    checked: dict[str, Checked] | None = None,
    columns: ColumnsConfig | None = None,
    no_history: bool = False,
    new_db: bool = False,
    stage: Callable[[SubsidyResult], Staging] | None = None,
    progress: Progress | None = None,
    cache: Path | None = None,
) -> SubsidyResult:
    """Compute ``month``'s payment lines; with ``commit`` record them in the ledger.

    ``checked`` (from :func:`read_month`) spares reading the inputs a second time;
    ``columns`` is the clerk's columns.toml (None: ``data/columns.toml`` if present);
    ``cache`` the folder of checked inputs kept between commands (None: always read).

    Ledger safety (DESIGN §2): a commit never creates a database unless ``new_db``, and is
    refused (UsageError, exit 2) while the ledger knows nothing paid before the month —
    no import, no earlier batch — and the policy began earlier, unless ``no_history``.
    A trial run never creates a database either: without one, nothing was paid.

    ``stage`` writes a new batch's files to temporary names before the commit (see
    :class:`fengdu_cli.io.write.Staging`); the caller puts them in place afterwards.
    """
    policy = load_policy(policy_path)
    log.info("policy %s (sha256 %s)", policy.path, policy.sha256[:12])
    checked, matched, state = load_month(data, month, checked, columns, progress, cache)
    inputs = file_hashes([f for c in checked.values() for f in c.files])
    began = policy_start(policy)
    if not commit and not store.exists(db):
        log.info("database %s does not exist: a trial with nothing paid before", db)
        evaluations, skipped = evaluate_rules(
            policy, month, checked, matched, state, NO_PAYMENTS, progress
        )
        batch_id = f"{dates.month_text(month)}-B1"  # no database: it would be the first
        fresh = lines_of(evaluations, policy).assign(batch_id=batch_id)
        return SubsidyResult(
            month, policy, fresh, tuple(evaluations), skipped, batch_id, False, False,
            evaluations, checked, inputs, history_missing=began < dates.first_day(month),
            post_exits=post_exits(policy, month, checked, matched, state, evaluations),
        )  # fmt: skip
    fresh_ledger = commit and new_db and not store.exists(db)
    if fresh_ledger and began < dates.first_day(month) and not no_history:
        # a new ledger knows nothing paid before: refused before it is made
        raise UsageError("no_history", month=dates.month_text(month), start=began.isoformat())
    with store.hold_lock(db, month):
        conn = store.connect(db, create=new_db or not commit)
        try:
            existing = ledger.live_batch(conn, month)
            history_missing = (
                existing is None
                and began < dates.first_day(month)
                and not ledger.has_history(conn, month)
            )
            if commit and history_missing and not no_history:
                raise UsageError(
                    "no_history", month=dates.month_text(month), start=began.isoformat()
                )
            read_at = store.chain.last_seq(conn)  # another clerk's commit after it: refused
            paid = ledger.live_payments(conn)
            log.info(
                "database %s: %d live ledger entries; %s batch of %s: %s",
                conn.target.shown, len(paid), "committing the" if commit else "a trial of the",
                dates.month_text(month), existing or "none yet",
            )  # fmt: skip
            evaluations, skipped = evaluate_rules(
                policy, month, checked, matched, state, paid, progress
            )
            fresh = lines_of(evaluations, policy)
            computed = tuple(evaluations)
            exits = post_exits(policy, month, checked, matched, state, evaluations)
            run_id = store.start_run(conn, "subsidy", month)
            if existing:
                lines = ledger.batch_lines(conn, existing)
                lines["rule_name"] = lines["rule"].map(lambda c: policy.rule(c).name)
                lines = _plain(lines[[*LINE_COLUMNS, "rule_name", "batch_id"]])
                differences = _difference(lines, fresh)
                result = SubsidyResult(
                    month, policy, lines, computed, skipped, existing, True, False,
                    evaluations, checked, inputs, differences, post_exits=exits,
                )  # fmt: skip
            else:
                batch_id = ledger.next_batch_id(conn, month)
                result = SubsidyResult(
                    month, policy, fresh.assign(batch_id=batch_id), computed, skipped, batch_id,
                    commit, commit, evaluations, checked, inputs,
                    history_missing=history_missing and not commit, post_exits=exits,
                )  # fmt: skip
                if commit:
                    # the batch's files first (to temporary names): money is never recorded
                    # for files that could not be written
                    staged = stage(result) if stage is not None else None
                    known = result.accounts_known
                    paid_lines = result.paid_lines().assign(batch_id=batch_id) if known else None
                    try:
                        ledger.commit_batch(
                            conn, batch_id, month, run_id, fresh, policy.sha256, inputs,
                            bank=bank_record(result.bank(paid_lines)[0]) if known else None,
                            items=bank_items(paid_lines) if paid_lines is not None else None,
                            read_at=read_at,
                        )  # fmt: skip
                    except BaseException:
                        if staged is not None:
                            staged.discard()
                        raise
            store.finish_run(conn, run_id, result.summary())
        finally:
            conn.close()
    return result


def _difference(committed: pd.DataFrame, fresh: pd.DataFrame) -> int:
    """How many (rule, key, amount) lines differ between the committed list and today's data."""
    a = set(zip(committed["rule"], committed["key"], committed["amount_fen"], strict=True))
    b = set(zip(fresh["rule"], fresh["key"], fresh["amount_fen"], strict=True))
    return len(a ^ b)
