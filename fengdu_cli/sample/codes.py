"""Invented identifiers with valid check characters: credit codes and resident IDs.

Unified social credit codes follow GB 32100 (with the GB 11714 organisation-code check
inside); resident IDs are 18 digits with their GB 11643 check digit. Nothing here draws
from a global random: ``credit_code`` takes the caller's ``random.Random``, which is why
``benchmarks/make_county.py`` can reuse it for county-scale data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from fengdu_cli.idcard import check_digit

_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def credit_code(rng: random.Random, prefix: str, region: str) -> str:
    """An invented 18-character unified social credit code with valid GB 32100 checks.

    ``prefix`` is the registering authority and type ('91' company, '92' individual
    business, '93' cooperative, '11' government office); ``region`` the 6-digit area code.
    """
    if prefix == "11":
        body = "".join(rng.choice("0123456789") for _ in range(8))
    else:
        body = "MA" + "".join(rng.choice(_CC_CHARS) for _ in range(6))
    first17 = prefix + region + body + _org_check(body)
    total = sum(_CC_CHARS.index(ch) * w for ch, w in zip(first17, _CC_WEIGHTS, strict=True))
    return first17 + _CC_CHARS[(31 - total % 31) % 31]


def make_id(region: str, born: dt.date, seq: int) -> str:
    """The 18-digit ID for a region, birth date and 3-digit sequence (odd = male)."""
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


BANKS = (
    "中国农业银行丰都支行", "中国建设银行丰都支行", "重庆农村商业银行丰都支行",
    "中国邮政储蓄银行丰都县支行", "中国工商银行丰都支行",
)  # fmt: skip


def _digest(key: str, salt: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}:{key}".encode()).digest()[:8], "big")


def account_for(key: str, digits: int = 19) -> str:
    """An invented account number fixed by ``key`` (an ID or a credit code): it draws from
    no random generator, so adding accounts changes no other value of the sample."""
    prefix = ("6217", "6228", "6230", "6224")[_digest(key, "prefix") % 4] if digits == 19 else "5"
    body = str(_digest(key, "account")).rjust(20, "0")
    return (prefix + body)[:digits]


def bank_for(key: str) -> str:
    """The bank (开户行) of ``key``'s account, fixed by ``key``."""
    return BANKS[_digest(key, "bank") % len(BANKS)]


def has_account(key: str, every: int) -> bool:
    """False for about one key in ``every``: the persons and organisations whose account
    the lists leave blank (缺少账户信息)."""
    return _digest(key, "missing") % every != 0
