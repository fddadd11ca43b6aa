"""The files ``reconcile`` writes: the month workbook, the warnings CSV, township workbooks.

IDs are masked in every one of them: these lists travel to townships by e-mail and
paper.  The database keeps the full IDs for the bureau's own matching.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.io.reports import problems_frame
from fengdu_cli.io.write import Sheet, move_aside, write_csv, write_workbook
from fengdu_cli.match import REGION_ZH
from fengdu_cli.messages import text
from fengdu_cli.reconcile import Reconciled, township_table
from fengdu_cli.warnings import OUTPUT_COLUMNS, WARNING_CODES, WARNING_MEANINGS, WARNING_TITLES

TOWNSHIP_LABELS = {
    "township": "乡镇（街道）",
    "persons": "人数",
    "labor_capable": "有劳动能力",
    "employed_county": "县内就业",
    "employed_chongqing": "县外市内就业",
    "employed_outside": "市外就业",
    "insured": "本月参保",
    "matched_employment": "匹配就业登记",
    "matched_insurance": "匹配参保记录",
    "warnings": "预警合计",
    "new": "新增预警",
    "resolved": "已消除预警",
    "change": "较上月增减",
}
WARNING_LABELS = {
    "township": "乡镇（街道）",
    "village": "村（社区）",
    "household_id": "户编号",
    "name": "姓名",
    "id_number": "身份证号码",
    "code": "预警代码",
    "title": "预警类型",
    "detail": "预警原因",
    "status": "较上月",
    "check": "核查情况（乡镇填写）",
}
STATE_LABELS = {
    "township": "乡镇（街道）",
    "village": "村（社区）",
    "household_id": "户编号",
    "name": "姓名",
    "id_number": "身份证号码",
    "category": "人员类别",
    "labor_capacity": "劳动技能",
    "work_status": "花名册务工状态",
    "active_jobs": "月末在岗就业数",
    "employer_name": "当前单位",
    "employer_code": "当前单位信用代码",
    "employment_type": "就业形式",
    "region_zh": "务工地域",
    "start_date": "入职日期",
    "tenure_months": "在岗月数",
    "insured_months_current": "当前单位连续参保月数",
    "insured_m": "本月参保",
    "last_insured_month": "最近缴费月份",
    "employers_12m": "近12个月入职单位数",
    "match_employment": "就业匹配方式",
    "match_insurance": "参保匹配方式",
}


def _created(month: int) -> dt.datetime:
    """A fixed creation time, so re-running a month writes identical files."""
    last = dates.last_day(month)
    return dt.datetime(last.year, last.month, last.day)


def warnings_frame(result: Reconciled, *, masked: bool = True) -> pd.DataFrame:
    """The warnings list as sent: Chinese headers, IDs masked."""
    table = result.warnings.copy()
    if masked:
        table["id_number"] = table["id_number"].map(idcard.mask)
        if "household_id" in table:  # an ID or a phone typed where 户编号 goes
            table["household_id"] = table["household_id"].map(idcard.mask_if_personal)
    table.insert(list(table.columns).index("code") + 1, "title", table["code"].map(WARNING_TITLES))
    table["check"] = ""
    return table.rename(columns=WARNING_LABELS)


def state_frame(result: Reconciled) -> pd.DataFrame:
    state = result.state.copy()
    state["id_number"] = state["id_number"].map(idcard.mask)
    if "household_id" in state:  # an ID or a phone typed where 户编号 goes
        state["household_id"] = state["household_id"].map(idcard.mask_if_personal)
    state["region_zh"] = state["region"].map(lambda r: REGION_ZH.get(r, "") if r else "")
    state["insured_m"] = state["insured_m"].map({True: "是", False: "否"})
    state["last_insured_month"] = state["last_insured_month"].map(
        lambda p: dates.month_text(int(p)) if not pd.isna(p) else ""
    )
    state["match_employment"] = state["match_employment"].map(
        {"exact": "号码一致", "repaired": "规范后一致", "": "无记录"}
    )
    state["match_insurance"] = state["match_insurance"].map(
        {"exact": "号码一致", "repaired": "规范后一致", "": "无记录"}
    )
    columns = [c for c in STATE_LABELS if c in state]
    return state[columns].rename(columns=STATE_LABELS)


UNDETERMINED_LABELS = {
    "township": "乡镇（街道）",
    "village": "村（社区）",
    "household_id": "户编号",
    "name": "姓名",
    "id_number": "身份证号码",
    "code": "预警代码",
    "title": "预警类型",
    "reason": "无法判断的原因（请补齐或更正后重新比对）",
}


def undetermined_frame(result: Reconciled) -> pd.DataFrame:
    """Persons a warning could not be judged for, with why (IDs masked)."""
    table = result.undetermined.copy()
    table["id_number"] = table["id_number"].map(idcard.mask)
    if "household_id" in table:  # an ID or a phone typed where 户编号 goes
        table["household_id"] = table["household_id"].map(idcard.mask_if_personal)
    table.insert(list(table.columns).index("code") + 1, "title", table["code"].map(WARNING_TITLES))
    return table.rename(columns=UNDETERMINED_LABELS)


def summary_frame(result: Reconciled) -> pd.DataFrame:
    table = township_table(result)
    total = table.drop(columns="township").sum()
    table = pd.concat(
        [table, pd.DataFrame([{"township": "合计", **total.to_dict()}])], ignore_index=True
    )
    labels = {**TOWNSHIP_LABELS, **{code: WARNING_TITLES[code] for code in WARNING_CODES}}
    return table.rename(columns=labels)


def problems_all(result: Reconciled) -> pd.DataFrame:
    frames = []
    for kind, checked in result.checked.items():
        if len(checked.problems):
            frames.append(problems_frame(checked, "zh").assign(数据类型=text(f"kind_{kind}", "zh")))
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["数据类型", "文件", "问题说明"])
    )


def notes_frame(result: Reconciled) -> pd.DataFrame:
    rows = [
        {"项目": f"{code} {WARNING_TITLES[code]}", "说明": WARNING_MEANINGS[code]}
        for code in WARNING_CODES
    ]
    rows += [
        {
            "项目": "较上月",
            "说明": f"与上次保存的月份（{dates.month_text(result.previous_month) if result.previous_month else '无'}）比较：新增 / 持续",
        },
        {
            "项目": "身份证号码",
            "说明": "名单中的身份证号码已脱敏（中间8位以*显示），完整号码保存在县局数据库",
        },
        {
            "项目": "就业匹配方式",
            "说明": "号码一致：两边号码完全相同；规范后一致：去空格、全角转半角、x转X或15位升18位后相同。不按姓名匹配。",
        },
    ]
    for kind, counts in result.inputs.items():
        rows.append(
            {
                "项目": f"{text(f'kind_{kind}', 'zh')}行数",
                "说明": f"读取 {counts['read']} = 匹配 {counts['matched']} + 未匹配 {counts['unmatched']} + 退回 {counts['rejected']}",
            }
        )
    return pd.DataFrame(rows)


def write_reconcile(
    result: Reconciled, out: Path, *, split_by_township: bool = False
) -> list[Path]:
    """Write ``reconcile-YYYY-MM.xlsx``, ``warnings-YYYY-MM.csv`` and, if asked, one
    workbook of warnings per township."""
    out = Path(out)
    label = dates.month_text(result.month)
    zh = dates.month_zh(result.month)
    created = _created(result.month)
    warnings = warnings_frame(result)
    sheets = [
        Sheet("汇总", summary_frame(result), title=f"丰都县{zh}就业帮扶数据比对汇总"),
        Sheet("预警名单", warnings, title=f"丰都县{zh}就业不稳定预警名单"),
        Sheet("人员状态", state_frame(result)),
        Sheet("无法判断", undetermined_frame(result), title=f"丰都县{zh}无法判断名单"),
        Sheet("问题数据", problems_all(result)),
        Sheet("说明", notes_frame(result)),
    ]
    written = [write_workbook(out / f"reconcile-{label}.xlsx", sheets, created=created)]
    csv = result.warnings.copy()
    csv["id_number"] = csv["id_number"].map(idcard.mask)
    if "household_id" in csv:  # an ID or a phone typed where 户编号 goes
        csv["household_id"] = csv["household_id"].map(idcard.mask_if_personal)
    written.append(write_csv(csv[OUTPUT_COLUMNS], out / f"warnings-{label}.csv"))
    if split_by_township:
        towns: list[Path] = []
        for township, group in warnings.groupby(WARNING_LABELS["township"], sort=True):
            name = str(township) or "未知乡镇"
            written.append(
                write_workbook(
                    out / "townships" / f"预警名单-{label}-{name}.xlsx",
                    [
                        Sheet(
                            "预警名单", group, title=f"{name}{zh}就业不稳定预警名单（请核查后反馈）"
                        )
                    ],
                    created=created,
                )
            )
            towns.append(written[-1])
        move_aside(out / "townships", f"预警名单-{label}-*.xlsx", towns)
    return written
