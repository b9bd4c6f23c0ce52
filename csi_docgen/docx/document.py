"""The body of the contract: one walk over the model, one XML string.

Order of the document: cover page; « Sommaire » (TOC field); visas,
préambule and « Il est convenu ce qui suit : »; each titre (Heading 1), its
articles, its volets (Heading 2), their party sections (Heading 3) and
articles (Heading 4); the signature page; the annexes, each on a new page
(the external ones are spliced in by the writer, right after their
heading). Every heading carries a bookmark and becomes a TOC entry.

A generated annex whose table is wide gets a landscape section of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..french import PRESENCE, article_label, liste, roman, signature_statement, witness_lines
from ..model import Contract, ListBlock, Paragraph
from .numbering import ListNumbering
from .ooxml import paragraph, run, runs
from .sections import Geometry
from .signature import signature_table
from .tables import data_table
from .template import Template
from .toc import TocEntry, bookmark_name, bookmarked, toc_xml

AGREED = "Il est convenu ce qui suit\u00a0:"
PREAMBLE = "Préambule"
WIDE_TABLE = 6  # columns from which an annex table is laid out in landscape


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Body:
    """What the walk produced: XML fragments, TOC entries, external annex slots."""

    fragments: list[str] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    # (index in ``fragments`` where the annex's content goes, annex)
    external: list[tuple[int, object]] = field(default_factory=list)


class BodyBuilder:
    """Walks the model into XML fragments.

    ``memo`` (the prepared package's, see :class:`.package.Prepared`) keeps
    the XML of articles and annex tables by their content and place: a
    rebuilt contract mostly holds the same ones. It pays: without it a
    Bourges rebuild is about half as slow again (benchmarks/RESULTS.md).
    """

    MEMO_MAX = 16384

    def __init__(self, template: Template, numbering: ListNumbering, geometry: Geometry, first_bookmark_id: int = 0, memo: dict | None = None):
        self.memo = memo if memo is not None else {}
        self.s = template.styles
        self.table_style = template.tables["table"]
        self.table_look = template.table_look
        self.numbering = numbering
        self.geometry = geometry
        self.body = Body()
        self._out = self.body.fragments
        self._bookmarks = 0
        self._first_bookmark_id = first_bookmark_id  # ids below are the external annexes'
        self._page_break = False
        self._landscape = False
        self._first_section = True

    # --- low level ----------------------------------------------------------
    def _emit(self, xml: str) -> None:
        self._out.append(xml)

    def _p(self, role: str, content: str = "", **kw) -> None:
        if self._page_break:
            kw["page_break"] = True
            self._page_break = False
        self._emit(paragraph(self.s[role], content, **kw))

    def new_page(self, landscape: bool = False) -> None:
        """Start the next content on a new page, switching orientation if needed."""
        if landscape != self._landscape:
            sect_pr = self.geometry.section_break(self._landscape, self._first_section)
            self._emit(paragraph(None, sect_pr=sect_pr))
            self._first_section = False
            self._landscape = landscape
            self._page_break = False
        else:
            self._page_break = True

    def heading(self, level: int, text: str) -> None:
        self._bookmarks += 1
        name = bookmark_name(self._bookmarks)
        self._p(f"h{level}", bookmarked(run(text), self._first_bookmark_id + self._bookmarks, name))
        self.body.toc.append(TocEntry(level, text, name))

    def blocks(self, blocks) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self._p("normal", runs(block.runs))
            elif isinstance(block, ListBlock):
                num_id = self.numbering.restart() if block.ordered else None
                role = "number" if block.ordered else "bullet"
                for item in block.items:
                    self._p(role, runs(item), num=(num_id, 0) if num_id else None)
            else:  # pragma: no cover - the model only has these two
                raise TypeError(f"unknown block {block!r}")

    # --- parts of the contract ----------------------------------------------
    def cover(self, contract: Contract) -> None:
        self._p("title", run(contract.title))
        self._p("subtitle", run(_capitalized(contract.collectivite_designation)))
        self._p("cover", run(contract.periode))
        if contract.parties:
            self._p("cover", run(f"Entre {liste(contract.parties)}"))

    def opening(self, contract: Contract) -> None:
        for visa in contract.visas:
            self._p("visa", run(visa))
        for kind, text in contract.parties_block:
            if kind == "mot":
                self._p("formula", run(text), keep_next=True)
            else:
                self._p("normal", run(text))
        if contract.preamble:
            self.heading(1, PREAMBLE)
            self.blocks(contract.preamble)
        self._p("formula", run(AGREED))

    def article(self, article) -> None:
        label = article_label(article.number)
        title = f"{label} — {article.title}" if article.title else label
        # Everything the XML depends on: the article's content and what its
        # place decides (bookmark number and id, pending page break, first list id).
        key = ("article", article, self._bookmarks + 1, self._first_bookmark_id, self._page_break, self.numbering.next_id)
        known = self.memo.get(key)
        if known is not None:
            xml, entry, lists = known
            self._bookmarks += 1
            self.body.toc.append(entry)
            self._page_break = False
            for _ in range(lists):
                self.numbering.restart()
            self._out.extend(xml)
            return
        start, lists = len(self._out), self.numbering.handed_out
        self.heading(4, title)
        self.blocks(article.blocks)
        self._remember(key, (tuple(self._out[start:]), self.body.toc[-1], self.numbering.handed_out - lists))

    def _remember(self, key, value) -> None:
        if len(self.memo) >= self.MEMO_MAX:
            self.memo.clear()
        self.memo[key] = value

    def titres(self, contract: Contract) -> None:
        for titre in contract.titres:
            self.heading(1, f"Titre {roman(titre.number)} — {titre.title}")
            for article in titre.articles:
                self.article(article)
            for volet in titre.volets:
                self.heading(2, volet.label)
                self.blocks(volet.pending)
                for section in volet.sections:
                    self.heading(3, section.title)
                    for article in section.articles:
                        self.article(article)
                for sub in volet.subdivisions:
                    # A sub-division takes the third level: its articles follow it in party order.
                    self.heading(3, sub.label)
                    self.blocks(sub.pending)
                    for article in sub.articles:
                        self.article(article)

    def signatures(self, contract: Contract) -> None:
        self.new_page()
        self._p("place", run(signature_statement(contract.signature)), keep_next=True)
        table = signature_table(contract.signature.signatories, self.s, self.geometry.text_width(self._landscape))
        if table:
            self._emit(table)
        witnesses = contract.signature.witnesses
        if witnesses:
            self._p("place", run(PRESENCE), keep_next=True)
            lines = witness_lines(contract.signature)
            for index, line in enumerate(lines):
                self._p("normal", run(line), keep_next=index < len(lines) - 1)

    def annexes(self, contract: Contract) -> None:
        for annex in contract.annexes:
            external = annex.kind == "externe"
            wide = not external and annex.table is not None and len(annex.table.header) >= WIDE_TABLE
            self.new_page(landscape=wide)
            self.heading(1, annex.label)
            if external:
                self.body.external.append((len(self._out), annex))
                continue
            if annex.intro:
                self._p("normal", run(annex.intro), keep_next=annex.table is not None)
            if annex.table is not None:
                width = self.geometry.text_width(self._landscape)
                key = ("table", annex.table, width)
                xml = self.memo.get(key)
                if xml is None:
                    xml = data_table(annex.table, self.s, self.table_style, width, self.table_look)
                    self._remember(key, xml)
                self._emit(xml)

    def finish(self) -> None:
        self.geometry.finish(self._landscape)


def build_body(
    contract: Contract, template: Template, numbering: ListNumbering, geometry: Geometry, first_bookmark_id: int = 0, memo: dict | None = None
) -> Body:
    builder = BodyBuilder(template, numbering, geometry, first_bookmark_id, memo)
    builder.cover(contract)
    toc_slot = len(builder.body.fragments)
    builder.new_page()
    builder.opening(contract)
    builder.titres(contract)
    builder.signatures(contract)
    builder.annexes(contract)
    builder.finish()

    body = builder.body
    if contract.table_of_contents and body.toc:
        # The TOC goes right after the cover; the visas then start on a page of their own.
        toc = toc_xml(body.toc, template.styles, page_break=True)
        body.fragments.insert(toc_slot, toc)
        body.external = [(index + 1, annex) for index, annex in body.external]
    return body
