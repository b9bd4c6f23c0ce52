"""The template's table style, written on the annex tables as direct formatting.

An annex table names no table style: it carries the look that the
template's « Tableau CSI » style gives (borders, cell margins, indent, and
the header row's shading and bold), read from the template when it is
prepared, so a drafter still restyles the tables in the template.

Why: LibreOffice applies a table style on import by setting its properties
on every paragraph of every cell, one by one. On an indicator annex of a
thousand cells that was 10 % of a PDF conversion with LibreOffice 7.4 and a
third with 25.2, for a look that Word and LibreOffice render the same way
from direct formatting.

Only what can be written exactly is written: a style with properties beyond
these (paragraph or run properties for the whole table, banded rows…) is
left to the table style itself (:func:`direct_look` returns None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .ooxml import RPR_ORDER, W_NS, w

_METADATA = {
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid",
}  # fmt: skip
# w:tblPr children a style may carry, in schema order; the band sizes only
# matter to banded rows, which the annex tables turn off (w:tblLook).
_TBL_PR = ("jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblCellMar")
_BAND_SIZES = {"tblStyleRowBandSize", "tblStyleColBandSize"}
_BY_SIDE = {"tblBorders", "tblCellMar"}  # merged side by side along basedOn
_TC_PR = ("tcBorders", "shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
# Conditional formats the annex tables' w:tblLook turns off (only firstRow is on).
_OFF = {"lastRow", "firstCol", "lastCol", "band1Vert", "band2Vert", "band1Horz", "band2Horz",
        "neCell", "nwCell", "seCell", "swCell"}  # fmt: skip
_XMLNS = re.compile(r' xmlns:\w+="[^"]*"')
_RPR_NAMES = tuple(etree.QName(tag).localname for tag in RPR_ORDER)


@dataclass(frozen=True)
class TableLook:
    """Direct formatting equal to a table style, as XML to put in place."""

    tbl_pr: str  # w:tblPr children before w:tblLayout (jc, indent, borders, shading)
    cell_margins: str  # w:tblCellMar, after w:tblLayout
    header_tc_pr: str  # w:tcPr children of each header cell (shading, borders…)
    header_r_pr: str  # w:rPr children of each header run (bold…)


class _Unsupported(Exception):
    pass


def direct_look(styles_element, style_id: str | None) -> TableLook | None:
    """The look of table style ``style_id`` as direct formatting, or None when it cannot be written exactly."""
    if style_id is None:
        return None
    try:
        chain = _chain(styles_element, style_id)
        if not chain:
            return None
        table: dict[str, etree._Element] = {}
        header_tc: dict[str, etree._Element] = {}
        header_r: dict[str, etree._Element] = {}
        for style in chain:  # the base first: a derived style overrides it
            for child in _elements(style):
                name = etree.QName(child).localname
                if name in _METADATA:
                    continue
                if name == "tblPr":
                    _merge(table, child, _TBL_PR, _BAND_SIZES)
                elif name == "tblStylePr":
                    kind = child.get(w("type"))
                    if kind in _OFF:
                        continue
                    if kind != "firstRow":
                        raise _Unsupported(kind)
                    for part in _elements(child):
                        part_name = etree.QName(part).localname
                        if part_name == "tcPr":
                            _merge(header_tc, part, _TC_PR, {"tcW", "cnfStyle"})
                        elif part_name == "rPr":
                            _merge(header_r, part, _RPR_NAMES, set())
                        else:
                            raise _Unsupported(part_name)
                elif len(child):  # pPr, rPr, tcPr, trPr for the whole table
                    raise _Unsupported(name)
        return TableLook(
            tbl_pr=_serialise(table, _TBL_PR[:-1]),
            cell_margins=_serialise(table, ("tblCellMar",)),
            header_tc_pr=_serialise(header_tc, _TC_PR),
            header_r_pr=_serialise(header_r, _RPR_NAMES),
        )
    except _Unsupported:
        return None


def _chain(styles_element, style_id: str) -> list:
    by_id = {el.get(w("styleId")): el for el in styles_element.iterchildren(w("style"))}
    chain, seen = [], set()
    current = style_id
    while current and current not in seen:
        seen.add(current)
        style = by_id.get(current)  # not an XPath test: an id may hold a quote
        if style is None:
            break
        chain.append(style)
        based = style.find(w("basedOn"))
        current = based.get(w("val")) if based is not None else None
    return chain[::-1]


def _merge(into: dict, properties, allowed: tuple[str, ...], ignored: set[str]) -> None:
    for prop in _elements(properties):
        qname = etree.QName(prop)
        if qname.namespace != W_NS or any(etree.QName(a).namespace not in (None, W_NS) for a in prop.attrib):
            raise _Unsupported(prop.tag)
        name = qname.localname
        if name in ignored:
            continue
        if name not in allowed:
            raise _Unsupported(name)
        if name in _BY_SIDE and name in into:
            merged = into[name]
            for side in _elements(prop):
                old = merged.find(side.tag)
                if old is not None:
                    merged.remove(old)
                merged.append(_copy(side))
        else:
            into[name] = _copy(prop)


def _elements(parent):
    """The child elements of ``parent`` (comments and processing instructions left out)."""
    return [child for child in parent if isinstance(child.tag, str)]


def _copy(element):
    copy = etree.fromstring(etree.tostring(element))
    for other in list(copy.iter(etree.Comment, etree.ProcessingInstruction)):
        other.getparent().remove(other)
    return copy


def _serialise(found: dict, order: tuple[str, ...]) -> str:
    out = []
    for name in order:
        element = found.get(name)
        if element is None:
            continue
        if name in _BY_SIDE:  # sides in schema order
            sides = ("top", "start", "left", "bottom", "end", "right", "insideH", "insideV")
            children = sorted(_elements(element), key=lambda side: sides.index(etree.QName(side).localname)
                              if etree.QName(side).localname in sides else len(sides))
            for child in children:
                element.remove(child)
                element.append(child)
        out.append(_XMLNS.sub("", etree.tostring(element, encoding="unicode")))
    return "".join(out)
