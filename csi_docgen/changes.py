"""What changed between two versions of a contract, article by article.

The structured difference shared by ``comparer`` and the avenant: each
change is an :class:`Amendment` of one kind —

- ``article-insere``: an article that the new version adds (after ``after``);
- ``article-abroge``: an article the new version no longer has (or keeps
  only as « (abrogé) »);
- ``mots-remplaces``: a few words of an article replaced (``words``: the
  (old, new) pairs, each old passage found once in the article);
- ``article-remplace``: an article rewritten (title or more than a few words);
- ``annexe-remplacee``, ``annexe-ajoutee``, ``annexe-supprimee``;
- ``intitule-remplace``: the title of a volet or of a party section;
- ``visas-remplaces``, ``preambule-remplace``.

Articles are matched by what they are (their clause, or the fixed article's
title), never by number: with the numbering frozen at signature (see
:mod:`csi_docgen.avenant`) the numbers of a kept article are the same anyway.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import french
from .model import ABROGATED, Annex, Article, Contract, ListBlock, Paragraph

INSERTED = "article-insere"
ABROGATED_KIND = "article-abroge"
WORDS = "mots-remplaces"
REPLACED = "article-remplace"
ANNEX_REPLACED = "annexe-remplacee"
ANNEX_ADDED = "annexe-ajoutee"
ANNEX_REMOVED = "annexe-supprimee"
HEADING = "intitule-remplace"
VISAS = "visas-remplaces"
PREAMBLE = "preambule-remplace"

LABELS = {
    INSERTED: "article inséré",
    ABROGATED_KIND: "article abrogé",
    WORDS: "mots remplacés",
    REPLACED: "article remplacé",
    ANNEX_REPLACED: "annexe remplacée",
    ANNEX_ADDED: "annexe ajoutée",
    ANNEX_REMOVED: "annexe supprimée",
    HEADING: "intitulé remplacé",
    VISAS: "visas remplacés",
    PREAMBLE: "préambule remplacé",
}

MAX_WORDS = 12  # a longer replaced passage rewrites the whole article
MAX_PASSAGES = 3


@dataclass(frozen=True)
class Amendment:
    kind: str
    where: str  # « l’article 8 », « l’annexe 1 », « le volet 2 »… as the amended text is read
    article: Optional[Article] = None  # the new article (inserted, replaced) or the old one (abrogated)
    after: Optional[Article] = None  # inserted: the article it follows in the new version
    words: tuple[tuple[str, str], ...] = ()  # words replaced: (old, new)
    annex: Optional[Annex] = None  # the new annex (replaced, added) or the old one (removed)
    old: tuple[str, ...] = ()  # the old heading / visas / preamble lines
    new: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """« article inséré », « mots remplacés »…"""
        return LABELS[self.kind]

    def __repr__(self) -> str:
        # The generated repr printed the whole article or annex table (thousands of characters).
        return f"<Amendment {self.where} : {self.label}>"

    def as_dict(self) -> dict:
        out = {"nature": self.kind, "objet": self.where}
        if self.article is not None:
            out["article"] = str(self.article.number)
        if self.after is not None:
            out["apres"] = str(self.after.number)
        if self.words:
            out["mots"] = [{"avant": old, "apres": new} for old, new in self.words]
        if self.annex is not None:
            out["annexe"] = self.annex.number
        if self.old or self.new:
            out["avant"], out["apres_texte"] = list(self.old), list(self.new)
        return out


def article_key(article: Article) -> str:
    return article.clause_id or f"fixe:{article.title}"


def article_name(article: Article) -> str:
    """« l’article 8 », « l’article 1er », « l’article 12 bis »."""
    return f"l’{french.article_label(article.number).lower()}"


def _block_lines(blocks) -> list[str]:
    lines = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, ListBlock):
            lines.extend(block.item_texts())
    return lines


def article_lines(article: Article) -> list[str]:
    """The article's text, one line per paragraph or list item."""
    return _block_lines(article.blocks)


def _words_replaced(old: Article, new: Article) -> tuple[tuple[str, str], ...]:
    """The (old, new) passages when only a few words changed, each old passage found once; () otherwise."""
    if old.title != new.title:
        return ()
    old_lines, new_lines = article_lines(old), article_lines(new)
    if len(old_lines) != len(new_lines):
        return ()
    pairs = []
    whole = "\n".join(old_lines)
    for before, after in zip(old_lines, new_lines):
        if before == after:
            continue
        a, b = before.split(" "), after.split(" ")
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            if tag != "replace" or max(i2 - i1, j2 - j1) > MAX_WORDS:
                return ()
            # Widen the passage until it is found once in the article.
            while whole.count(" ".join(a[i1:i2])) != 1 and (i1 > 0 or i2 < len(a)):
                if i1 > 0 and j1 > 0:
                    i1, j1 = i1 - 1, j1 - 1
                if i2 < len(a) and j2 < len(b):
                    i2, j2 = i2 + 1, j2 + 1
                elif i1 == 0 or j1 == 0:
                    break
            passage = " ".join(a[i1:i2])
            if whole.count(passage) != 1 or max(i2 - i1, j2 - j1) > MAX_WORDS:
                return ()
            pairs.append((passage, " ".join(b[j1:j2])))
    if not pairs or len(pairs) > MAX_PASSAGES:
        return ()
    return tuple(pairs)


