"""accounts/: 单位收款账户 — the bank accounts of employers that have no list of their own.

Employers paid 一次性吸纳就业补贴 or 社会保险补贴 appear in no list of the bureau, so their
accounts come from here: about half of the county's employers (fixed by their credit code),
so that the sample's bank file has employers paid to their account and employers listed
under 缺少账户信息.  Nothing is drawn from the world's generator.
"""

from __future__ import annotations

from fengdu_cli.sample.codes import has_account
from fengdu_cli.sample.layouts import Book, Sheet, _Layout, org_account
from fengdu_cli.sample.programs import Listed

HEADER = ("统一社会信用代码", "单位名称", "银行账号", "开户行", "户名")


def lay(lay: _Layout) -> list[Listed]:
    w = lay.w
    rows = [
        [e.code, e.name, *org_account(e.code, e.name)]
        for e in sorted(w.companies, key=lambda e: e.code)
        if e.code and has_account(e.code, 2)
    ]
    sheet = Sheet("单位账户", [list(HEADER), *rows])
    return [
        Listed(
            Book("accounts/单位收款账户.xlsx", [sheet]),
            "单位收款账户（约一半用人单位；其余单位在银行代发清单中列为缺少账户信息）"
            " · employers' bank accounts (about half; the others are listed as missing an account)",
        )
    ]
