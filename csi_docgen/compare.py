"""What changed between two versions of a contract (a round of négociation, an avenant).

Each contract is read as a list of lines — one per heading, paragraph, list
item, signatory and annex table row — in which article, volet and annex
numbers are left out: a clause added at the start then shows as one added
article, not as every later article changed. The renumbering is reported
apart. Each change is shown under the heading it belongs to (with the
number it has in the new version), removed lines with « - », added ones
with « + »::

    Article 8 — Vidéoprotection et centre de supervision urbain
    - La Ville s’engage … **dix (10) nouvelles caméras par an** …
    + La Ville s’engage … **douze (12) nouvelles caméras par an** …
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from . import french
from .model import Contract
from .text import blocks_text


@dataclass(frozen=True)
class Change:
    heading: str  # where the change is, as the new version numbers it
    lines: tuple[str, ...]  # « - … » removed, « + … » added


def _article_key(article) -> str:
    return article.clause_id or f"fixe:{article.title}"


def _lines(contract: Contract) -> tuple[list[str], list[str]]:
    """(comparable lines, heading shown for each line)."""
    lines: list[str] = []
    headings: list[str] = []
    heading = "Début du contrat"

    def add(text: str) -> None:
        if text.strip():
            lines.append(text)
            headings.append(heading)

    def open_part(shown: str, comparable: str) -> None:
        nonlocal heading
        heading = shown
        add(comparable)

    add(contract.title)
    add(contract.collectivite_designation)
    add(contract.periode)
    if contract.visas:
        open_part("Visas", "Visas")
        for visa in contract.visas:
            add(visa)
    if contract.preamble:
        open_part("Préambule", "Préambule")
        for text in blocks_text(contract.preamble, None):
            add(text)
    def article_lines(article) -> None:
        open_part(f"{french.article_label(article.number)} — {article.title}", f"Article — {article.title} [{_article_key(article)}]")
        for text in blocks_text(article.blocks, None):
            for line in text.splitlines():
                add(line)

    for titre in contract.titres:
        open_part(f"Titre {titre.number} — {titre.title}", f"Titre — {titre.title}")
        for article in titre.articles:
            article_lines(article)
        for volet in titre.volets:
            open_part(f"Volet {volet.number} — {volet.title}", f"Volet — {volet.title}")
            for section in volet.sections:
                add(section.title)
                for article in section.articles:
                    article_lines(article)
    open_part("Signatures", "Signatures")
    add(french.signature_statement(contract.signature))
    for signatory in contract.signature.signatories:
        add(f"{signatory.qualite} : {signatory.nom}")
    for annex in contract.annexes:
        open_part(annex.label, f"Annexe — {annex.title}")
        if annex.intro:
            add(annex.intro)
        if annex.table is not None:
            # The article number column moves with every renumbering: left out.
            skip = 1 if annex.table.header and annex.table.header[0] == "Art." else 0
            add(" | ".join(annex.table.header[skip:]))
            for row in annex.table.rows + annex.table.total_rows:
                add(" | ".join(row[skip:]))
        if annex.file:
            add(f"document joint : {annex.file.rsplit('/', 1)[-1]}")
    return lines, headings


def differences(before: Contract, after: Contract) -> list[Change]:
    """The changes from ``before`` to ``after``, in reading order."""
    old, old_headings = _lines(before)
    new, new_headings = _lines(after)
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # A removed passage belongs where it was; anything else where it is now.
        heading = old_headings[i1] if tag == "delete" else new_headings[j1]
        lines = tuple(f"- {line}" for line in old[i1:i2]) + tuple(f"+ {line}" for line in new[j1:j2])
        if changes and changes[-1].heading == heading:
            changes[-1] = Change(heading, changes[-1].lines + lines)
        else:
            changes.append(Change(heading, lines))
    return changes


def renumbered(before: Contract, after: Contract) -> list[tuple[str, int, int]]:
    """Articles in both versions whose number changed: (title, old number, new number)."""
    old = {_article_key(a): a for a in before.articles}
    moved = []
    for article in after.articles:
        previous = old.get(_article_key(article))
        if previous is not None and previous.number != article.number:
            moved.append((article.title, previous.number, article.number))
    return moved


def _renumbering_lines(moved: list[tuple[str, int, int]]) -> list[str]:
    """Runs of consecutive articles moved by the same amount, on one line each."""
    runs: list[list[tuple[str, int, int]]] = []
    for item in moved:
        last = runs[-1][-1] if runs else None
        if last and item[1] == last[1] + 1 and item[2] - item[1] == last[2] - last[1]:
            runs[-1].append(item)
        else:
            runs.append([item])
    lines = []
    for run in runs:
        (title, first_old, first_new), (_, last_old, last_new) = run[0], run[-1]
        if len(run) == 1:
            lines.append(f"  l’article {first_old} devient l’article {first_new} ({title})")
        else:
            lines.append(f"  les articles {first_old} à {last_old} deviennent les articles {first_new} à {last_new}")
    return lines


def differences_text(before: Contract, after: Contract, before_name: str = "avant", after_name: str = "après") -> str:
    """The changes as a French report, for a reader or a terminal."""
    changes = differences(before, after)
    moved = renumbered(before, after)
    if not changes and not moved:
        return f"Aucune différence entre « {before_name} » et « {after_name} ».\n"
    out = [f"Différences de « {before_name} » à « {after_name} » : {len(changes)} passage(s) modifié(s).", ""]
    for change in changes:
        out.append(change.heading)
        out.extend(change.lines)
        out.append("")
    if moved:
        out.append(f"Numérotation : {len(moved)} article(s) changent de numéro.")
        out.extend(_renumbering_lines(moved))
        out.append("")
    return "\n".join(out)
