"""Two builds of a contract → one .docx whose differences are Word revisions.

The consolidated text of an amended contract shows, as tracked changes,
every change the avenant makes: a paragraph only in the signed version is
a deletion (its runs in ``w:del``, its text in ``w:delText``, its
paragraph mark deleted), a paragraph only in the amended one an insertion
(``w:ins``), and a paragraph changed in a few words keeps its unchanged
words plain, with the old ones deleted and the new ones inserted. A table
row is inserted or deleted as a whole (``w:trPr/w:ins|w:del``). Every
revision carries the author (« Avenant n° 1 ») and the avenant's date, so
that accepting every revision gives the amended text and rejecting every
revision gives the signed one.

Both builds come from the same writer with the same template, so their
bodies differ only where the contracts do; the comparison ignores what
moves with every heading added before it (bookmark ids and names, the TOC
links' anchors).
"""

from __future__ import annotations

import copy
import difflib
import re
from typing import Iterable, Optional

from lxml import etree

from .reproducible import read_package, write_package

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
_TOKEN = re.compile(r"\s+|[^\s]+")


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


_BOOKMARKS = (w("bookmarkStart"), w("bookmarkEnd"))
_SIMPLE_RUN = {w("rPr"), w("t")}


class _Revisions:
    def __init__(self, author: str, date: Optional[str], first_id: int):
        self.author, self.date, self.next_id = author, date, first_id

    def mark(self, tag: str) -> etree._Element:
        element = etree.Element(w(tag))
        element.set(w("id"), str(self.next_id))
        self.next_id += 1
        element.set(w("author"), self.author)
        if self.date:
            element.set(w("date"), self.date)
        return element

    # --- whole elements ---------------------------------------------------------
    def deleted(self, element):
        element = copy.deepcopy(element)
        for bookmark in [e for e in element.iter(*_BOOKMARKS)]:
            bookmark.getparent().remove(bookmark)
        for link in element.iter(w("hyperlink")):
            link.attrib.pop(w("anchor"), None)
        for t in element.iter(w("t")):
            t.tag = w("delText")
        for t in element.iter(w("instrText")):
            t.tag = w("delInstrText")
        return self._marked(element, "del")

    def inserted(self, element):
        return self._marked(copy.deepcopy(element), "ins")

    def _marked(self, element, kind: str):
        if element.tag == w("tbl"):
            for row in element.iter(w("tr")):
                self._mark_row(row, kind)
            return element
        for p in ([element] if element.tag == w("p") else list(element.iter(w("p")))):
            self._wrap_runs(p, kind)
            self._mark_paragraph(p, kind)
        return element

    def _wrap_runs(self, parent, kind: str) -> None:
        """Each run of consecutive ``w:r`` children (at any depth: hyperlinks) in one ``w:ins``/``w:del``."""
        for container in [parent, *parent.iter(w("hyperlink"))]:
            group = None
            for child in list(container):
                if child.tag == w("r"):
                    if group is None:
                        group = self.mark(kind)
                        child.addprevious(group)
                    group.append(child)
                else:
                    group = None

    def _mark_paragraph(self, p, kind: str) -> None:
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            p.insert(0, ppr)
        if ppr.find(w("sectPr")) is not None:
            return  # a section break stays where it is
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            after = [c for c in ppr if c.tag in (w("sectPr"), w("pPrChange"))]
            if after:
                after[0].addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.insert(0, self.mark(kind))

    def _mark_row(self, row, kind: str) -> None:
        trpr = row.find(w("trPr"))
        if trpr is None:
            trpr = etree.Element(w("trPr"))
            tblpr_ex = row.find(w("tblPrEx"))
            (tblpr_ex.addnext if tblpr_ex is not None else (lambda e: row.insert(0, e)))(trpr)
        trpr.append(self.mark(kind))
        for p in row.iter(w("p")):
            self._wrap_runs(p, kind)

    # --- a paragraph changed in a few words ---------------------------------------
    def words(self, old, new):
        """``new`` with its differences from ``old`` as revisions, or None when the paragraphs are not simple."""
        old_tokens, new_tokens = _tokens(old), _tokens(new)
        if old_tokens is None or new_tokens is None:
            return None
        out = etree.Element(w("p"))
        ppr = new.find(w("pPr"))
        if ppr is not None:
            out.append(copy.deepcopy(ppr))
        starts = [copy.deepcopy(e) for e in new if e.tag == w("bookmarkStart")]
        ends = [copy.deepcopy(e) for e in new if e.tag == w("bookmarkEnd")]
        out.extend(starts)
        pieces: list[tuple[str, bytes, str]] = []  # (kind, rPr, text)
        matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
        for tag, i1, i2, j1, j2 in _joined(matcher.get_opcodes(), new_tokens):
            if tag == "equal":
                pieces.extend(("", rpr, text) for rpr, text in new_tokens[j1:j2])
                continue
            pieces.extend(("del", rpr, text) for rpr, text in old_tokens[i1:i2])
            pieces.extend(("ins", rpr, text) for rpr, text in new_tokens[j1:j2])
        merged: list[list] = []
        for kind, rpr, text in pieces:
            if merged and merged[-1][0] == kind and merged[-1][1] == rpr:
                merged[-1][2] += text
            else:
                merged.append([kind, rpr, text])
        wrapper = None
        for kind, rpr, text in merged:
            run = etree.SubElement(out, w("r"))
            if rpr:
                run.append(etree.fromstring(rpr))
            t = etree.SubElement(run, w("delText" if kind == "del" else "t"))
            t.text = text
            if text != text.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if kind:
                if wrapper is None or wrapper.tag != w(kind) or wrapper.getnext() is not run:
                    wrapper = self.mark(kind)
                    run.addprevious(wrapper)
                wrapper.append(run)
            else:
                wrapper = None
        out.extend(ends)
        return out

    def rows(self, old, new):
        """``new`` (a table) with its rows inserted or deleted against ``old``, or None when their columns differ.

        The table keeps ``new``'s layout (widths follow the contents); a deleted row keeps its own cells' widths.
        """
        old_rows, new_rows = old.findall(w("tr")), new.findall(w("tr"))
        if len(old.findall(w("tblGrid") + "/" + w("gridCol"))) != len(new.findall(w("tblGrid") + "/" + w("gridCol"))):
            return None
        out = etree.Element(w("tbl"))
        for child in new:
            if child.tag != w("tr"):
                out.append(copy.deepcopy(child))
        # Column widths follow the contents: rows are compared on their cells' contents only.
        matcher = difflib.SequenceMatcher(a=[_row_key(r) for r in old_rows], b=[_row_key(r) for r in new_rows], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out.extend(copy.deepcopy(r) for r in new_rows[j1:j2])
                continue
            for row in old_rows[i1:i2]:
                out.append(self.deleted(_as_table(row)).find(w("tr")))
            for row in new_rows[j1:j2]:
                out.append(self.inserted(_as_table(row)).find(w("tr")))
        return out


def _joined(opcodes, new_tokens):
    """Opcodes with a change, a lone space and a change merged into one change (« dix (10) » → « quinze (15) »)."""
    out = [list(op) for op in opcodes]
    merged = []
    index = 0
    while index < len(out):
        tag, i1, i2, j1, j2 = out[index]
        if (
            tag == "equal"
            and merged and merged[-1][0] != "equal"
            and index + 1 < len(out) and out[index + 1][0] != "equal"
            and all(not token[1].strip() for token in new_tokens[j1:j2])
        ):
            following = out[index + 1]
            merged[-1] = ["replace", merged[-1][1], following[2], merged[-1][3], following[4]]
            index += 2
            continue
        if tag != "equal" and merged and merged[-1][0] != "equal":
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
        else:
            merged.append([tag, i1, i2, j1, j2])
        index += 1
    return [tuple(op) for op in merged]


def _as_table(row):
    table = etree.Element(w("tbl"))
    table.append(copy.deepcopy(row))
    return table


def _tokens(p) -> Optional[list[tuple[bytes, str]]]:
    """(rPr, word or space) of a paragraph made only of plain text runs; None otherwise."""
    tokens = []
    for child in p:
        if child.tag in (w("pPr"), *_BOOKMARKS):
            continue
        if child.tag != w("r") or any(c.tag not in _SIMPLE_RUN for c in child):
            return None
        rpr = child.find(w("rPr"))
        rpr_key = etree.tostring(rpr) if rpr is not None else b""
        text = "".join(t.text or "" for t in child.iter(w("t")))
        tokens.extend((rpr_key, token) for token in _TOKEN.findall(text))
    return tokens


def _key(element) -> bytes:
    """What an element is, leaving out what moves when a heading is added before it."""
    if element is None:
        return b""
    if not any(True for _ in element.iter(*_BOOKMARKS, w("hyperlink"))):
        return etree.tostring(element)
    element = copy.deepcopy(element)
    for bookmark in list(element.iter(*_BOOKMARKS)):
        bookmark.getparent().remove(bookmark)
    for link in element.iter(w("hyperlink")):
        link.attrib.pop(w("anchor"), None)
    return etree.tostring(element)


def _row_key(row) -> bytes:
    row = copy.deepcopy(row)
    for props in list(row.iter(w("tcPr"), w("trPr"))):
        props.getparent().remove(props)
    return _key(row)


def _style_key(element) -> bytes:
    if element.tag != w("p"):
        return element.tag.encode()
    ppr = element.find(w("pPr"))
    style = ppr.find(w("pStyle")) if ppr is not None else None
    return b"p:" + (style.get(w("val")).encode() if style is not None else b"")


def _merge(old: list, new: list, revisions: _Revisions) -> Iterable:
    old_keys, new_keys = [_key(e) for e in old], [_key(e) for e in new]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False).get_opcodes():
        if tag == "equal":
            yield from new[j1:j2]
        elif tag == "delete":
            yield from (revisions.deleted(e) for e in old[i1:i2])
        elif tag == "insert":
            yield from (revisions.inserted(e) for e in new[j1:j2])
        else:
            yield from _pairs(old[i1:i2], new[j1:j2], revisions)


