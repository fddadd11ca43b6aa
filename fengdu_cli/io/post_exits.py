"""The public posts' exit list (有序退岗), ``posts-exit-YYYY-MM.xlsx``: the county's working
file for the townships — one sheet per township (in the county's order) after a sheet with
every holder, each printable as it is (title row, header repeated, A4 landscape, one page
wide).  Resident IDs are masked; names are kept (the townships act on them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fengdu_cli import idcard
from fengdu_cli.io.payments_report import sheet_names, wrap_text
from fengdu_cli.io.write import Sheet, Staging, write_workbook
from fengdu_cli.messages import Said, month_words, text
from fengdu_cli.townships import TOWNSHIPS

LABELS = {  # column → catalogue key of its header
    "township": "wb_rc_township",
    "village": "wb_rc_village",
    "person_name": "wb_rc_name",
    "person_id": "wb_rc_id_number",
    "post_name": "wb_exit_post",
    "employer_name": "wb_exit_employer",
    "contract": "wb_exit_contract",
    "reasons": "wb_exit_reasons",
    "advice": "wb_exit_advice",
}
_RANK = {name: i for i, name in enumerate(TOWNSHIPS)}
# printed on A4 landscape at a readable size: the long columns wrap (序号 is column 0)
WIDTHS: dict[int, float] = {0: 5, 4: 17, 5: 10, 6: 16, 7: 22, 8: 28, 9: 26}
# the sentences written in their printed lines: a closing bracket never starts a line
WRAPPED = {"post_name": 5, "employer_name": 6, "contract": 7, "reasons": 8, "advice": 9}


def exit_frame(exits: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The exit list as written: 序号, headers and sentences in ``lang``, IDs masked."""
    shown = exits.reindex(columns=list(LABELS)).fillna("").copy()
    shown["person_id"] = shown["person_id"].astype(str).map(idcard.mask)
    sep = "；" if lang == "zh" else "; "
    shown["reasons"] = [
        sep.join(s.text(lang) for s in r) if isinstance(r, tuple) else str(r)
        for r in shown["reasons"]
    ]
    shown["advice"] = [a.text(lang) if isinstance(a, Said) else str(a) for a in shown["advice"]]
    for column, j in WRAPPED.items():
        shown[column] = [wrap_text(str(v), WIDTHS[j]) for v in shown[column]]
    shown.insert(0, "seq", range(1, len(shown) + 1))
    labels = {"seq": text("wb_pay_seq", lang), **{c: text(k, lang) for c, k in LABELS.items()}}
    return shown.rename(columns=labels)


def write_post_exits(
    exits: pd.DataFrame,
    target: Path,
    *,
    month: int,
    trial: bool,
    created: dt.datetime | None = None,
    staging: Staging | None = None,
    lang: str = "zh",
) -> Path:
    """Write the exit list: a sheet with every holder, then one per township listed."""
    county = text("wb_county", lang)
    mark = text("wb_pay_trial_mark", lang) if trial else ""
    rank = exits["township"].map(_RANK).astype(float).fillna(len(TOWNSHIPS))
    ordered = exits.assign(_rank=rank).sort_values(["_rank", "township"], kind="stable")
    ordered = ordered.drop(columns="_rank")

    def title(where: str, n: int) -> str:
        head = text("wb_exit_title", lang, county=county, month=month_words(month, lang),
                    trial=mark)  # fmt: skip
        return f"{head}（{where}，{n}人）" if lang == "zh" else f"{head} ({where}, {n})"

    everyone = text("wb_exit_sheet_all", lang)
    parts = [(everyone, ordered)] + [
        (str(township) or text("wb_pay_no_township", lang), part)
        for township, part in ordered.groupby("township", sort=False)
    ]
    safe = sheet_names([(str(i), name) for i, (name, _) in enumerate(parts)])
    header = "&C" + text("wb_pay_trial_header", lang).replace("&", "&&") if trial else ""
    sheets = [
        Sheet(sheet, exit_frame(part, lang), title(name, len(part)), widths=WIDTHS, header=header)
        for sheet, (name, part) in zip(safe, parts, strict=True)
    ]
    return write_workbook(target, sheets, created=created, staging=staging, lang=lang)
