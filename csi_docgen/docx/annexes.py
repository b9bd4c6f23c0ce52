"""External annexes: checked before anything is written, then merged with docxcompose.

docxcompose copies an appended document's body, the styles and numberings
it uses, its images and footnotes. Left alone it would also restyle the
annex: a style whose name exists in the contract (« Normal », « heading 1 »…)
is taken from the contract, and the annex's document defaults and theme
fonts are lost. So before merging, on the annex's own (throwaway) copy:

1. theme fonts (``w:asciiTheme="minorHAnsi"``…) become the names the annex's
   theme gives them;
2. paragraphs without a style get the annex's default paragraph style
   explicitly (otherwise they would fall into the contract's « Normal »);
3. the annex's document defaults, where they differ from the contract's,
   are folded into its root paragraph styles;
4. each style whose name clashes with a contract style but whose
   definition differs — or whose parent was renamed — is renamed
   « Normal (annexe 5) », with id ``Annexe5Normal``, and every reference
   follows.

After the merge, parents of copied styles that docxcompose did not copy
(it copies only the styles used directly) are copied too. docxcompose gives
the merged list its own numbering restarted at 1 (``w:startOverride``); its
random ``w:nsid`` values are replaced by :func:`.reproducible.fix_nsids`.

This module (python-docx with it) is imported only when a package is
prepared (:mod:`.package`); reading an annex's file is :mod:`.annexfiles`.
docxcompose is imported only when a contract has external annexes, and
its import rebinds python-docx's global ``cp`` prefix to the
custom-properties namespace (which breaks python-docx's core properties);
:func:`_docxcompose` keeps that binding to the time of a merge.
"""

from __future__ import annotations

import copy
import re
import io
import zipfile
from contextlib import contextmanager

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import ns as docx_ns
from docx.styles import BabelFish
from lxml import etree

from .. import untrusted
from .annexfiles import annex_error as _fail
from .ooxml import A_NS, PPR_ORDER, RPR_ORDER, STYLE_ORDER, insert_in_order, w
from .reproducible import fix_nsids

_THEME_ATTRS = (("asciiTheme", "ascii"), ("hAnsiTheme", "hAnsi"), ("eastAsiaTheme", "eastAsia"), ("cstheme", "cs"))
# Style children that do not change how text looks.
_COSMETIC = {w(t) for t in ("name", "aliases", "rsid", "uiPriority", "qFormat", "semiHidden", "unhideWhenUsed",
                            "locked", "autoRedefine", "personal", "personalCompose", "personalReply", "link", "next")}
_STYLE_REFS = (w("pStyle"), w("rStyle"), w("tblStyle"))


# --- loading ----------------------------------------------------------------


def open_external(annex, data: bytes):
    """Open an external annex's bytes as a document, or raise AnnexError saying what is wrong.

    The annex is first cleaned under the untrusted-file policy (:mod:`csi_docgen.untrusted`).
    """
    hint = "enregistrez-le au format Word .docx (Word 2007 ou plus récent, LibreOffice « Word 2007-365 »)"
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _fail(annex, "ce n’est pas un document Word .docx", hint)
    try:
        data = untrusted.clean(data, accept_changes=getattr(annex, "accept_changes", False)).data
    except untrusted.Refused as exc:
        raise _fail(annex, exc.problem, exc.hint) from None
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a zip that is not a .docx
        raise _fail(annex, "ce n’est pas un document Word .docx lisible", hint) from None


# --- preparing an annex -----------------------------------------------------


def _canonical(el) -> bytes:
    return etree.tostring(el, method="c14n")


def _resolve_theme_fonts(annex_doc) -> None:
    try:
        theme = etree.fromstring(annex_doc.part.part_related_by(RT.THEME).blob)
    except (KeyError, etree.XMLSyntaxError):
        theme = None
    faces: dict[str, str] = {}
    if theme is not None:
        for kind in ("major", "minor"):
            scheme = theme.find(f".//{{{A_NS}}}{kind}Font")
            if scheme is None:
                continue
            for script, key in (("latin", "HAnsi"), ("latin", "Ascii"), ("ea", "EastAsia"), ("cs", "Bidi")):
                face = scheme.find(f"{{{A_NS}}}{script}")
                if face is not None and face.get("typeface"):
                    faces[kind + key] = face.get("typeface")
    roots = [annex_doc.styles.element, annex_doc.element.body]
    try:
        roots.append(annex_doc.part.part_related_by(RT.NUMBERING).element)
    except KeyError:
        pass
    for root in roots:
        for rfonts in root.iter(w("rFonts")):
            for theme_attr, plain in _THEME_ATTRS:
                value = rfonts.attrib.pop(w(theme_attr), None)
                if value is not None and value in faces:
                    rfonts.set(w(plain), faces[value])


