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
import re
from dataclasses import dataclass

from . import french
from .model import Contract, ListBlock, Paragraph


@dataclass(frozen=True)
class Change:
    heading: str  # where the change is, as the new version numbers it
    lines: tuple[str, ...]  # « - … » removed, « + … » added


def _article_key(article) -> str:
    return article.clause_id or f"fixe:{article.title}"


def _comparable_heading(article) -> str:
    return f"Article — {article.title} [{_article_key(article)}]"


def _plain(runs) -> str:
    return "".join(run.text for run in runs)


def _blocks_lines(blocks) -> list[str]:
    """One line per paragraph and list item, as a reader sees them (no Markdown marks)."""
    lines = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.extend(_plain(block.runs).splitlines())
        elif isinstance(block, ListBlock):
            for index, item in enumerate(block.items, 1):
                lines.append(f"{index}. " if block.ordered else "- ")
                lines[-1] += _plain(item)
    return lines


_ARTICLE_CELL = re.compile(r"^article \d+$")


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
    if contract.parties_block:
        open_part("Parties", "Parties")
        for _kind, text in contract.parties_block:
            add(text)
    if contract.preamble:
        open_part("Préambule", "Préambule")
        for text in _blocks_lines(contract.preamble):
            add(text)

    def article_lines(article) -> None:
        open_part(f"{french.article_label(article.number)} — {article.title}", _comparable_heading(article))
        for line in _blocks_lines(article.blocks):
            add(line)

    for titre in contract.titres:
        open_part(f"Titre {french.roman(titre.number)} — {titre.title}", f"Titre — {titre.title}")
        for article in titre.articles:
            article_lines(article)
        for volet in titre.volets:
            open_part(volet.label, f"{volet.word} — {volet.title}")
            for text in _blocks_lines(volet.pending):
                add(text)
            for section in volet.sections:
                add(section.title)
                for article in section.articles:
                    article_lines(article)
            for sub in volet.subdivisions:
                open_part(sub.label, f"{volet.word} — {volet.title} — {sub.word} — {sub.title}")
                for text in _blocks_lines(sub.pending):
                    add(text)
                for article in sub.articles:
                    article_lines(article)
    open_part("Signatures", "Signatures")
    add(french.signature_statement(contract.signature))
    for signatory in contract.signature.signatories:
        add(f"{signatory.qualite} : {signatory.nom}")
    for witness in contract.signature.witnesses:
        add(f"En présence de {witness.qualite} : {witness.nom}")
    for annex in contract.annexes:
        open_part(annex.label, f"Annexe — {annex.title}")
        if annex.intro:
            add(annex.intro)
        if annex.table is not None:
            # The article number column moves with every renumbering: left out.
            skip = 1 if annex.table.header and annex.table.header[0] == "Art." else 0
            # So is « article N » in the socle annex: the renumbering summary says it once.
            add(" | ".join(annex.table.header[skip:]))
            for row in annex.table.rows + annex.table.total_rows:
                add(" | ".join(_ARTICLE_CELL.sub("article", cell) for cell in row[skip:]))
        if annex.file:
            add(f"document joint : {annex.file.rsplit('/', 1)[-1]}")
    return lines, headings


def differences(before: Contract, after: Contract) -> list[Change]:
    """The changes from ``before`` to ``after``, in reading order."""
    old, old_headings = _lines(before)
    new, new_headings = _lines(after)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in opcodes(old, new):
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


# --- the diff algorithm ---------------------------------------------------------------
#
# difflib.SequenceMatcher is quadratic on repeated lines (20 000 equal
# paragraphs: over a minute). This one is linear in practice: common prefix
# and suffix first, then lines that occur once in each side anchor the
# match (patience diff: longest increasing run of anchors); only a small
# stretch without any anchor goes to SequenceMatcher, a large one is shown
# as replaced.
_SMALL = 250_000  # lines before × lines after, under which SequenceMatcher is used


def opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Like ``SequenceMatcher(a=a, b=b).get_opcodes()``, in about linear time."""
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        a0, a1, b0, b1 = stack.pop()
        while a0 < a1 and b0 < b1 and a[a0] == b[b0]:
            pairs.append((a0, b0))
            a0, b0 = a0 + 1, b0 + 1
        while a0 < a1 and b0 < b1 and a[a1 - 1] == b[b1 - 1]:
            a1, b1 = a1 - 1, b1 - 1
            pairs.append((a1, b1))
        if a0 == a1 or b0 == b1:
            continue
        anchors = _anchors(a, b, a0, a1, b0, b1)
        if anchors:
            previous = (a0 - 1, b0 - 1)
            for i, j in anchors + [(a1, b1)]:
                stack.append((previous[0] + 1, i, previous[1] + 1, j))
                if i < a1:
                    pairs.append((i, j))
                previous = (i, j)
        elif (a1 - a0) * (b1 - b0) <= _SMALL:
            matcher = difflib.SequenceMatcher(a=a[a0:a1], b=b[b0:b1], autojunk=False)
            for i, j, size in matcher.get_matching_blocks():
                pairs.extend((a0 + i + k, b0 + j + k) for k in range(size))
    pairs.sort()
    result: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    k = 0
    while k <= len(pairs):
        ni, nj = pairs[k] if k < len(pairs) else (len(a), len(b))
        if ni > i or nj > j:
            tag = "replace" if ni > i and nj > j else ("delete" if ni > i else "insert")
            result.append((tag, i, ni, j, nj))
        if k == len(pairs):
            break
        run = 1
        while k + run < len(pairs) and pairs[k + run] == (ni + run, nj + run):
            run += 1
        result.append(("equal", ni, ni + run, nj, nj + run))
        i, j, k = ni + run, nj + run, k + run
    return result


def _anchors(a, b, a0, a1, b0, b1) -> list[tuple[int, int]]:
    """Lines once in a[a0:a1] and once in b[b0:b1], longest run in the same order (patience)."""
    seen: dict[str, list[int]] = {}
    for i in range(a0, a1):
        entry = seen.get(a[i])
        if entry is None:
            seen[a[i]] = [1, i, 0, -1]
        else:
            entry[0] += 1
    for j in range(b0, b1):
        entry = seen.get(b[j])
        if entry is not None:
            entry[2] += 1
            entry[3] = j
    candidates = sorted((entry[1], entry[3]) for entry in seen.values() if entry[0] == 1 and entry[2] == 1)
    # Longest increasing subsequence of the b positions (patience sorting).
    tails: list[int] = []  # index into candidates of the smallest tail of each length
    back: list[int] = []
    for index, (_, j) in enumerate(candidates):
        low, high = 0, len(tails)
        while low < high:
            mid = (low + high) // 2
            if candidates[tails[mid]][1] < j:
                low = mid + 1
            else:
                high = mid
        back.append(tails[low - 1] if low else -1)
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    chain = []
    index = tails[-1] if tails else -1
    while index >= 0:
        chain.append(candidates[index])
        index = back[index]
    return chain[::-1]


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


def _shown(before: Contract, after: Contract, changes: list[Change]) -> list[Change]:
    """The changes with each article heading line numbered as its version numbers it (« - Article 5 — … »)."""
    sides = {
        "- ": {_comparable_heading(a): f"{french.article_label(a.number)} — {a.title}" for a in before.articles},
        "+ ": {_comparable_heading(a): f"{french.article_label(a.number)} — {a.title}" for a in after.articles},
    }
    shown = []
    for change in changes:
        lines = tuple(line[:2] + sides.get(line[:2], {}).get(line[2:], line[2:]) for line in change.lines)
        shown.append(Change(change.heading, lines))
    return shown


class Differences(str):
    """What changed between two contracts: the French report (this string) and its parts.

    ``changes``: each changed passage (heading, lines « - » removed and « + » added);
    ``renumbered``: (title, old number, new number) of each article whose number changed;
    ``amendments``: the same changes article by article, as an avenant states them
    (:class:`csi_docgen.changes.Amendment`: article inserted, abrogated, replaced,
    words replaced, annex replaced…);
    ``identical``: nothing changed. :meth:`as_dict` gives them for JSON.
    """

    changes: tuple[Change, ...]
    renumbered: tuple[tuple[str, int, int], ...]
    amendments: tuple

    def __new__(cls, text: str, changes, renumbered, before_name: str, after_name: str, amendments=()):
        self = super().__new__(cls, text)
        self.changes = tuple(changes)
        self.renumbered = tuple(renumbered)
        self.amendments = tuple(amendments)
        self.before_name, self.after_name = before_name, after_name
        return self

    @property
    def identical(self) -> bool:
        return not self.changes and not self.renumbered

    def as_dict(self) -> dict:
        return {
            "avant": self.before_name,
            "apres": self.after_name,
            "identiques": self.identical,
            "changements": [
                {
                    "titre": change.heading,
                    "retire": [line[2:] for line in change.lines if line.startswith("- ")],
                    "ajoute": [line[2:] for line in change.lines if line.startswith("+ ")],
                    "lignes": list(change.lines),
                }
                for change in self.changes
            ],
            "renumerotation": [{"titre": t, "avant": old, "apres": new} for t, old, new in self.renumbered],
            "modifications": [amendment.as_dict() for amendment in self.amendments],
        }


def differences_text(before: Contract, after: Contract, before_name: str = "avant", after_name: str = "après") -> Differences:
    """The changes as a French report, for a reader or a terminal (a str, with the structured parts beside)."""
    from .changes import amendments

    changes = _shown(before, after, differences(before, after))
    moved = renumbered(before, after)
    by_article = amendments(before, after)
    if not changes and not moved:
        text = f"Aucune différence entre « {before_name} » et « {after_name} ».\n"
        return Differences(text, changes, moved, before_name, after_name, by_article)
    out = [f"Différences de « {before_name} » à « {after_name} » : {len(changes)} passage(s) modifié(s).", ""]
    for change in changes:
        out.append(change.heading)
        out.extend(change.lines)
        out.append("")
    if moved:
        out.append(f"Numérotation : {len(moved)} article(s) changent de numéro.")
        out.extend(_renumbering_lines(moved))
        out.append("")
    return Differences("\n".join(out), changes, moved, before_name, after_name, by_article)
