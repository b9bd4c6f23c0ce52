"""The fast paths of clause rendering give what the general path gives.

Two costs of rendering a clause are skipped when they cannot change the
text: markdown-it for a text without any Markdown syntax, and the French
typography rules whose trigger characters are absent. These properties
compare them, on random texts, with markdown-it itself and with the rules
applied one after the other as they were first written.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csi_docgen import blocks, french

NBSP, NNBSP = "\u00a0", "\u202f"

# Lists and paragraphs, as clause texts mix them.
BLOCKY_TEXTS = st.lists(
    st.sampled_from(["- un", "- deux **gras**", "  suite", "1. premier", "2) second", "Texte simple.", "  retrait",
                     "Fin\\-de", "a\\*b", "", "", "   ", "\ue000x\\.\ue001 y", "- trois ;", "- quatre.", "-  cinq",
                     "- \ue000\ue001", "- - six", "* sept", "-", "- 8. huit", "- \u00a0neuf", "- dix  ", "+ onze"]),
    max_size=12,
).map("\n".join)


@settings(max_examples=1500, deadline=None)
@given(BLOCKY_TEXTS)
def test_fast_path_matches_markdown_it_on_lists_and_paragraphs(text):
    assert blocks.markdown_blocks(text) == blocks._parsed_blocks(text)


# Letters, digits, every ASCII punctuation sign, the spaces Markdown and
# French typography care about, line breaks and the value markers.
ALPHABET = st.sampled_from(
    list("abcnLRDé°0123456789")
    + list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»")
    + [" ", " ", " ", NBSP, NNBSP, "\n", "\n", "\t", french.VALUE_START, french.VALUE_END]
)
TEXTS = st.text(ALPHABET, max_size=60)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_fast_path_matches_markdown_it(text):
    assert blocks.markdown_blocks(text) == blocks._parsed_blocks(text)


# Texts that mostly take the plain path: no character that always means syntax.
PLAIN_TEXTS = st.text(
    st.sampled_from(
        list("abcnLé°0123456789") + list("!\"#$%'()+,-./:;=?@[]^{|}~«»\\") + [" ", " ", NBSP, "\n", "\n", french.VALUE_START, french.VALUE_END]
    ),
    max_size=60,
)


@settings(max_examples=2000, deadline=None)
@given(PLAIN_TEXTS)
def test_fast_path_matches_markdown_it_on_likely_plain_texts(text):
    assert blocks.markdown_blocks(text) == blocks._parsed_blocks(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("abc é,.'«»:;0123456789") + [NBSP]), min_size=1, max_size=30), max_size=6))
def test_plain_text_path_on_paragraph_texts(paragraphs):
    text = "\n\n".join(p.replace(".", ". ") for p in paragraphs)
    assert blocks.markdown_blocks(text) == blocks._parsed_blocks(text)


def test_markdown_syntax_is_not_taken_for_plain_text():
    for text in ["**gras**", "- un\n- deux", "1. un", "a  \nb", "a\\\nb", "&amp;", "_x_", "a\n2) b", "# titre"]:
        assert not blocks._is_plain(text), text


def _reference_typeset(text: str) -> str:
    """The typography rules as first written: every rule on every text."""
    text = re.sub(r'"([^"\n]*)"', r"« \1 »", text)
    text = text.replace("'", "’")
    text = re.sub(r"«[ \u00a0]*", "«" + NBSP, text)
    text = re.sub(r"[ \u00a0]*»", NBSP + "»", text)
    text = re.sub(r"(?<=\S)[ \u00a0]*:(?=\s|$)", NBSP + ":", text)
    text = re.sub(r"(?<=\S)[ \u00a0]*([;!?])(?=\s|$|»|\))", NNBSP + r"\1", text)
    text = re.sub(r"\bn° +", "n°" + NBSP, text)
    text = re.sub(r"(?<=\b\d) (?=\d{3}\b)|(?<=\b\d\d) (?=\d{3}\b)|(?<=\b\d\d\d) (?=\d{3}\b)", NNBSP, text)
    text = re.sub(r"\b([LRD])\. +(?=\d)", r"\1." + NBSP, text)
    months = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    text = re.sub(r"(?<![\d,.])(\d{1,2}|1er) +(?=(?:%s)\b)" % months, r"\1" + NBSP, text)
    return text


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_typography_matches_every_rule_applied(text):
    assert french._typeset(text) == _reference_typeset(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la circulaire du 16 avril 2021 relative", f"la circulaire du 16{NBSP}avril 2021 relative"),
        ("le 1er janvier 2022", f"le 1er{NBSP}janvier 2022"),
        ("du 21  mars 2024", f"du 21{NBSP}mars 2024"),
        ("les 12 maires", "les 12 maires"),  # « mai » only as a whole word
        ("en 2021 mars", "en 2021 mars"),  # a year is not a day
        ("3,5 mai", "3,5 mai"),
    ],
)
def test_the_day_never_ends_a_line_without_its_month(text, expected):
    assert french.typography(text) == expected == _reference_typeset(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(BLOCKY_TEXTS, TEXTS), max_size=6))
def test_texts_parsed_together_give_each_text_parsed_alone(texts):
    together = blocks.rendered_blocks_many(texts)
    alone = [blocks.markdown_blocks(french.typography(french.clean_text(t))) for t in texts]
    assert together == alone


def test_a_text_holding_the_separator_is_parsed_alone():
    texts = ["- a\n- b", f"x\n\n{blocks._SEPARATOR}\n\n- c", "1. d"]
    assert blocks.rendered_blocks_many(texts) == [blocks.markdown_blocks(french.typography(t)) for t in texts]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(TEXTS, PLAIN_TEXTS, BLOCKY_TEXTS))
def test_plain_test_by_parts_is_the_one_pattern(text):
    unescaped = blocks._ESCAPE.sub("", text)
    assert blocks._is_plain(text) == (blocks._MARKDOWN_SYNTAX.search(unescaped) is None)
