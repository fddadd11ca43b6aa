"""The names of the files the commands write (DESIGN §2): one function per name.

A name is the same in every language (scripts and clerks look for it); only a township's
own lists carry the township.  A subsidy run that is not committed puts ``-试算`` before
the extension of each of its files, so a trial is never taken for the list to pay.
"""

from __future__ import annotations

from fengdu_cli.dates import month_text

TRIAL = "-试算"  # in every file name of a subsidy run that is not committed (DESIGN §2)
RETURNS_FOLDER = "退回清单"  # the township return lists of a month's run
PROBLEM_REPORT = "roster-problems.xlsx"  # the roster's problem report of a month's run


def reconcile_book(month: int) -> str:
    """``reconcile-YYYY-MM.xlsx``."""
    return f"reconcile-{month_text(month)}.xlsx"


def warnings_csv(month: int) -> str:
    """``warnings-YYYY-MM.csv``."""
    return f"warnings-{month_text(month)}.csv"


def persons_csv(month: int) -> str:
    """``persons-YYYY-MM.csv``: the person state of a month too large for the workbook."""
    return f"persons-{month_text(month)}.csv"


def township_warnings(month: int, township: str) -> str:
    """A township's warnings, ``预警名单-YYYY-MM-<township>.xlsx`` (``*``: every township)."""
    return f"预警名单-{month_text(month)}-{township}.xlsx"


def _subsidy(stem: str, month: int, committed: bool, suffix: str) -> str:
    return f"{stem}-{month_text(month)}{'' if committed else TRIAL}{suffix}"


def payments_book(month: int, committed: bool) -> str:
    """``payments-YYYY-MM.xlsx`` (``payments-YYYY-MM-试算.xlsx`` for a trial)."""
    return _subsidy("payments", month, committed, ".xlsx")


def payments_csv(month: int, committed: bool) -> str:
    """``payments-YYYY-MM.csv`` (``payments-YYYY-MM-试算.csv`` for a trial)."""
    return _subsidy("payments", month, committed, ".csv")


def publicity_book(month: int, committed: bool) -> str:
    """``publicity-YYYY-MM.xlsx`` (``publicity-YYYY-MM-试算.xlsx`` for a trial)."""
    return _subsidy("publicity", month, committed, ".xlsx")


def posts_exit_book(month: int, committed: bool) -> str:
    """``posts-exit-YYYY-MM.xlsx`` (``posts-exit-YYYY-MM-试算.xlsx`` for a trial): the public
    posts' exit list (有序退岗) for the townships."""
    return _subsidy("posts-exit", month, committed, ".xlsx")


def undetermined_book(month: int) -> str:
    """``undetermined-YYYY-MM.xlsx``: the persons a subsidy could not be judged for."""
    return f"undetermined-{month_text(month)}.xlsx"


def return_list(township: str, month: int | None = None) -> str:
    """A township's return list for ``month``: ``退回清单-YYYY-MM-<township>.xlsx`` in every
    language (``*``: every township; without a month, the name without it)."""
    stem = RETURNS_FOLDER
    return (
        f"{stem}-{township}.xlsx"
        if month is None
        else f"{stem}-{month_text(month)}-{township}.xlsx"
    )


def bank_book(month: int) -> str:
    """``bank-YYYY-MM.xlsx``: the bank's list (代发清单) of a committed batch."""
    return f"bank-{month_text(month)}.xlsx"


def bank_csv(month: int) -> str:
    """``bank-YYYY-MM.csv``: the same list for a bank's import system."""
    return f"bank-{month_text(month)}.csv"


SUPPLEMENT = "-补{part}"  # a batch's bank list for payees given an account later (补发)


def bank_part(month: int, part: int, suffix: str) -> str:
    """``bank-YYYY-MM.xlsx`` (part 0), ``bank-YYYY-MM-补1.xlsx`` … (its supplements)."""
    extra = SUPPLEMENT.format(part=part) if part else ""
    return f"bank-{month_text(month)}{extra}{suffix}"
