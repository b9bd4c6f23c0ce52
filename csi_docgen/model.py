"""The Contract model: the whole contract as pure, frozen data.

Every output (docx, plain text, HTML preview, indicator CSV) is a walk over
these objects; nothing here knows about OOXML. Text is already typeset
(French spaces and quotes) and figures already formatted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class ListBlock:
    items: tuple[tuple[Run, ...], ...]
    ordered: bool = False

    def item_texts(self) -> list[str]:
        return ["".join(r.text for r in item) for item in self.items]


Block = Union[Paragraph, ListBlock]


@dataclass(frozen=True)
class Article:
    number: int
    title: str
    blocks: tuple[Block, ...]
    clause_id: Optional[str] = None
    partie: Optional[str] = None
    socle: bool = False
    version: Optional[int] = None

    @property
    def label(self) -> str:
        return f"Article {self.number}{'er' if self.number == 1 else ''}"


@dataclass(frozen=True)
class PartySection:
    partie: str
    title: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Volet:
    key: str
    number: int
    title: str
    sections: tuple[PartySection, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for s in self.sections for a in s.articles)


@dataclass(frozen=True)
class Titre:
    """A top-level division ("Titre I — Dispositions générales")."""

    number: int
    title: str
    articles: tuple[Article, ...] = ()
    volets: tuple[Volet, ...] = ()


@dataclass(frozen=True)
class Signatory:
    partie: str
    qualite: str
    nom: str


@dataclass(frozen=True)
class SignaturePage:
    place: str
    date: Optional[str]  # already written the French way ("22 juillet 2021")
    copies: int
    signatories: tuple[Signatory, ...]

    @property
    def statement(self) -> str:
        # Without a date the blank is left for the signing ceremony.
        when = f", le {self.date}" if self.date else ", le " + "." * 20
        from .french import en_lettres

        return f"Fait à {self.place}{when}, en {en_lettres(self.copies)} ({self.copies}) exemplaires originaux."


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total_rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Annex:
    number: int
    title: str
    kind: str  # "indicateurs", "financement", "socle", "clauses" or "externe"
    intro: str = ""
    table: Optional[Table] = None
    file: Optional[str] = None  # absolute path of an external .docx

    @property
    def label(self) -> str:
        return f"Annexe {self.number} — {self.title}"


@dataclass(frozen=True)
class IndicatorRow:
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
    article: int
    engagement: str
    partie: str  # the funder
    annee: str  # « 2021 » or « 2021-2023 »
    montant: int  # the whole amount of the row
    annuel: Optional[int] = None  # the yearly amount, when the row is one multiplied over its years


@dataclass(frozen=True)
class SocleRow:
    clause_id: str
    mesure: str
    partie: str
    volet: str
    decision: str  # "retenue" or "écartée"
    article: Optional[int]
    motif: str


@dataclass(frozen=True)
class ManifestEntry:
    clause_id: str
    version: int
    sha256: str
    origin: str  # "bibliotheque" or "profil"


@dataclass(frozen=True)
class Contract:
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
    warnings: tuple[str, ...] = field(default=(), compare=False)

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

    # --- views (implemented in their own modules) -------------------------
    def text(self) -> str:
        """The whole contract as readable, diffable plain text."""
        from .text import contract_text

        return contract_text(self)

    def differences(self, other: "Contract", before_name: str = "avant", after_name: str = "après") -> str:
        """What changed from this contract to ``other``, in French, under each article's heading."""
        from .compare import differences_text

        return differences_text(self, other, before_name, after_name)

    def indicateurs(self) -> list[dict]:
        """Indicator rows as records: ``pandas.DataFrame(contract.indicateurs())``."""
        from .records import indicator_records

        return indicator_records(self)

    def indicateurs_csv(self, path=None) -> str:
        from .records import indicators_csv

        return indicators_csv(self, path)

    def to_docx(self, path, template=None) -> str:
        """Write the contract (with its annexes) to ``path``; return its SHA-256."""
        from .docx import write_docx

        return write_docx(self, path, template=template)

    def _repr_html_(self) -> str:
        from .preview import contract_html

        return contract_html(self)
