"""Plain-text view of a Contract: readable, diffable, used by golden tests."""

from __future__ import annotations

import textwrap

from .french import PRESENCE, article_label, roman, signature_statement, witness_lines
from .model import Block, Contract, ListBlock, Paragraph

WIDTH = 88


def _runs_text(runs) -> str:
    out = []
    for run in runs:
        text = run.text
        if run.bold:
            text = f"**{text}**"
        elif run.italic:
            text = f"*{text}*"
        out.append(text)
    return "".join(out)


def _wrap(text: str, indent: str = "", first: str | None = None, width: int | None = WIDTH) -> str:
    if width is None:  # one line per paragraph (for comparisons)
        return (first if first is not None else indent) + text
    # Wrap only on ordinary spaces: no-break spaces must stay glued.
    wrapper = textwrap.TextWrapper(
        width=width,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    wrapper.wordsep_simple_re = __import__("re").compile(r"( +)")
    return "\n".join(wrapper.wrap(text)) if text else (first or "")


def blocks_text(blocks: tuple[Block, ...], width: int | None = WIDTH) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(_wrap(_runs_text(block.runs), width=width))
        elif isinstance(block, ListBlock):
            items = []
            for index, item in enumerate(block.items, 1):
                marker = f"{index}. " if block.ordered else "- "
                items.append(_wrap(_runs_text(item), " " * len(marker), marker, width))
            lines.append("\n".join(items))
        lines.append("")
    return lines


def contract_text(contract: Contract, width: int | None = WIDTH) -> str:
    """The contract as plain text, wrapped at ``width`` (None: one line per paragraph)."""
    out: list[str] = []
    out.append(contract.title.upper())
    out.append(f"entre l’État et {contract.collectivite_designation}")
    out.append(contract.periode)
    out.append("")
    if contract.visas:
        out.extend(_wrap(v, width=width) for v in contract.visas)
        out.append("")
    for kind, text in contract.parties_block:
        out.append(text if kind == "mot" else _wrap(text, width=width))
        out.append("")
    if contract.preamble:
        out.append("PRÉAMBULE")
        out.append("")
        out.extend(blocks_text(contract.preamble, width))
    out.append("Il est convenu ce qui suit\u00a0:")
    out.append("")
    for titre in contract.titres:
        out.append(f"TITRE {roman(titre.number)} — {titre.title.upper()}")
        out.append("")
        articles = list(titre.articles)
        for article in articles:
            out.extend(_article_text(article, width))
        for volet in titre.volets:
            out.extend(_underlined(volet.label, "="))
            if volet.pending:
                out.extend(blocks_text(volet.pending, width))
            for section in volet.sections:
                out.extend(_underlined(section.title, "-"))
                for article in section.articles:
                    out.extend(_article_text(article, width))
            for sub in volet.subdivisions:
                out.extend(_underlined(sub.label, "-"))
                if sub.pending:
                    out.extend(blocks_text(sub.pending, width))
                for article in sub.articles:
                    out.extend(_article_text(article, width))
    sig = contract.signature
    out.append(_wrap(signature_statement(sig), width=width))
    out.append("")
    for signatory in sig.signatories:
        out.append(f"[signature] {signatory.qualite}")
        out.append(f"            {signatory.nom}")
        out.append("")
    if sig.witnesses:
        out.append(PRESENCE)
        out.extend(_wrap(line, width=width) for line in witness_lines(sig))
        out.append("")
    for annex in contract.annexes:
        out.append(f"ANNEXE {annex.number} — {annex.title.upper()}")
        out.append("")
        if annex.intro:
            out.append(_wrap(annex.intro, width=width))
            out.append("")
        if annex.table is not None:
            out.append(" | ".join(annex.table.header))
            for row in annex.table.rows + annex.table.total_rows:
                out.append(" | ".join(row))
            out.append("")
        if annex.file:
            out.append(f"(document joint : {annex.file.rsplit('/', 1)[-1]})")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _underlined(label: str, rule: str) -> list[str]:
    """A heading of the plain-text view: its label, a line of ``rule`` as long, a blank line."""
    return [label, rule * len(label), ""]


def _article_text(article, width: int | None = WIDTH) -> list[str]:
    lines = [f"{article_label(article.number)} — {article.title}"]
    if article.clause_id:
        lines[0] += f"  [{article.clause_id} v{article.version}]"
    lines.append("")
    lines.extend(blocks_text(article.blocks, width))
    return lines
