"""write_docx: the Contract model → a signable .docx, in one pass.

1. open every external annex (an AnnexError stops everything before any
   output exists);
2. open the reference template (its bytes are read once per file version);
3. walk the model into one XML string (:mod:`.document`), parse it once and
   put it in the template's empty body;
4. title in the header, initials in the footer, numbering for lists;
5. merge external annexes (:mod:`.annexes`);
6. fixed core properties, manifest in custom properties;
7. save, normalise the zip (:mod:`.reproducible`), write atomically
   (:func:`csi_docgen.atomic.write_bytes_atomic`).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from ..errors import OutputError
from ..atomic import os_reason, write_bytes_atomic
from ..model import Contract
from . import annexes, headers, properties
from .document import build_body
from .numbering import ListNumbering
from .ooxml import paragraph, parse_body, parse_fragment, w
from .reproducible import fixed_datetime, normalize_package
from .sections import Geometry
from .signature import initials_table
from .template import open_template


def header_title(contract: Contract) -> str:
    return f"{contract.title} — {contract.collectivite} — {contract.periode}"


def render_docx(contract: Contract, template=None) -> bytes:
    """The .docx bytes of ``contract`` (what :func:`write_docx` writes)."""
    opened = annexes.open_externals(contract)
    tpl = open_template(template)
    document = tpl.document

    body = document.element.body
    sect_pr = body.sectPr
    numbering = ListNumbering(document.part.numbering_part.element, tpl.list_number_abstract)
    geometry = Geometry(sect_pr)
    built = build_body(contract, tpl, numbering, geometry)
    # Parse the whole body at once and swap it in: moving thousands of
    # elements one by one into the document costs lxml quadratic time.
    new_body = parse_body(built.fragments)
    new_body.append(sect_pr)
    body.getparent().replace(body, new_body)
    numbering.flush()

    headers.fill_title(document, header_title(contract))
    if contract.initials and contract.signature.signatories:
        table = initials_table(
            len(contract.signature.signatories), tpl.styles, tpl.tables["initials_table"], geometry.text_width()
        )
        headers.add_initials(document, table)

    annexes.compose(document, built.external, opened)
    last = sect_pr.getprevious()
    if last is not None and last.tag == w("tbl"):  # Word wants a paragraph after a final table
        sect_pr.addprevious(parse_fragment([paragraph(tpl.styles["normal"])])[0])

    properties.set_core(document, contract, fixed_datetime(contract))
    properties.set_custom(document, properties.manifest_properties(contract))

    out = io.BytesIO()
    document.save(out)
    return normalize_package(out.getvalue())


def write_docx(contract: Contract, path, template=None) -> str:
    """Write ``contract`` to ``path`` (atomically); return the SHA-256 (hex) of the file.

    ``template`` is a reference .docx whose styles, page setup, header and
    footer are used (default: ``templates/reference.docx``). Missing folders
    are created. Raises AnnexError for a missing or unreadable external
    annex and OutputError when the file cannot be written; the previous
    file, if any, is then left as it was.
    """
    try:
        data = render_docx(contract, template)
    except OSError as exc:  # the package is built in memory, but a temp file or a read can still fail
        raise OutputError(f"{path} : document impossible à produire ({os_reason(exc)})") from None
    write_bytes_atomic(Path(path), data)
    return hashlib.sha256(data).hexdigest()
