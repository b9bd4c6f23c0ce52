"""The prepared package: the template with its external annexes merged, kept as XML text.

Everything in a contract's .docx that does not depend on the contract's own
text is computed once per version of (template, external annexes) and
kept: python-docx opens the template, docxcompose merges the annexes
(:mod:`.annexes`), python-docx serialises every part. A build then writes
only what is its own into that package (see :mod:`.writer`): the body, the
numbering restarts, the header title, the initials line and the properties,
at places marked while preparing.

The cache is keyed by the SHA-256 of the template's and the annexes' bytes
(read on every build, so an edited file is never served stale) and the
annexes' numbers (a merged style is renamed after its annex's number). It
is one of the package's named owners of state (see ``csi_docgen``'s
docstring); a fresh process finds a prepared package in the user's cache
folder (:mod:`csi_docgen.diskcache`) and then never imports python-docx.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from lxml import etree

from . import headers, properties
from .annexfiles import read_external
from .. import diskcache
from ..errors import OutputError
from .ooxml import R_NS, W_NS, paragraph, parse_fragment, run, w
from .reproducible import fix_nsids, read_package, write_package
from .template import Template, open_template, read_template

_CACHE_SIZE = 8
# The code a prepared template depends on: a change of any of these prepares again.
_PREPARING_CODE = ("csi_docgen", "docx", "docxcompose", "lxml")
_cache: OrderedDict[tuple, "Prepared"] = OrderedDict()
_lock = threading.Lock()
_XMLNS = re.compile(r' xmlns:(\w+)="([^"]*)"')
XML_DECLARATION = properties.XML_DECLARATION


@dataclass(frozen=True)
class Prepared:
    """The reference template with its external annexes merged, as XML text with marked places, ready for any build."""

    template: Template  # styles and list numbering of the template (no live document)
    parts: dict[str, bytes]  # every part as saved; a build replaces some of them
    shared_zip: bytes  # the parts no build replaces, zipped once (see write_package's base)
    main_part: str  # zip name of the main document part
    head: str  # the main part up to and including <w:body>
    tail: str  # </w:body></w:document>
    sect_pr: str  # the template's body w:sectPr
    root_namespaces: dict[str, str]  # prefix → URI declared on the document root
    annexes: dict[int, tuple[str, bool]]  # annex number → (its body XML, ends with a table)
    bookmarks: int  # bookmark ids used by the annexes (ours follow)
    numbering_part: str  # zip name of the numbering part
    first_free_num_id: int
    titles: dict[str, tuple[tuple[str, str], ...]]  # header part → title marks
    footers: tuple[str, ...]  # footer parts holding the initials mark
    core_part: str  # zip name of the core properties part
    custom_part: str  # zip name of the custom properties part
    custom_kept: tuple[tuple[str, str], ...]  # the template's own custom properties
    tool_versions: str  # of the code that prepared it (see properties.tool_versions)
    # XML of articles and tables written with this template, by content (see document.BodyBuilder).
    memo: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    def inline(self, xml: str) -> str:
        """``xml`` without the namespace declarations the document root already makes."""
        return _XMLNS.sub(lambda m: "" if self.root_namespaces.get(m[1]) == m[2] else m[0], xml)

    def numbering_xml(self, nums: str) -> bytes:
        """The numbering part with ``nums`` (``w:num`` elements) after its last ``w:num``."""
        data = self.parts[self.numbering_part].decode("utf-8")
        if nums:
            at = data.find("<w:numIdMacAtCleanup")
            if at < 0:
                at = data.rindex("</w:numbering>")
            data = data[:at] + nums + data[at:]
        return data.encode("utf-8")


def prepared(template, externals) -> Prepared:
    """The package for ``template`` (path or None) with the ``externals`` annexes merged.

    Raises AnnexError for an annex that cannot be read or is not a .docx,
    OutputError for a template that is not one.
    """
    _, template_sha = read_template(template)
    annex_bytes = [(annex, *read_external(annex)) for annex in externals]
    key = (
        str(template),
        template_sha,
        tuple((annex.number, sha, getattr(annex, "accept_changes", False)) for annex, _, sha in annex_bytes),
    )
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    # A fresh process looks in the user's cache folder first (see csi_docgen.diskcache).
    disk_key = hashlib.sha256(repr((key, diskcache.code_fingerprint(*_PREPARING_CODE))).encode("utf-8")).hexdigest()
    result = diskcache.load("modeles", disk_key)
    if not isinstance(result, Prepared):
        from . import annexes  # python-docx and the merging code: only to prepare

        opened = {annex.number: annexes.open_external(annex, data) for annex, data, _ in annex_bytes}
        # The markers name the inputs' digest: an annex cannot hold the text of its own digest.
        nonce = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:20]
        result = _prepare(template, opened, [annex for annex, _, _ in annex_bytes], nonce)
        diskcache.store("modeles", disk_key, result)
    with _lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _marker(name: str, nonce: str) -> str:
    return paragraph(None, run(f"\ue100csi-docgen:{nonce}:{name}\ue100"))


def _prepare(template, opened: dict, externals, nonce: str = "") -> Prepared:
    from . import annexes

    tpl = open_template(template)
    document = tpl.document
    body = document.element.body
    numbering_el = document.part.numbering_part.element
    ours = {el.get(w("abstractNumId")) for el in numbering_el.iterchildren(w("abstractNum"))}

    # Each annex is merged right after a marker paragraph; an end marker
    # closes the last one. docxcompose needs the body's sectPr in place.
    sect_pr = body.sectPr
    for child in list(body):  # the template's own body text is not part of a contract
        if child is not sect_pr:
            body.remove(child)
    numbers = [annex.number for annex in externals]
    marker_xml = [_marker(f"annexe-{n}", nonce) for n in numbers] + [_marker("fin", nonce)]
    markers = parse_fragment(marker_xml)
    for marker in markers:
        sect_pr.addprevious(marker)
    annexes.compose(document, [(body.index(markers[i]) + 1, a) for i, a in enumerate(externals)], opened)
    fix_nsids(numbering_el, ours)
    ends_with_table = {}
    taken: set[str] = set()
    for i, n in enumerate(numbers):
        segment = []
        node = markers[i].getnext()
        while node is not None and node is not markers[i + 1]:
            segment.append(node)
            node = node.getnext()
        annexes.rename_bookmarks(segment, n, taken)
        last = markers[i + 1].getprevious()
        ends_with_table[n] = last is not None and last is not markers[i] and last.tag == w("tbl")
    bookmarks = sum(1 for _ in body.iter(w("bookmarkStart")))

    titles = headers.mark_titles(document)
    footers = headers.mark_initials(document)
    core = properties.ensure_core(document)
    custom, custom_kept = properties.ensure_custom(document)
    sect_pr_xml = etree.tostring(sect_pr, encoding="unicode")
    body.remove(sect_pr)
    root = document.element
    root_namespaces = {k: v for k, v in root.nsmap.items() if k}
    if root_namespaces.get("w") != W_NS or root_namespaces.get("r", R_NS) != R_NS:
        # The body is written as text with the prefixes Word and LibreOffice use.
        raise _unusual_prefixes(tpl.path)
    text = etree.tostring(root, encoding="unicode")

    out = io.BytesIO()
    document.save(out)
    parts = read_package(out.getvalue())
    document_name = document.part.partname.membername

    positions = [text.index(m) for m in marker_xml]
    head_end = text.index("<w:body>") + len("<w:body>")
    annex_xml = {
        n: (text[positions[i] + len(marker_xml[i]) : positions[i + 1]], ends_with_table[n])
        for i, n in enumerate(numbers)
    }
    tail = text[positions[-1] + len(marker_xml[-1]) :]
    numbering_name = document.part.numbering_part.partname.membername
    replaced = {document_name, numbering_name, core, custom, *titles, *footers}
    prepared_ = Prepared(
        template=dataclasses.replace(tpl, document=None),
        parts=parts,
        shared_zip=write_package({name: data for name, data in parts.items() if name not in replaced}),
        main_part=document_name,
        head=XML_DECLARATION + text[:head_end],
        tail=tail,
        sect_pr=sect_pr_xml,
        root_namespaces=root_namespaces,
        annexes=annex_xml,
        bookmarks=bookmarks,
        numbering_part=numbering_name,
        first_free_num_id=max((int(n.get(w("numId"))) for n in numbering_el.iterchildren(w("num"))), default=0) + 1,
        titles=titles,
        footers=footers,
        core_part=core,
        custom_part=custom,
        custom_kept=custom_kept,
        tool_versions=properties.tool_versions(),
    )
    if not tail.startswith("</w:body>") or text[head_end:positions[0]].strip():
        raise AssertionError("unexpected document layout after merging annexes")  # pragma: no cover
    _check_marks(prepared_, tpl.path)
    return prepared_


def _check_marks(package: Prepared, path) -> None:
    """Every place a build writes into must be found as text in the saved parts."""
    found = [b"</w:numbering>" in package.parts[package.numbering_part]]
    found += [headers.INITIALS_MARK.encode() in package.parts[name] for name in package.footers]
    found += [mark.encode() in package.parts[name] for name, slots in package.titles.items() for mark, _ in slots]
    if not all(found):
        raise _unusual_prefixes(path)


def _unusual_prefixes(path) -> OutputError:
    return OutputError(
        f"le modèle « {path} » n'emploie pas les préfixes XML habituels de Word (w:, r:) : "
        "ouvrez-le et enregistrez-le de nouveau au format .docx avec Word ou LibreOffice"
    )
