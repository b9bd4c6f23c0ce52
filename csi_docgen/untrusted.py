"""Word files from outside (external annexes, the reference template): checked and cleaned first.

A préfecture receives annexes from partners by e-mail; a template may come
from anywhere. Before python-docx or docxcompose see one, its package is
read here under one policy:

* **limits, checked before inflating**: number of entries, declared size
  of each part and of the whole package, compression ratio of each large
  part (a small zip that inflates to gigabytes is refused);
* **one XML parser** for every part: no DTD, no entity, no network; a part
  with a ``<!DOCTYPE`` is refused with the same message wherever it is;
* **active content removed, never copied**, each kind named in a warning:
  macros, OLE objects and ActiveX controls, fields that fetch or run
  something (DDE, INCLUDETEXT, INCLUDEPICTURE…: their last shown result is
  kept as plain text), relationships that point outside the file (``file://``
  links, linked pictures, an attached template), imported chunks
  (``altChunk``), sub-documents, mail merge sources, comments;
* **refused**, with what to do: tracked changes (unless the profile asks to
  accept them), endnotes, a contract csi-docgen produced (its clause
  manifest is in its custom properties), numbering with non-numeric ids.

The result is a new package (bytes) that python-docx opens as usual.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from .regular import open_regular

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# --- limits (README: « Limites ») -------------------------------------------------
MAX_ENTRIES = 2_000  # files in the package
MAX_XML_PART = 16 * 1024 * 1024  # one XML part, uncompressed
MAX_PART = 64 * 1024 * 1024  # one binary part (picture…), uncompressed
MAX_TOTAL = 160 * 1024 * 1024  # the whole package, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
# Paragraphs and tables at the top of an annex's body: merging costs about a few
# milliseconds each (docxcompose looks up styles per element), 2 000 is about 8 s.
MAX_BODY_ELEMENTS = 2_000

PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)
DTD_PROBLEM = "déclaration DOCTYPE ou d’entités XML refusée"
DTD_HINT = "ouvrez le fichier dans Word ou LibreOffice et enregistrez-le de nouveau au format .docx"

PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
O_NS = "urn:schemas-microsoft-com:office:office"
V_NS = "urn:schemas-microsoft-com:vml"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Main parts python-docx does not open as such, with the same content.
_OTHER_MAIN_CT = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
}

# Relationship types (last path segment) whose target is removed, with what it is.
_ACTIVE_RELS = {
    "vbaProject": "macros (vbaProject)",
    "wordVbaData": "macros (vbaProject)",
    "keyMapCustomizations": "macros (raccourcis)",
    "attachedToolbars": "macros (barres d’outils)",
    "oleObject": "objet OLE",
    "package": "objet OLE",
    "control": "contrôle ActiveX",
    "activeXControlBinary": "contrôle ActiveX",
    "attachedTemplate": "modèle attaché",
    "aFChunk": "contenu importé (altChunk)",
    "subDocument": "sous-document",
    "frame": "cadre externe",
    "mailMergeSource": "source de publipostage",
    "mailMergeHeaderSource": "source de publipostage",
    "recipientData": "source de publipostage",
    "comments": "commentaires",
    "commentsExtended": "commentaires",
    "commentsIds": "commentaires",
    "commentsExtensible": "commentaires",
    "people": "commentaires",
}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Fields that only show something of the document itself.
_SAFE_FIELDS = {
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "TOC", "TC", "PAGEREF", "REF", "NOTEREF", "SEQ",
    "STYLEREF", "DATE", "CREATEDATE", "SAVEDATE", "PRINTDATE", "TIME", "SYMBOL", "EQ", "FORMTEXT",
    "FORMCHECKBOX", "FORMDROPDOWN", "ADVANCE", "LISTNUM", "AUTONUM", "AUTONUMLGL", "AUTONUMOUT",
    "BIDIOUTLINE", "INDEX", "XE", "TA", "TOA", "DOCPROPERTY", "TITLE", "AUTHOR", "SUBJECT", "KEYWORDS",
    "COMMENTS", "NUMWORDS", "NUMCHARS", "REVNUM", "DOCVARIABLE", "IF", "COMPARE", "SET", "QUOTE",
    "MERGEFORMAT", "BARCODE", "DISPLAYBARCODE", "HYPERLINK",
}
_TRACKED = {
    w(t)
    for t in (
        "ins del moveFrom moveTo moveFromRangeStart moveFromRangeEnd moveToRangeStart moveToRangeEnd "
        "rPrChange pPrChange sectPrChange tblPrChange trPrChange tcPrChange tblGridChange numberingChange "
        "cellIns cellDel cellMerge customXmlInsRangeStart customXmlInsRangeEnd customXmlDelRangeStart "
        "customXmlDelRangeEnd customXmlMoveFromRangeStart customXmlMoveFromRangeEnd "
        "customXmlMoveToRangeStart customXmlMoveToRangeEnd"
    ).split()
}
CHANGES_HINT = "acceptez ou refusez les modifications dans Word avant de joindre l'annexe"
GENERATED_PREFIX = "csi-docgen:"


class Refused(Exception):
    """The file cannot be used: ``problem`` says why (French), ``hint`` what to do."""

    def __init__(self, problem: str, hint: str | None = None):
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


class NotWordFile(Refused):
    """Not a zip, or a zip without what every Word document has."""

    def __init__(self, detail: str = ""):
        super().__init__("ce n’est pas un document Word .docx lisible" + (f" ({detail})" if detail else ""), DTD_HINT)


@dataclass(frozen=True)
class Cleaned:
    """A received .docx with its active content removed, and what was removed."""

    data: bytes  # the package, active content removed
    removed: tuple[str, ...]  # what was removed, in French, each kind once

    def note(self) -> str:
        return "contenu retiré : " + ", ".join(self.removed)


def inspect_file(path, *, accept_changes: bool = False) -> Cleaned:
    """What :func:`clean` would remove from the file at ``path``, or :class:`Refused` (a quick check
    for the profile: the parts that cannot hold active content, such as styles, are only checked for
    a DOCTYPE; ``data`` is empty). OSError as :func:`.regular.open_regular` raises it."""
    with open_regular(path) as handle:
        data = handle.read()
    return clean(data, accept_changes=accept_changes, verdict_only=True)


# Parts that can hold active content or say what the package is (read in full by inspect_file).
_ACTIVE_PART = re.compile(
    r"(\.rels|\[Content_Types\]\.xml|word/(document|header\d*|footer\d*|footnotes|endnotes|comments\w*|settings|numbering)"
    r"\.xml|docProps/custom\.xml)$"
)


def clean(data: bytes, *, accept_changes: bool = False, template: bool = False, verdict_only: bool = False) -> Cleaned:
    """The package ``data`` without active content, or :class:`Refused`."""
    parts, order = _read_limited(data, None if not verdict_only else _ACTIVE_PART.search)
    removed: Counter[str] = Counter()
    trees = {name: _parse(name, blob) for name, blob in parts.items() if _is_xml(name, blob)}
    dirty: set[str] = set()

    types = trees.get("[Content_Types].xml")
    if types is None:
        raise NotWordFile("table des types absente")
    _check_generated(trees.get("docProps/custom.xml"), template)

    # Relationships: drop the active and the external ones (and the parts they lead to).
    gone_ids: dict[str, set[str]] = {}  # source part → relationship ids removed
    gone_parts: set[str] = set()
    for rels_name in [n for n in trees if n.endswith(".rels")]:
        source = _source_of(rels_name)
        root = trees[rels_name]
        for rel in list(root):
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            external = rel.get("TargetMode") == "External"
            label = _ACTIVE_RELS.get(kind)
            if external and label is None:
                if kind == "hyperlink" and target.lower().startswith(_SAFE_SCHEMES):
                    continue
                label = f"image liée ({target})" if kind == "image" else f"lien externe ({target})"
            elif external:
                label = f"{label} ({target})"
            if label is None:
                continue
            removed[label] += 1
            root.remove(rel)
            dirty.add(rels_name)
            gone_ids.setdefault(source, set()).add(rel.get("Id"))
            if not external:
                gone_parts.add(_resolve(source, target))

    main = _main_part(trees)
    body = trees[main].find(w("body")) if main in trees else None
    count = 0 if body is None else sum(1 for el in body if el.tag != w("sectPr"))
    if not template and count > MAX_BODY_ELEMENTS:
        raise Refused(
            f"le document a {count:,} paragraphes et tableaux (au plus {MAX_BODY_ELEMENTS:,})".replace(",", " "),
            "découpez-le en plusieurs annexes, ou joignez-le au contrat sans le fusionner",
        )
    for name, root in trees.items():
        if name.endswith(".rels") or name == "[Content_Types].xml" or name in gone_parts:
            continue
        known = _rel_ids(trees, name)
        if _clean_part(root, gone_ids.get(name, set()), known, removed, accept_changes, name == main):
            dirty.add(name)
    if "word/styles.xml" in trees and _name_styles(trees["word/styles.xml"]):
        dirty.add("word/styles.xml")
    _check_numbering(trees)
    if verdict_only:
        return Cleaned(b"", tuple(sorted(removed)))

    # Parts left without any relationship to them (the macros…) and their own relationships.
    for part in sorted(gone_parts):
        if part in parts:
            del parts[part]
        rels = _rels_of(part)
        parts.pop(rels, None)
        trees.pop(rels, None)
    for override in list(types):
        part = (override.get("PartName") or "").lstrip("/")
        if override.get("ContentType") in _OTHER_MAIN_CT:
            override.set("ContentType", MAIN_CT)
            dirty.add("[Content_Types].xml")
        if part and override.tag == f"{{{CT_NS}}}Override" and part not in parts:
            types.remove(override)
            dirty.add("[Content_Types].xml")

    if not dirty and not gone_parts:
        return Cleaned(data, ())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            if name not in parts:
                continue
            blob = parts[name]
            if name in dirty and name in trees:
                blob = etree.tostring(trees[name], xml_declaration=True, encoding="UTF-8", standalone=True)
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), blob, zipfile.ZIP_DEFLATED)
    return Cleaned(out.getvalue(), tuple(sorted(removed)))


# --- reading ---------------------------------------------------------------------


def _read_limited(data: bytes, full=None) -> tuple[dict[str, bytes], list[str]]:
    """Every part (or, with ``full``, those whose names it accepts; the others' heads are checked for
    a DOCTYPE), after the limits are checked on the declared sizes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise NotWordFile() from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Refused(f"trop de fichiers dans le document ({len(infos)}, au plus {MAX_ENTRIES})", DTD_HINT)
        total = 0
        for info in infos:
            limit = MAX_XML_PART if _xml_name(info.filename) else MAX_PART
            total += info.file_size
            if info.flag_bits & 0x1:
                raise Refused("document chiffré (protégé par un mot de passe)", "retirez le mot de passe dans Word")
            if info.file_size > limit:
                raise Refused(
                    f"la partie « {info.filename} » fait {_mb(info.file_size)} une fois décompressée (au plus {_mb(limit)})",
                    "allégez le document (images compressées, texte découpé en plusieurs annexes)",
                )
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise Refused(
                    f"la partie « {info.filename} » se décompresse {info.file_size // max(info.compress_size, 1)} fois "
                    f"(au plus {MAX_RATIO} fois) : fichier suspect",
                    DTD_HINT,
                )
        if total > MAX_TOTAL:
            raise Refused(f"le document fait {_mb(total)} une fois décompressé (au plus {_mb(MAX_TOTAL)})",
                          "allégez le document (images compressées)")
        parts: dict[str, bytes] = {}
        order: list[str] = []
        try:
            for info in infos:
                if info.is_dir() or info.filename in parts:
                    continue
                # zipfile never returns more than the declared size (checked above).
                if full is None or full(info.filename):
                    parts[info.filename] = archive.read(info)
                    order.append(info.filename)
                elif _xml_name(info.filename):
                    with archive.open(info) as handle:
                        _refuse_doctype(info.filename, handle.read(8192))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise Refused(f"document .docx endommagé ({exc.__class__.__name__})", DTD_HINT) from None
    return parts, order


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} Mo" if size >= 1024 * 1024 else f"{size // 1024} Ko"


def _xml_name(name: str) -> bool:
    return name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"


def _is_xml(name: str, blob: bytes) -> bool:
    if _xml_name(name):
        return True
    head = blob[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") or head.startswith(b"<!DOCTYPE")


def _refuse_doctype(name: str, head: bytes) -> None:
    if re.search(rb"<!(DOCTYPE|ENTITY)", head[:4096]) or re.search(rb"<\x00!\x00(D\x00O|E\x00N)", head[:8192]):
        raise Refused(f"{DTD_PROBLEM} (partie « {name} »)", DTD_HINT)


def _parse(name: str, blob: bytes):
    _refuse_doctype(name, blob)
    try:
        root = etree.fromstring(blob, PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
            raise Refused(f"{DTD_PROBLEM} (partie « {name} »)", DTD_HINT) from None
        raise Refused(f"partie XML illisible « {name} » ({str(exc)[:80]})", DTD_HINT) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise Refused(f"{DTD_PROBLEM} (partie « {name} »)", DTD_HINT)
    return root


def _source_of(rels_name: str) -> str:
    folder, base = posixpath.split(rels_name)
    folder = posixpath.dirname(folder)  # out of _rels/
    return posixpath.join(folder, base[: -len(".rels")]) if base != ".rels" else ""


def _rels_of(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _rel_ids(trees, part: str) -> set[str] | None:
    rels = trees.get(_rels_of(part))
    return {rel.get("Id") for rel in rels} if rels is not None else None


def _main_part(trees) -> str | None:
    rels = trees.get("_rels/.rels")
    if rels is None:
        return None
    for rel in rels:
        if (rel.get("Type") or "").endswith("/officeDocument"):
            return _resolve("", rel.get("Target") or "")
    return None


# --- checks that refuse ----------------------------------------------------------------


def _check_generated(custom, template: bool) -> None:
    if custom is None:
        return
    for prop in custom.iter(f"{{{CUSTOM_NS}}}property"):
        if (prop.get("name") or "").startswith(GENERATED_PREFIX):
            what = "le modèle" if template else "l'annexe"
            raise Refused(
                f"c’est un contrat produit par csi-docgen (son manifeste de clauses est dans ses propriétés) : "
                f"il ne peut pas servir {'de modèle' if template else 'd’annexe'}",
                f"pour {what}, prenez le document d’origine (le modèle de référence, ou l’annexe telle que reçue)",
            )


def _check_numbering(trees) -> None:
    for name, root in trees.items():
        if not name.startswith("word/") or name.endswith(".rels"):
            continue
        for el in root.iter(w("num"), w("abstractNum"), w("abstractNumId"), w("numId")):
            for attr in (w("numId"), w("abstractNumId"), w("val")):
                value = el.get(attr)
                if value is not None and not re.fullmatch(r"-?\d{1,9}", value.strip()):
                    raise Refused(
                        f"numérotation de liste invalide dans « {name} » (identifiant « {value[:20]} » non entier)",
                        DTD_HINT,
                    )


def _name_styles(styles) -> bool:
    """Give a style without a name its id as name (python-docx and Word match styles by name)."""
    changed = False
    for style in styles.iterchildren(w("style")):
        name = style.find(w("name"))
        if name is not None and not (name.get(w("val")) or "").strip():
            name.set(w("val"), style.get(w("styleId")) or "Style sans nom")
            changed = True
    return changed


# --- cleaning one XML part ------------------------------------------------------------


def _unwrap(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    tail = el.tail
    for child in list(el):
        parent.insert(index, child)
        index += 1
    if tail:
        el.tail = tail
    parent.remove(el)


def _drop(el) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _first(el, default):
    return el if el is not None else default


def _ancestor(el, *tags):
    node = el.getparent()
    while node is not None:
        if node.tag in tags:
            return node
        node = node.getparent()
    return None


_R_ATTRIBUTES = f"//@*[namespace-uri()='{R_NS}']"


def _clean_part(root, gone: set[str], known: set[str] | None, removed: Counter, accept_changes: bool, main: bool) -> bool:
    changed = False
    # References to relationships removed (or that never existed); XPath finds them in C.
    for el in {id(a.getparent()): a.getparent() for a in root.xpath(_R_ATTRIBUTES)}.values():
        for attr, value in list(el.attrib.items()):
            if not attr.startswith(f"{{{R_NS}}}"):
                continue
            if value not in gone and (known is None or value in known):
                continue
            changed = True
            local = attr.split("}")[1]
            if el.tag == f"{{{A_NS}}}blip":
                del el.attrib[attr]
                if local == "embed" or f"{{{R_NS}}}embed" not in el.attrib:
                    _drop(_first(_ancestor(el, w("drawing"), w("pict")), el))
            elif el.tag == w("hyperlink"):
                _unwrap(el)
            elif el.tag == f"{{{V_NS}}}imagedata" or el.tag == f"{{{O_NS}}}OLEObject":
                _drop(_first(_ancestor(el, w("pict"), w("object")), el))
            else:
                _drop(el)
            break
    for el in list(root.iter(w("object"), w("control"), f"{{{O_NS}}}OLEObject")):
        removed["objet OLE" if el.tag != w("control") else "contrôle ActiveX"] += 1
        _drop(_first(_ancestor(el, w("object"), w("pict")), el) if el.tag != w("object") else el)
        changed = True
    for tag, label in ((w("altChunk"), "contenu importé (altChunk)"), (w("subDoc"), "sous-document"),
                       (w("attachedTemplate"), "modèle attaché"), (w("mailMerge"), "source de publipostage")):
        for el in list(root.iter(tag)):
            removed[label] += 1
            _drop(el)
            changed = True
    comments = list(root.iter(w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")))
    for el in comments:
        removed["commentaires"] += 1
        parent = el.getparent()
        _drop(el)
        if el.tag == w("commentReference") and parent is not None and parent.tag == w("r"):
            if all(child.tag == w("rPr") for child in parent):
                _drop(parent)
    changed |= bool(comments)
    changed |= _clean_fields(root, removed)
    if main and next(root.iter(w("endnoteReference")), None) is not None:
        raise Refused(
            "le document a des notes de fin, que csi-docgen ne sait pas reporter dans le contrat",
            "convertissez-les en notes de bas de page dans Word (Références › Notes › Convertir) avant de joindre le document",
        )
    tracked = list(root.iter(*_TRACKED))
    if tracked:
        if not accept_changes:
            raise Refused("le document contient des modifications suivies (révisions)", CHANGES_HINT)
        _accept(tracked)
        changed = True
    return changed


def _accept(tracked) -> None:
    for el in tracked:
        if el.getparent() is None:
            continue
        tag = el.tag
        if tag in (w("del"), w("moveFrom")) and el.getparent().tag not in (w("rPr"), w("trPr")):
            _drop(el)
        elif tag in (w("del"),) and el.getparent().tag == w("trPr"):
            row = _ancestor(el, w("tr"))
            _drop(row if row is not None else el)
        elif tag in (w("ins"), w("moveTo")) and el.getparent().tag not in (w("rPr"), w("trPr")):
            _unwrap(el)
        else:
            _drop(el)


def _field_code(instr: str) -> tuple[str, str]:
    text = instr.strip()
    keyword = text.split(None, 1)[0].upper() if text else ""
    return keyword, text


def _safe_field(instr: str) -> bool:
    keyword, text = _field_code(instr)
    if keyword not in _SAFE_FIELDS:
        return False
    if keyword == "HYPERLINK":
        target = re.search(r'HYPERLINK\s+(\\l\s+)?"?([^"\s]*)', text, re.IGNORECASE)
        return bool(target) and (bool(target.group(1)) or target.group(2).lower().startswith(_SAFE_SCHEMES))
    return True


def _clean_fields(root, removed: Counter) -> bool:
    changed = False
    for simple in list(root.iter(w("fldSimple"))):
        instr = simple.get(w("instr")) or ""
        if not _safe_field(instr):
            removed[f"champ {_field_code(instr)[0] or '?'}"] += 1
            _unwrap(simple)
            changed = True
    stack: list[dict] = []
    for el in list(root.iter(w("fldChar"), w("instrText"), w("delInstrText"))):
        run = el.getparent()
        for field in stack:
            if field["separate"] is None and run is not None:
                field["runs"].append(run)
        if el.tag != w("fldChar"):
            if stack:
                stack[-1]["instr"] += el.text or ""
            continue
        kind = el.get(w("fldCharType"))
        if kind == "begin":
            stack.append({"begin": el, "separate": None, "instr": "", "runs": []})
        elif kind == "separate" and stack:
            stack[-1]["separate"] = el
        elif kind == "end" and stack:
            field = stack.pop()
            if _safe_field(field["instr"]):
                continue
            removed[f"champ {_field_code(field['instr'])[0] or '?'}"] += 1
            changed = True
            for instr_run in field["runs"]:
                if field["separate"] is not None and instr_run is field["separate"].getparent():
                    continue
                _drop(instr_run)
            for mark in (field["begin"], field["separate"], el):
                if mark is None:
                    continue
                holder = mark.getparent()
                _drop(mark)
                if holder is not None and holder.tag == w("r") and all(c.tag == w("rPr") for c in holder):
                    _drop(holder)
    return changed
