"""The catalogues: one per language, the same keys and the same fields in each."""

from __future__ import annotations

import re
import string

import pytest

from fengdu_cli.messages import CATALOGUES, text

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_key():
    assert set(CATALOGUES["zh"]) == set(CATALOGUES["en"])


# an English sentence may leave out what an English reader cannot read (a rule's Chinese name)
ENGLISH_LEAVES_OUT = {"screen_explain_rule": {"name"}}


@pytest.mark.parametrize("key", sorted(CATALOGUES["zh"]))
def test_a_sentence_has_the_same_fields_in_every_language(key):
    left_out = ENGLISH_LEAVES_OUT.get(key, set())
    assert fields(CATALOGUES["zh"][key]) - left_out == fields(CATALOGUES["en"][key]), key


@pytest.mark.parametrize("key", sorted(CATALOGUES["en"]))
def test_english_sentences_are_english(key):
    # a Chinese word an English reader must type or find (a header, a folder) is quoted data
    sentence = re.sub(
        r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”|\([^)]*[\u4e00-\u9fff][^)]*\)",
        "",
        CATALOGUES["en"][key],
    )
    assert not CJK.search(sentence), f"{key}: {CATALOGUES['en'][key]}"


def test_an_unknown_language_falls_back_to_chinese():
    assert text("path_missing", "fr", path="x") == text("path_missing", "zh", path="x")
