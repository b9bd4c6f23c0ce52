"""HTML preview of a Contract for Jupyter (``_repr_html_``)."""

from __future__ import annotations

from html import escape

from .french import article_label, compte, roman
from .model import Contract, ListBlock, Paragraph


def _runs(runs) -> str:
    out = []
    for run in runs:
        text = escape(run.text).replace("\n", "<br>")
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.italic:
            text = f"<em>{text}</em>"
        out.append(text)
    return "".join(out)


def _blocks(blocks) -> str:
    html = []
    for block in blocks:
        if isinstance(block, Paragraph):
            html.append(f"<p>{_runs(block.runs)}</p>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{_runs(item)}</li>" for item in block.items)
            html.append(f"<{tag}>{items}</{tag}>")
    return "".join(html)


def contract_html(contract: Contract, full: bool = False) -> str:
    """A compact preview: title, volets with their articles; text folded."""
    parts = [
        "<div class='csi-docgen'>",
        f"<h2>{escape(contract.title)}</h2>",
        f"<p><strong>{escape(contract.collectivite_designation)}</strong> — {escape(contract.periode)} — "
        f"{compte(len(contract.articles), 'article')}, {compte(len(contract.signature.signatories), 'signataire')}, "
        f"{compte(len(contract.annexes), 'annexe')}</p>",
    ]
    if contract.parties_block:
        entries = "".join(f"<p>{'<strong>' + escape(t) + '</strong>' if kind == 'mot' else escape(t)}</p>" for kind, t in contract.parties_block)
        parts.append(f"<details><summary>Parties</summary>{entries}</details>")
    for titre in contract.titres:
        parts.append(f"<h3>Titre {roman(titre.number)} — {escape(titre.title)}</h3>")  # as the .docx numbers it
        for article in titre.articles:
            parts.append(_article(article))
        for volet in titre.volets:
            parts.append(f"<h4>{escape(volet.label)}</h4>")
            for section in volet.sections:
                parts.append(f"<p><em>{escape(section.title)}</em></p>")
                parts.extend(_article(a) for a in section.articles)
            for sub in volet.subdivisions:
                parts.append(f"<h5>{escape(sub.label)}</h5>")
                parts.extend(_article(a) for a in sub.articles)
    signatories = "".join(
        f"<li>{escape(s.qualite)}{' — ' + escape(s.nom) if s.nom.strip() else ''}</li>" for s in contract.signature.signatories
    )
    parts.append(f"<h3>Signataires</h3><ul>{signatories}</ul>")
    if contract.signature.witnesses:
        witnesses = "".join(
            f"<li>{escape(s.qualite)}{' — ' + escape(s.nom) if s.nom.strip() else ''}</li>" for s in contract.signature.witnesses
        )
        parts.append(f"<h3>En présence de</h3><ul>{witnesses}</ul>")
    if contract.warnings:
        warnings = "".join(f"<li>{escape(w)}</li>" for w in contract.warnings)
        parts.append(f"<h3>Avertissements</h3><ul>{warnings}</ul>")
    parts.append("</div>")
    return "".join(parts)


def _article(article) -> str:
    socle = " <small>(socle)</small>" if article.socle else ""
    return (
        f"<details><summary>{escape(article_label(article.number))} — {escape(article.title)}{socle}</summary>"
        f"{_blocks(article.blocks)}</details>"
    )
