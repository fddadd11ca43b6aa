"""Words at the edge: one catalogue per language, looked up by stable keys.

The library returns codes and parameters; the command line and the writers turn them into
sentences here.  :mod:`fengdu_cli.messages.zh` is the clerk's language and the default;
:mod:`fengdu_cli.messages.en` has the same keys and the same ``str.format`` fields (a test
holds them equal), so ``--lang en`` switches every sentence at once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from fengdu_cli.messages import en, zh

LANGS = ("zh", "en")
CATALOGUES: Mapping[str, Mapping[str, str]] = {"zh": zh.MESSAGES, "en": en.MESSAGES}


def text(key: str, lang: str = "zh", /, **params: object) -> str:
    """The sentence ``key`` in ``lang`` (Chinese for an unknown language), ``params`` filled in.

    Parameters stay language-neutral: ``kind='roster'`` also gives ``{kind_name}`` (花名册 /
    roster), and a parameter given per language (``problems_zh``, ``problems_en``) gives
    ``{problems}`` in the sentence's own language.
    """
    lang = lang if lang in CATALOGUES else "zh"
    params = {name: _worded(v, lang) for name, v in params.items()}
    local = {name[: -len(lang) - 1]: v for name, v in params.items() if name.endswith(f"_{lang}")}
    kind = params.get("kind")
    if isinstance(kind, str) and f"kind_{kind}" in zh.MESSAGES:
        local.setdefault("kind_name", CATALOGUES[lang][f"kind_{kind}"])
    return CATALOGUES[lang][key].format(**{**params, **local})


@dataclass(frozen=True)
class Said:
    """A sentence kept as codes until the edge words it: a catalogue key and its parameters.

    A parameter may itself be a :class:`Said` (worded in the same language) or a tuple of
    them (joined with the language's list separator, 、 in Chinese)."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        """The sentence in ``lang``."""
        return text(self.key, lang, **self.params)


def said(key: str, /, **params: object) -> Said:
    """A :class:`Said` with keyword parameters."""
    return Said(key, params)


def _worded(value: object, lang: str) -> object:
    if isinstance(value, Said):
        return value.text(lang)
    if isinstance(value, tuple) and value and all(isinstance(v, Said) for v in value):
        return CATALOGUES[lang]["list_sep"].join(v.text(lang) for v in value)
    return value


def in_words(value: object, lang: str = "zh", /) -> str:
    """A value the library returned, as a person reads it in ``lang``: a :class:`Said` worded,
    a tuple of them joined with the language's separator, '' for a missing value, any other
    value as text."""
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return ""
    worded = _worded(value, lang if lang in CATALOGUES else "zh")
    return "" if worded == () else str(worded)


def fill(key: str, lang: str = "zh", /, **columns: pd.Series | str) -> pd.Series:
    """The sentence ``key`` in ``lang`` for every row at once: each field taken from the
    Series (or the one text) of the same name, joined as text (vectorised; the template's
    fields are plain names)."""
    import pandas as pd

    template = CATALOGUES[lang if lang in CATALOGUES else "zh"][key]
    index = next((c.index for c in columns.values() if isinstance(c, pd.Series)), None)
    out = pd.Series("", index=index, dtype=object)
    for literal, name, spec, conversion in Formatter().parse(template):
        out = out + literal
        if name is not None:
            if spec or conversion:
                raise ValueError(f"{key}: only plain fields can be filled per row")
            value = columns[name]
            out = out + (value.astype(str) if isinstance(value, pd.Series) else str(value))
    return out


@functools.lru_cache(maxsize=4096)  # a month's list words the same few months many times
def month_words(month: int | str, lang: str = "zh", /) -> str:
    """A month as titles and sentences write it: 202406 (or '2024-06') → '2024年6月' / '2024-06'."""
    year, mon = divmod(int(str(month).replace("-", "")), 100)
    if not 1 <= mon <= 12 or year < 1900:
        raise ValueError(f"month must be YYYYMM, got {month!r}")
    return text("wb_month", lang, year=year, mon=mon)


def has(key: str) -> bool:
    """Is ``key`` in the catalogues?"""
    return key in zh.MESSAGES


__all__ = ["CATALOGUES", "LANGS", "Said", "fill", "has", "in_words", "month_words", "said", "text"]


def rule_title(code: str, lang: str = "zh", /, policy_name: str | None = None) -> str:
    """A subsidy as a person reads it: the policy file's name in Chinese (the clerk may have
    renamed it), the catalogue's English title in English; the code when neither knows it."""
    if lang == "zh" and policy_name:
        return policy_name
    key = f"rule_title_{code}"
    catalogue = CATALOGUES.get(lang, CATALOGUES["zh"])
    return catalogue.get(key, code)
