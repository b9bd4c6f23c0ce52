"""The Contract model: the whole contract as pure, frozen data.

Every output (docx, plain text, HTML preview, indicator CSV) is a walk over
these objects, in its own module; nothing here knows about OOXML, and this
module imports none of them (:mod:`csi_docgen.contract` puts the views at
hand as methods). Text is already typeset (French spaces and quotes) and
figures already formatted; dates are dates, written the French way by the views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting (bold, italic)."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; each item is a sequence of runs."""

    items: tuple[tuple[Run, ...], ...]
    ordered: bool = False

    def item_texts(self) -> list[str]:
        return ["".join(r.text for r in item) for item in self.items]


Block = Union[Paragraph, ListBlock]


SUFFIXES = ("", "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies")


class ArticleNumber(int):
    """An article number as frozen at signature: 12, « 12 bis », « 12 ter »…

    An int (its base number) for everything that counts or compares with
    plain numbers; ``rank`` 1 is « bis », 2 « ter »… Ordered by (base, rank),
    written « 12 bis ».
    """

    def __new__(cls, base: int, rank: int = 0):
        if not 0 <= rank < len(SUFFIXES):
            raise ValueError(f"rang d’article hors limites : {rank}")
        made = super().__new__(cls, base)
        made.rank = rank
        return made

    def _pair(self) -> tuple[int, int]:
        return int(self), self.rank

    @staticmethod
    def _other(other) -> tuple[int, int] | None:
        if isinstance(other, ArticleNumber):
            return other._pair()
        if isinstance(other, int):
            return int(other), 0
        return None

    def __eq__(self, other):
        pair = self._other(other)
        return NotImplemented if pair is None else self._pair() == pair

    def __ne__(self, other):
        pair = self._other(other)
        return NotImplemented if pair is None else self._pair() != pair

    def __lt__(self, other):
        pair = self._other(other)
        return NotImplemented if pair is None else self._pair() < pair

    def __le__(self, other):
        pair = self._other(other)
        return NotImplemented if pair is None else self._pair() <= pair

    def __gt__(self, other):
        pair = self._other(other)
        return NotImplemented if pair is None else self._pair() > pair

    def __ge__(self, other):
        pair = self._other(other)
        return NotImplemented if pair is None else self._pair() >= pair

    def __hash__(self):
        return hash(int(self)) if not self.rank else hash(self._pair())

    def __str__(self):
        return f"{int(self)} {SUFFIXES[self.rank]}" if self.rank else str(int(self))

    def __format__(self, spec):
        return format(str(self), spec)

    def __repr__(self):
        return f"ArticleNumber({int(self)}, {self.rank})"

    def __reduce__(self):
        return ArticleNumber, (int(self), self.rank)


ABROGATED = "(abrogé)"


@dataclass(frozen=True)
class Article:
    """A numbered article: a fixed article (``clause_id`` None) or an engagement made from a clause."""

    number: int
    title: str
    blocks: tuple[Block, ...]
    clause_id: Optional[str] = None
    partie: Optional[str] = None
    socle: bool = False
    version: Optional[int] = None


@dataclass(frozen=True)
class PartySection:
    """« Engagements de … »: the articles of one party within a division."""

    partie: str
    title: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Volet:
    """A division of the engagements (« Volet 1 », « Pilier 2 »…), or a sub-division of one (« Axe 1 »)."""

    key: str
    number: int
    title: str
    sections: tuple[PartySection, ...]
    word: str = "Volet"  # « Volet », « Pilier », « Axe », « Objectif » or « Champ »
    pending: tuple[Block, ...] = ()  # printed under the heading while the engagements are not written
    subdivisions: tuple["Volet", ...] = ()

    @property
    def label(self) -> str:
        return f"{self.word} {self.number} — {self.title}"

    @property
    def articles(self) -> tuple[Article, ...]:
        own = tuple(a for s in self.sections for a in s.articles)
        return own + tuple(a for sub in self.subdivisions for a in sub.articles)


@dataclass(frozen=True)
class Titre:
    """A top-level division ("Titre I — Dispositions générales")."""

    number: int
    title: str
    articles: tuple[Article, ...] = ()
    volets: tuple[Volet, ...] = ()


@dataclass(frozen=True)
class Signatory:
    """Who signs (or, on the « en présence de » list, who attends) and for which party."""

    partie: str
    qualite: str
    nom: str


