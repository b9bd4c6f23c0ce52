"""Word fields (PAGE, NUMPAGES, TOC, PAGEREF) as complex fields.

A complex field is a run sequence::

    <w:r><w:fldChar w:fldCharType="begin"/></w:r>
    <w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
    <w:r><w:fldChar w:fldCharType="separate"/></w:r>
    …cached result runs…
    <w:r><w:fldChar w:fldCharType="end"/></w:r>

Word and LibreOffice show the cached result until the field is updated;
PAGE and NUMPAGES are recomputed at every layout, so their cache is only a
placeholder. A field may span several paragraphs (the TOC does): ``begin``
and ``end`` then sit in different paragraphs. We never set
``w:updateFields`` in settings (Word would ask "update the fields?" on
opening) nor ``w:dirty`` on a field.
"""

from __future__ import annotations

from .ooxml import esc

BEGIN = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
SEPARATE = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def instruction(code: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve"> {esc(code)} </w:instrText></w:r>'


def field_start(code: str) -> str:
    """``begin``, the instruction and ``separate``: what precedes a cached result."""
    return BEGIN + instruction(code) + SEPARATE


def complex_field(code: str, cached: str = "1") -> str:
    """A whole one-paragraph field whose cached result is the plain text ``cached``."""
    return f"{field_start(code)}<w:r><w:t>{esc(cached)}</w:t></w:r>{END}"


def page() -> str:
    return complex_field("PAGE")


def numpages() -> str:
    return complex_field("NUMPAGES")
