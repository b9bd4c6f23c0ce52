"""write_docx: the Contract model → a signable .docx, in one pass.

1. get the prepared package (:mod:`.package`): the template with its
   external annexes merged, computed once per version of those files (an
   AnnexError stops everything before any output exists);
2. walk the model into one XML string (:mod:`.document`) and splice it,
   with each external annex's content after its heading, into the package's
   main part;
3. numbering restarts for ordered lists, title in the header, initials in
   the footer, fixed core properties, manifest in custom properties;
4. zip with fixed order and dates (:mod:`.reproducible`), the contract's own
   parts appended to the parts it shares with every contract (zipped once
   with the package), and write atomically
   (:func:`csi_docgen.atomic.write_bytes_atomic`).

The body is written as text, never as a tree: building and serialising
thousands of elements is where python-docx and lxml spend their time, and
the fragments are valid by construction (:mod:`.ooxml`; the tests re-read
every output with python-docx and openxml-audit).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from ..errors import OutputError
from ..atomic import os_reason, require_path, write_bytes_atomic
from ..model import Contract
from . import headers, properties
from .document import build_body
from .numbering import ListNumbering
from .ooxml import paragraph
from .package import prepared
from .reproducible import fixed_datetime, write_package
from .sections import Geometry
from .signature import initials_table


def header_title(contract: Contract) -> str:
    return f"{contract.title} — {contract.collectivite} — {contract.periode}"


def render_docx(contract: Contract, template=None) -> bytes:
    """The .docx bytes of ``contract`` (what :func:`write_docx` writes)."""
    package = prepared(template, [a for a in contract.annexes if a.kind == "externe"])
    tpl = package.template
    numbering = ListNumbering(package.first_free_num_id, tpl.list_number_abstract)
    geometry = Geometry(etree.fromstring(package.sect_pr))
    built = build_body(contract, tpl, numbering, geometry, first_bookmark_id=package.bookmarks, memo=package.memo)

    pieces = list(built.fragments)
    ends_with_table = bool(pieces) and pieces[-1].startswith("<w:tbl>")
    for index, annex in sorted(built.external, key=lambda slot: slot[0], reverse=True):
        xml, annex_table = package.annexes[annex.number]
        pieces.insert(index, xml)
        if index == len(built.fragments):
            ends_with_table = annex_table
    if ends_with_table:  # Word wants a paragraph after a final table
        pieces.append(paragraph(tpl.styles["normal"]))
    pieces.append(package.inline(etree.tostring(geometry.sect_pr, encoding="unicode")))

    parts = {}  # the parts this contract writes; the others are in package.shared_zip
    parts[package.main_part] = "".join([package.head, *pieces, package.tail]).encode("utf-8")
    parts[package.numbering_part] = package.numbering_xml(numbering.xml())
    title = header_title(contract)
    for name, slots in package.titles.items():
        parts[name] = headers.fill_titles(package.parts[name].decode("utf-8"), slots, title).encode("utf-8")
    initials = ""
    if contract.initials and contract.signature.signatories:
        initials = initials_table(
            len(contract.signature.signatories), tpl.styles, tpl.tables["initials_table"], geometry.text_width()
        )
    for name in package.footers:
        parts[name] = package.parts[name].decode("utf-8").replace(headers.INITIALS_MARK, initials, 1).encode("utf-8")
    parts[package.core_part] = properties.contract_core(contract, fixed_datetime(contract))
    parts[package.custom_part] = properties.custom_xml([*package.custom_kept, *properties.manifest_properties(contract, package.tool_versions)])
    return write_package(parts, base=package.shared_zip)


def write_docx(contract: Contract, path, template=None) -> str:
    """Write ``contract`` to ``path`` (atomically); return the SHA-256 (hex) of the file.

    ``template`` is a reference .docx whose styles, page setup, header and
    footer are used (default: ``templates/reference.docx``). Missing folders
    are created. Raises AnnexError for a missing or unreadable external
    annex and OutputError when the file cannot be written; the previous
    file, if any, is then left as it was.
    """
    require_path("le chemin du contrat", path, "un chemin de fichier")
    if template is not None:
        require_path("le modèle", template, "un chemin de fichier")
    try:
        data = render_docx(contract, template)
    except OSError as exc:  # the package is built in memory, but a temp file or a read can still fail
        raise OutputError(f"{path} : document impossible à produire ({os_reason(exc)})") from None
    write_bytes_atomic(Path(path), data)
    return hashlib.sha256(data).hexdigest()