def _explicit_paragraph_styles(annex_doc) -> None:
    default = annex_doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    if default is None:
        return
    for p in annex_doc.element.body.iter(w("p")):
        ppr = p.get_or_add_pPr()
        if ppr.find(w("pStyle")) is None:
            ppr.style = default.style_id


def _merge_properties(target, defaults, order) -> None:
    """Add to ``target`` (a pPr/rPr) what ``defaults`` sets and it does not."""
    for prop in defaults:
        mine = target.find(prop.tag)
        if mine is None:
            insert_in_order(target, copy.deepcopy(prop), order)
        else:
            for key, value in prop.attrib.items():
                if key not in mine.attrib:
                    mine.set(key, value)


def _fold_doc_defaults(annex_doc, contract_doc) -> None:
    """Put the annex's document defaults that differ from ours into its root paragraph styles."""

    def defaults(doc, kind: str):
        el = doc.styles.element.find(f"{w('docDefaults')}/{w(kind + 'PrDefault')}/{w(kind + 'Pr')}")
        return el

    for kind, order in (("r", RPR_ORDER), ("p", PPR_ORDER)):
        theirs, ours = defaults(annex_doc, kind), defaults(contract_doc, kind)
        if theirs is None:
            continue
        ours_by_tag = {el.tag: _canonical(el) for el in ours} if ours is not None else {}
        differing = [el for el in theirs if ours_by_tag.get(el.tag) != _canonical(el)]
        if not differing:
            continue
        for style in annex_doc.styles.element.iterchildren(w("style")):
            if style.get(w("type")) != "paragraph" or style.find(w("basedOn")) is not None:
                continue
            props = style.find(w(f"{kind}Pr"))
            if props is None:
                props = style.makeelement(w(f"{kind}Pr"), {})
                insert_in_order(style, props, STYLE_ORDER)
            _merge_properties(props, differing, order)


def _appearance(style) -> bytes:
    clone = copy.deepcopy(style)
    for child in list(clone):
        if child.tag in _COSMETIC:
            clone.remove(child)
    clone.attrib.pop(w("default"), None)
    clone.attrib.pop(w("customStyle"), None)
    return _canonical(clone)


def _rename_clashing_styles(annex_doc, contract_doc, number: int) -> None:
    ours = {}
    for el in contract_doc.styles.element.iterchildren(w("style")):
        name = el.find(w("name"))
        if name is not None:
            ours[name.get(w("val")).lower()] = el
    theirs = {el.get(w("styleId")): el for el in annex_doc.styles.element.iterchildren(w("style"))}

    def name_of(el) -> str:
        name = el.find(w("name"))
        return name.get(w("val")) if name is not None else el.get(w("styleId"))

    renamed = {
        sid
        for sid, el in theirs.items()
        if name_of(el).lower() in ours and _appearance(ours[name_of(el).lower()]) != _appearance(el)
    }
    # A style whose parent is renamed no longer looks like ours either.
    changed = True
    while changed:
        changed = False
        for sid, el in theirs.items():
            parent = el.find(w("basedOn"))
            if sid not in renamed and parent is not None and parent.get(w("val")) in renamed:
                if name_of(el).lower() in ours:
                    renamed.add(sid)
                    changed = True

    new_ids = {sid: f"Annexe{number}{sid}" for sid in renamed}
    # References to a style kept as ours follow our id (style ids differ between languages).
    for sid, el in theirs.items():
        if sid not in renamed and name_of(el).lower() in ours:
            new_ids.setdefault(sid, ours[name_of(el).lower()].get(w("styleId")))

    for sid in renamed:
        el = theirs[sid]
        el.set(w("styleId"), new_ids[sid])
        el.attrib.pop(w("default"), None)
        name = el.find(w("name"))
        label = f"{BabelFish.internal2ui(name_of(el))} (annexe {number})"
        if name is None:
            name = el.makeelement(w("name"), {})
            el.insert(0, name)
        name.set(w("val"), label)
    for el in theirs.values():
        for tag in ("basedOn", "next", "link"):
            ref = el.find(w(tag))
            if ref is not None and ref.get(w("val")) in new_ids:
                ref.set(w("val"), new_ids[ref.get(w("val"))])
    if not renamed:
        return
    roots = [annex_doc.element.body]
    try:
        roots.append(annex_doc.part.part_related_by(RT.NUMBERING).element)
    except KeyError:
        pass
    for root in roots:
        for ref in root.iter(*_STYLE_REFS):
            if ref.get(w("val")) in renamed:
                ref.set(w("val"), new_ids[ref.get(w("val"))])


def _drop_title_pages(annex_doc) -> None:
    """An annex's own sections must not ask for the contract's (empty) first-page header."""
    for sect_pr in annex_doc.element.body.iter(w("sectPr")):
        for title_pg in sect_pr.findall(w("titlePg")):
            sect_pr.remove(title_pg)


