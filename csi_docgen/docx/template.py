"""The reference template: opening it, and finding the styles the writer uses.

The writer only ever names styles; their look lives in the template
(``templates/reference.docx`` unless the caller gives another one). Styles
are found by their name, case-insensitively, as Word matches built-in names
("heading 1" is shown "Titre 1" by a French Word but stored "heading 1").
A drafter's template may lack the styles csi-docgen adds (« Visa »,
« Signature »…): each then falls back to a near built-in style. Headings and
list styles are required: without them there is no outline nor list.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path


from .. import untrusted
from ..regular import open_regular
from ..errors import OutputError
from ..resources import templates_dir
from .ooxml import w
from .tablelook import TableLook, direct_look

DEFAULT_TEMPLATE = "reference.docx"
# Word 2010's copy of styles.xml: stale as soon as a style changes, and Word
# then reports unreadable content. Word 2013+ neither needs nor writes it.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# role → (style names to try, in order; fallback role or None when required)
_ROLES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "normal": (("Normal",), None),
    "title": (("Title",), "normal"),
    "subtitle": (("Subtitle",), "title"),
    "cover": (("Couverture",), "subtitle"),
    "h1": (("heading 1",), None),
    "h2": (("heading 2",), None),
    "h3": (("heading 3",), None),
    "h4": (("heading 4",), None),
    "visa": (("Visa",), "normal"),
    "formula": (("Formule",), "normal"),
    "bullet": (("List Bullet",), None),
    "number": (("List Number",), None),
    "toc_heading": (("TOC Heading",), "title"),
    "toc1": (("toc 1",), "normal"),
    "toc2": (("toc 2",), "toc1"),
    "toc3": (("toc 3",), "toc2"),
    "toc4": (("toc 4",), "toc3"),
    "place": (("Lieu et date",), "normal"),
    "signature": (("Signature",), "normal"),
    "signature_name": (("Signature – nom",), "signature"),
    "cell": (("Tableau",), "normal"),
    "cell_header": (("Tableau – en-tête",), "cell"),
    "footer": (("footer",), "normal"),
}
# Table styles: a missing one means "no style" (the template's default table style).
_TABLE_ROLES = {
    "table": ("Tableau CSI", "Table Grid"),
    "initials_table": ("Paraphes", "Table Grid"),
}

@dataclass(frozen=True)
class Template:
    """An opened template: the python-docx document and what the writer needs from it."""

    document: "docx.document.Document | None"  # None once the package is prepared (see package.py)
    path: Path
    styles: dict[str, str]  # role → styleId
    tables: dict[str, str | None]  # table role → styleId or None
    list_number_abstract: str | None  # abstractNumId of « List Number »
    table_look: TableLook | None = None  # the annex tables' style as direct formatting (see tablelook.py)
    removed: tuple[str, ...] = ()  # active content removed from the template (see untrusted.py)


def template_path(template) -> Path:
    return Path(template) if template is not None else templates_dir() / DEFAULT_TEMPLATE


def read_with_digest(path) -> tuple[bytes, str]:
    """The bytes of ``path`` and their SHA-256 (hex), from one read (OSError as ``open`` raises it).

    Read on every build: what is prepared from a file is keyed by this
    digest, so an edited file is never served stale.
    """
    with open_regular(path) as handle:  # a FIFO or a device is refused at once
        data = handle.read()
    return data, hashlib.sha256(data).hexdigest()


def _read(path: Path) -> tuple[bytes, str]:
    """The template's bytes and their SHA-256, or OutputError."""
    try:
        return read_with_digest(path)
    except FileNotFoundError:
        raise OutputError(f"modèle de document introuvable : {path}") from None
    except OSError as exc:
        raise OutputError(f"modèle de document illisible : {path} ({exc.strerror})") from None
    except ValueError:  # a NUL character in the path
        raise OutputError(f"chemin du modèle invalide (caractère nul) : {str(path)!r}") from None


def read_template(template=None) -> tuple[bytes, str]:
    """The bytes of ``template`` (default: the shipped reference) and their SHA-256, or OutputError."""
    return _read(template_path(template))


def open_template(template=None) -> Template:
    """Open ``template`` (default: the shipped reference) and resolve the styles the writer uses."""
    path = template_path(template)
    data, _ = _read(path)
    try:
        cleaned = untrusted.clean(data, template=True)
    except untrusted.NotWordFile:
        raise OutputError(f"le modèle « {path} » n'est pas un document Word (.docx) lisible") from None
    except untrusted.Refused as exc:
        raise OutputError(f"le modèle « {path} » : {exc.problem}" + (f" ({exc.hint})" if exc.hint else "")) from None
    import docx  # only when preparing a template (see package.py)

    try:
        document = docx.Document(io.BytesIO(cleaned.data))
    except Exception as exc:  # python-docx raises many kinds on a file that is not a .docx
        raise OutputError(
            f"le modèle « {path} » n'est pas un document Word (.docx) lisible ({exc.__class__.__name__})"
        ) from None
    rels = document.part.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == STYLES_WITH_EFFECTS]:
        del rels[rid]

    by_name: dict[tuple[str, str], str] = {}
    for el in document.styles.element.iterchildren(w("style")):
        name = el.find(w("name"))
        if name is not None:
            by_name.setdefault((el.get(w("type")), name.get(w("val")).lower()), el.get(w("styleId")))

    styles: dict[str, str] = {}
    for role, (names, fallback) in _ROLES.items():
        found = next((by_name[("paragraph", n.lower())] for n in names if ("paragraph", n.lower()) in by_name), None)
        if found is None:
            if fallback is None:
                raise OutputError(f"le modèle « {path} » n'a pas le style de paragraphe « {names[0]} »")
            found = styles[fallback]
        styles[role] = found
    tables = {
        role: next((by_name[("table", n.lower())] for n in names if ("table", n.lower()) in by_name), None)
        for role, names in _TABLE_ROLES.items()
    }
    return Template(
        document,
        path,
        styles,
        tables,
        _list_number_abstract(document, styles["number"]),
        direct_look(document.styles.element, tables["table"]),
        cleaned.removed,
    )


def _list_number_abstract(document, style_id: str) -> str | None:
    """The abstract numbering « List Number » points to, to restart each ordered list at 1."""
    style = document.styles.element.get_by_id(style_id)
    num_id = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}") if style is not None else None
    if num_id is None:
        return None
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None
    for num in numbering.iterchildren(w("num")):
        if num.get(w("numId")) == num_id.get(w("val")):
            anum = num.find(w("abstractNumId"))
            return anum.get(w("val")) if anum is not None else None
    return None