def _pairs(old: list, new: list, revisions: _Revisions) -> Iterable:
    """A replaced stretch: elements of the same kind and style paired, the others deleted or inserted."""
    matcher = difflib.SequenceMatcher(a=[_style_key(e) for e in old], b=[_style_key(e) for e in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2]):
                if _key(a) == _key(b):
                    yield b
                    continue
                merged = revisions.words(a, b) if a.tag == w("p") else revisions.rows(a, b) if a.tag == w("tbl") else None
                if merged is None:
                    yield revisions.deleted(a)
                    yield revisions.inserted(b)
                else:
                    yield merged
        else:
            yield from (revisions.deleted(e) for e in old[i1:i2])
            yield from (revisions.inserted(e) for e in new[j1:j2])


def _max_id(*roots) -> int:
    ids = [int(v) for root in roots for v in root.xpath("//@w:id", namespaces={"w": W_NS}) if v.lstrip("-").isdigit()]
    return max(ids, default=0)


def tracked_document(old_xml: bytes, new_xml: bytes, author: str, date: Optional[str]) -> bytes:
    """The new document part with every difference from the old one as a revision."""
    old_root, new_root = etree.fromstring(old_xml), etree.fromstring(new_xml)
    old_body, new_body = old_root.find(w("body")), new_root.find(w("body"))
    section = new_body.find(w("sectPr"))
    old_items = [e for e in old_body if e.tag != w("sectPr")]
    new_items = [e for e in new_body if e.tag != w("sectPr")]
    revisions = _Revisions(author, date, _max_id(old_root, new_root) + 1)
    merged = list(_merge(old_items, new_items, revisions))
    for child in list(new_body):
        new_body.remove(child)
    new_body.extend(merged)
    if section is not None:
        new_body.append(section)
    return etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)


def tracked_docx(signed: bytes, amended: bytes, author: str, date: Optional[str]) -> bytes:
    """The amended .docx with every change from the signed one as a Word revision (same bytes for the same inputs)."""
    old_parts, parts = read_package(signed), read_package(amended)
    parts[DOCUMENT] = tracked_document(old_parts[DOCUMENT], parts[DOCUMENT], author, date)
    return write_package(parts)
