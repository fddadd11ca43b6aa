"""The 30 townships (乡镇/街道) of Fengdu county and how to recognise their names."""

from __future__ import annotations

import re

TOWNSHIPS: tuple[str, ...] = (
    "三合街道", "名山街道",
    "虎威镇", "社坛镇", "三元镇", "许明寺镇", "董家镇", "树人镇", "十直镇", "高家镇",
    "兴义镇", "双路镇", "江池镇", "龙河镇", "武平镇", "包鸾镇", "湛普镇", "南天湖镇",
    "保合镇", "兴龙镇", "仁沙镇", "龙孔镇", "暨龙镇", "双龙镇", "仙女湖镇",
    "青龙乡", "太平坝乡", "都督乡", "栗子乡", "三建乡",
)  # fmt: skip

_SUFFIX = re.compile(r"(街道办事处|街道|镇人民政府|乡人民政府|镇|乡)$")

# short name → full name ("虎威" → "虎威镇"); every short name is unique in the county
_BY_SHORT: dict[str, str] = {_SUFFIX.sub("", t): t for t in TOWNSHIPS}


# Traditional forms of the characters in the county's township names (豐都縣虎威鎮).
_SIMPLIFIED = str.maketrans("豐縣鎮鄉壇許樹興義雙龍鸞壩區門灣", "丰县镇乡坛许树兴义双龙鸾坝区门湾")


def canonical_township(value: object) -> str | None:
    """Return the full township name for ``value`` ("虎威", "虎威镇", " 虎威镇人民政府 ",
    "虎威鎮"), else None."""
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", "", value).translate(_SIMPLIFIED).removeprefix("丰都县")
    if text in TOWNSHIPS:
        return text
    return _BY_SHORT.get(_SUFFIX.sub("", text))


def townships_named_in(text: str) -> set[str]:
    """The townships whose full name appears in ``text`` (a title row or a file name)."""
    text = text.translate(_SIMPLIFIED)
    found = {t for t in TOWNSHIPS if t in text}
    if not found:
        found = {full for short, full in _BY_SHORT.items() if len(short) >= 2 and short in text}
    return found