def _annex_content(annex: Annex):
    if annex.file:
        try:
            digest = hashlib.sha256(Path(annex.file).read_bytes()).hexdigest()
        except OSError:
            digest = annex.file
        return (annex.kind, annex.title, digest)
    # The article column's numbers are what the articles say: compared as they are.
    return (annex.kind, annex.title, annex.intro, annex.table)


def _headings(contract: Contract) -> list[tuple[str, str, str]]:
    """(key, where, title) of each volet and party section."""
    out = []

    def walk(volet, of: str = "") -> None:
        name = f"{volet.word.lower()} {volet.number}{of}"  # « volet 2 », « axe 1 du volet 2 »
        vowel = bool(french._VOWEL.match(name))  # noqa: SLF001 - the same elision rule
        the, of_the = ("l’", "de l’") if vowel else ("le ", "du ")
        out.append((f"volet:{volet.key}", f"{the}{name}", volet.title))
        for section in volet.sections:
            out.append((f"section:{volet.key}:{section.partie}", f"la partie « {section.title} » {of_the}{name}", section.title))
        for sub in volet.subdivisions:
            walk(sub, f" {of_the}{name}")

    for volet in contract.volets:
        walk(volet)
    return out


def amendments(before: Contract, after: Contract) -> tuple[Amendment, ...]:
    """The changes from ``before`` to ``after``, in the order of the amended text."""
    for given in (before, after):
        if not isinstance(given, Contract):
            raise TypeError(
                f"amendments() compare deux contrats (csi.contract_from(profil)), pas « {type(given).__name__} » ; "
                "pour rédiger l'avenant à partir de deux profils : csi.draw_avenant(signe, modifie, dossier)"
            )
    out: list[Amendment] = []
    if before.visas != after.visas:
        out.append(Amendment(VISAS, "les visas", old=before.visas, new=after.visas))
    if before.preamble != after.preamble:
        out.append(Amendment(PREAMBLE, "le préambule", old=tuple(_block_lines(before.preamble)), new=tuple(_block_lines(after.preamble))))

    old_headings = {key: (where, title) for key, where, title in _headings(before)}
    for key, where, title in _headings(after):
        if key in old_headings and old_headings[key][1] != title:
            out.append(Amendment(HEADING, where, old=(old_headings[key][1],), new=(title,)))

    old_articles = {article_key(a): a for a in before.articles}
    new_keys = set()
    previous: Optional[Article] = None
    for article in after.articles:
        key = article_key(article)
        new_keys.add(key)
        old = old_articles.get(key)
        gone = article.title == ABROGATED and not article.blocks
        if old is None:
            if not gone:
                out.append(Amendment(INSERTED, article_name(article), article=article, after=previous))
        elif gone:
            if not (old.title == ABROGATED and not old.blocks):
                out.append(Amendment(ABROGATED_KIND, article_name(old), article=old))
        elif (old.title, old.blocks) != (article.title, article.blocks):
            words = _words_replaced(old, article)
            if words:
                out.append(Amendment(WORDS, article_name(article), article=article, words=words))
            else:
                out.append(Amendment(REPLACED, article_name(article), article=article))
        previous = article
    for key, old in old_articles.items():
        if key not in new_keys and not (old.title == ABROGATED and not old.blocks):
            out.append(Amendment(ABROGATED_KIND, article_name(old), article=old))

    old_annexes = {a.number: a for a in before.annexes}
    new_annexes = {a.number: a for a in after.annexes}
    for number, annex in new_annexes.items():
        previous_annex = old_annexes.get(number)
        if previous_annex is None:
            out.append(Amendment(ANNEX_ADDED, f"l’annexe {number}", annex=annex))
        elif _annex_content(previous_annex) != _annex_content(annex):
            out.append(Amendment(ANNEX_REPLACED, f"l’annexe {number}", annex=annex))
    for number, annex in old_annexes.items():
        if number not in new_annexes:
            out.append(Amendment(ANNEX_REMOVED, f"l’annexe {number}", annex=annex))
    return tuple(out)