def prepare(annex_doc, contract_doc, number: int) -> None:
    """Make an annex keep its look once merged into the contract (see module doc)."""
    _drop_title_pages(annex_doc)
    _resolve_theme_fonts(annex_doc)
    _explicit_paragraph_styles(annex_doc)
    _fold_doc_defaults(annex_doc, contract_doc)
    _rename_clashing_styles(annex_doc, contract_doc, number)


_CUSTOM_PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


@contextmanager
def _docxcompose():
    """docxcompose's Composer, with the namespace binding it expects only while in use."""
    previous = docx_ns.nsmap.get("cp")
    try:
        from docxcompose.composer import Composer

        docx_ns.nsmap["cp"] = _CUSTOM_PROPERTIES_NS
        yield Composer
    finally:
        docx_ns.nsmap["cp"] = previous


def _copy_missing_parents(composer, contract_doc, annex_doc) -> None:
    styles = contract_doc.styles.element
    present = {el.get(w("styleId")) for el in styles.iterchildren(w("style"))}
    pending = True
    while pending:
        pending = False
        for el in list(styles.iterchildren(w("style"))):
            for tag in ("basedOn", "next", "link"):
                ref = el.find(w(tag))
                if ref is None or ref.get(w("val")) in present:
                    continue
                source = annex_doc.styles.element.get_by_id(ref.get(w("val")))
                if source is None:
                    el.remove(ref)
                    continue
                clone = copy.deepcopy(source)
                clone.attrib.pop(w("default"), None)
                styles.append(clone)
                composer.add_numberings(annex_doc, clone)
                present.add(clone.get(w("styleId")))
                pending = True


# --- merging ------------------------------------------------------------------


def compose(contract_doc, slots, opened: dict[int, object]) -> None:
    """Insert each external annex right after its heading (``slots``: (body index, annex))."""
    if not slots:
        return
    numbering = contract_doc.part.numbering_part.element
    ours = {el.get(w("abstractNumId")) for el in numbering.iterchildren(w("abstractNum"))}
    with _docxcompose() as composer_class:
        composer = composer_class(contract_doc)
        # From the last to the first, so that earlier indexes stay valid.
        for index, annex in sorted(slots, key=lambda slot: slot[0], reverse=True):
            annex_doc = opened[annex.number]
            prepare(annex_doc, contract_doc, annex.number)
            composer.insert(index, annex_doc)
            _copy_missing_parents(composer, contract_doc, annex_doc)
    fix_nsids(numbering, ours)


# --- after merging --------------------------------------------------------------

_BOOKMARK_REF = re.compile(r"\b(REF|PAGEREF|NOTEREF)(\s+)(\S+)", re.IGNORECASE)
_MAX_BOOKMARK = 40  # Word's limit on a bookmark name


def rename_bookmarks(elements, number: int, taken: set[str]) -> None:
    """Give an annex's bookmarks names of their own (``_A5_Toc123``…), and its references follow.

    The contract's own bookmarks are named ``_Toc…``; two annexes, or a
    document merged twice, may hold the same names. ``taken`` gathers the
    names given so far.
    """
    renamed: dict[str, str] = {}
    for element in elements:
        for start in element.iter(w("bookmarkStart")):
            old = start.get(w("name")) or ""
            if old in renamed:  # the same name twice in one annex: the second one is dropped
                start.set(w("name"), _unique(f"{old}_bis", number, taken))
                continue
            renamed[old] = _unique(old, number, taken)
            start.set(w("name"), renamed[old])
    if not renamed:
        return
    for element in elements:
        for link in element.iter(w("hyperlink")):
            anchor = link.get(w("anchor"))
            if anchor in renamed:
                link.set(w("anchor"), renamed[anchor])
        for instr in element.iter(w("instrText")):
            if instr.text:
                instr.text = _BOOKMARK_REF.sub(lambda m: m[1] + m[2] + renamed.get(m[3], m[3]), instr.text)
        for simple in element.iter(w("fldSimple")):
            value = simple.get(w("instr")) or ""
            simple.set(w("instr"), _BOOKMARK_REF.sub(lambda m: m[1] + m[2] + renamed.get(m[3], m[3]), value))


def _unique(name: str, number: int, taken: set[str]) -> str:
    hidden = "_" if name.startswith("_") else ""
    base = f"{hidden}A{number}_{name.lstrip('_')}"[:_MAX_BOOKMARK]
    candidate, counter = base, 1
    while candidate in taken:
        counter += 1
        suffix = f"_{counter}"
        candidate = base[: _MAX_BOOKMARK - len(suffix)] + suffix
    taken.add(candidate)
    return candidate
