"""WordprocessingML as strings: the only vocabulary the writer builds with.

The body of a contract is a long, flat run of paragraphs. It is built as
XML strings and put into the package as text (:mod:`.writer`), which is
many times faster than creating elements one by one through python-docx;
every builder here returns a ``str`` fragment in the ``w:`` namespace.
``parse_fragment`` turns fragments into python-docx element objects (``CT_P``,
``CT_Tbl``…) for the few places that edit a python-docx tree (preparing a
package: markers, header and footer).

Notes on the XML Word writes, for the tricky cases:

* ``w:t`` drops leading/trailing spaces unless it carries
  ``xml:space="preserve"``; a newline in text is a ``w:br``, a tab ``w:tab``.
* ``w:pPr`` and ``w:rPr`` children have a fixed schema order; ``PPR_ORDER``
  and ``RPR_ORDER`` list it for code that merges properties.
* XML 1.0 cannot hold C0 controls other than tab/newline, nor U+FFFE/FFFF;
  such characters are dropped (a .docx holding one is corrupt).
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from ..xmlchars import XML_ILLEGAL

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'


def w(tag: str) -> str:
    """Clark name of a ``w:`` tag: ``w("p")`` → ``{…/main}p``."""
    return f"{{{W_NS}}}{tag}"


W_VAL = w("val")

# Schema order of paragraph and run property children (ECMA-376 CT_PPrBase,
# CT_RPr); used to insert merged properties where Word expects them.
PPR_ORDER = tuple(
    w(t)
    for t in (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
        "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
        "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
        "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
        "sectPr pPrChange"
    ).split()
)
RPR_ORDER = tuple(
    w(t)
    for t in (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
        "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz "
        "szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
        "eastAsianLayout specVanish oMath rPrChange"
    ).split()
)
# CT_Style children, for inserting a missing pPr/rPr at the right place.
STYLE_ORDER = tuple(
    w(t)
    for t in (
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
        "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid "
        "pPr rPr tblPr trPr tcPr tblStylePr"
    ).split()
)

_INVALID_XML = re.compile(f"[{XML_ILLEGAL}]")
_NEEDS_ESCAPE = re.compile(f"[&<>{XML_ILLEGAL}]")
_SPECIAL = re.compile(r"(\n|\t)")


def esc(text: str) -> str:
    """Escape text for element content."""
    if _NEEDS_ESCAPE.search(text) is None:  # most text: one scan, nothing to change
        return text
    if _INVALID_XML.search(text):
        text = _INVALID_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(text: str) -> str:
    """Escape text for an attribute value (in double quotes)."""
    return esc(text).replace('"', "&quot;")


def _t(text: str) -> str:
    if not text:
        return ""
    if text[0] == " " or text[-1] == " " or "  " in text:
        return f'<w:t xml:space="preserve">{esc(text)}</w:t>'
    return f"<w:t>{esc(text)}</w:t>"


def text_content(text: str) -> str:
    """Run content for ``text``: ``w:t`` pieces, ``w:br`` for newlines, ``w:tab`` for tabs."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text and "\t" not in text:
        return _t(text)
    out = []
    for piece in _SPECIAL.split(text):
        if piece == "\n":
            out.append("<w:br/>")
        elif piece == "\t":
            out.append("<w:tab/>")
        else:
            out.append(_t(piece))
    return "".join(out)


_RPR = {
    (False, False): "",
    (True, False): "<w:rPr><w:b/><w:bCs/></w:rPr>",
    (False, True): "<w:rPr><w:i/><w:iCs/></w:rPr>",
    (True, True): "<w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr>",
}


def run(text: str, bold: bool = False, italic: bool = False) -> str:
    """One ``w:r``; the only direct formatting the writer ever applies is bold/italic."""
    if not text:
        return ""
    # A body has thousands of runs: the common case (one line, no edge
    # spaces) is written here without the general path's calls.
    if "\n" in text or "\t" in text or "\r" in text or text[0] == " " or text[-1] == " " or "  " in text:
        return f"<w:r>{_RPR[bool(bold), bool(italic)]}{text_content(text)}</w:r>"
    return f"<w:r>{_RPR[bool(bold), bool(italic)]}<w:t>{esc(text)}</w:t></w:r>"


def runs(items: Iterable) -> str:
    """``w:r`` elements for model runs (objects with text/bold/italic)."""
    return "".join(run(r.text, r.bold, r.italic) for r in items)


def ppr(
    style_id: str | None,
    *,
    keep_next: bool = False,
    page_break: bool = False,
    num: tuple[int, int] | None = None,
    sect_pr: str = "",
) -> str:
    """A ``w:pPr`` in schema order (pStyle, keepNext, pageBreakBefore, numPr, sectPr)."""
    parts = []
    if style_id:
        parts.append(f'<w:pStyle w:val="{style_id}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if page_break:
        parts.append("<w:pageBreakBefore/>")
    if num is not None:
        parts.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
    if sect_pr:
        parts.append(sect_pr)
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


def paragraph(style_id: str | None, content: str = "", **kw) -> str:
    if style_id and not kw:  # the common case, without building the general pPr
        return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{content}</w:p>'
    return f"<w:p>{ppr(style_id, **kw)}{content}</w:p>"


def parse_fragment(fragments: Sequence[str]) -> list:
    """Parse ``w:`` fragments at once; return the top-level elements (python-docx classes)."""
    from docx.oxml.parser import parse_xml  # python-docx's element classes; only when preparing

    root = parse_xml(f"<w:body {NS_DECL}>{''.join(fragments)}</w:body>")
    return list(root)


def insert_in_order(parent, child, order: Sequence[str]) -> None:
    """Insert ``child`` into ``parent`` where the schema sequence ``order`` wants it."""
    rank = {tag: i for i, tag in enumerate(order)}
    mine = rank.get(child.tag, len(order))
    for i, existing in enumerate(parent):
        if rank.get(existing.tag, len(order)) > mine:
            parent.insert(i, child)
            return
    parent.append(child)