@dataclass(frozen=True)
class SignaturePage:
    """« Fait à …, le … », the number of copies, the signatories and who attends."""

    place: str
    date: Optional[dt.date]  # None: left blank for the signing ceremony
    copies: int
    signatories: tuple[Signatory, ...]
    witnesses: tuple[Signatory, ...] = ()  # « en présence de » (partie left empty)


@dataclass(frozen=True)
class Table:
    """A generated annex's table: header, rows and total rows, as text already formatted."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total_rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Annex:
    """An annex: generated (a table) or external (a .docx merged after its heading)."""

    number: int
    title: str
    kind: str  # "indicateurs", "financement", "socle", "clauses" or "externe"
    intro: str = ""
    table: Optional[Table] = None
    file: Optional[str] = None  # absolute path of an external .docx
    accept_changes: bool = False  # an external .docx's tracked changes are accepted (else refused)

    @property
    def label(self) -> str:
        return f"Annexe {self.number} — {self.title}"


@dataclass(frozen=True)
class IndicatorRow:
    """One follow-up indicator of an engagement, as the indicator annex lists it."""

    article: int
    engagement: str
    clause_id: str
    indicateur: str
    unite: str
    reference: str
    cible: str
    periodicite: str
    source: str


@dataclass(frozen=True)
class FundingRow:
    """One amount of an engagement and its funder, as the funding annex lists it."""

    article: int
    engagement: str
    partie: str  # the funder
    annee: str  # « 2021 » or « 2021-2023 »
    montant: int  # the whole amount of the row
    annuel: Optional[int] = None  # the yearly amount, when the row is one multiplied over its years
    part: str = ""  # the funder's share of a co-financed amount, written the French way (« 60 % »)


@dataclass(frozen=True)
class SocleRow:
    """One measure of the socle and what this contract does with it."""

    clause_id: str
    mesure: str
    partie: str
    volet: str
    decision: str  # "retenue", "couverte", "déjà en œuvre", "sans objet", "non retenue" or "non traitée"
    article: Optional[int]
    motif: str  # the motif, or the sentence of a measure already in place


@dataclass(frozen=True)
class ManifestEntry:
    """A clause the contract was made from, with its version and the SHA-256 of its file."""

    clause_id: str
    version: int
    sha256: str
    origin: str  # "bibliotheque" or "profil"


@dataclass(frozen=True)
class Contract:
    """The whole contract as frozen data; :mod:`csi_docgen.contract` adds the views (``text()``, ``to_docx()``…)."""

    title: str
    collectivite: str
    collectivite_designation: str
    periode: str
    parties: tuple[str, ...]
    visas: tuple[str, ...]
    preamble: tuple[Block, ...]
    titres: tuple[Titre, ...]
    signature: SignaturePage
    annexes: tuple[Annex, ...]
    indicators: tuple[IndicatorRow, ...]
    funding: tuple[FundingRow, ...]
    socle: tuple[SocleRow, ...]
    manifest: tuple[ManifestEntry, ...]
    table_of_contents: bool = True
    initials: bool = False
    source_name: str = ""
    # « ENTRE … ET … »: (kind, text) pairs, kind « mot » (ENTRE, ET) or « partie » (one party)
    parties_block: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    # --- navigation --------------------------------------------------------
    @property
    def volets(self) -> tuple[Volet, ...]:
        return tuple(v for t in self.titres for v in t.volets)

    @property
    def articles(self) -> tuple[Article, ...]:
        out: list[Article] = []
        for titre in self.titres:
            out.extend(titre.articles)
            for volet in titre.volets:
                out.extend(volet.articles)
        return tuple(out)

    def article_for(self, clause_id: str) -> Optional[Article]:
        return next((a for a in self.articles if a.clause_id == clause_id), None)

    def __repr__(self) -> str:
        # The generated repr printed every block of every article (about 100 000 characters).
        return (
            f"<Contract {self.title} — {self.collectivite} — {self.periode} : {_count(len(self.articles), 'article')}, "
            f"{_count(len(self.signature.signatories), 'signataire')}, {_count(len(self.annexes), 'annexe')}>"
        )


def _count(n: int, noun: str) -> str:
    """« 1 annexe », « 2 annexes » for the one-line repr (the model imports no view module)."""
    return f"{n} {noun if n < 2 else noun + 's'}"
