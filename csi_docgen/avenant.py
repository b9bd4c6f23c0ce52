"""Amending a signed contract: versions in a chain, numbering frozen at signature, the avenant.

A signed contract is a profile without « avenant: ». An amended version is
a copy of it, changed, with::

    avenant:
      precedent: bourges.yaml   # the version it amends (the signed contract, or an earlier amended version)
      date: 2023-03-15          # the avenant's signing date (optional)

so a chain is read back to the signed contract. After signature articles
keep their numbers: a kept article keeps the number it had, an inserted one
takes the number of the article it follows with « bis », « ter »…, and an
abrogated one stays in the consolidated text as « Article 20 — (abrogé) ».

:func:`load_version` gives a version's model with that numbering;
:func:`avenant_contract` the avenant itself, as a Contract model written by
the same .docx writer: visas, parties, one article per change
(:mod:`csi_docgen.changes`), « Les autres stipulations du contrat
demeurent inchangées », entry into force, the amended version's signatories.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from . import changes as am
from . import french
from .assembly import assemble
from .clauses import Library
from .contract import Contract
from .errors import ProfileError
from .model import (
    ABROGATED,
    ArticleNumber,
    Article,
    ListBlock,
    Paragraph,
    Run,
    SignaturePage,
    Titre,
)
from .profile import Profile, load_profile
from .yamlpos import load_yaml_file

AUTHOR = "Avenant n° {n}"


@dataclass(frozen=True)
class Version:
    """One version of a contract in its chain of avenants."""

    profile: Profile
    contract: Contract  # numbered as signed, abrogated articles kept as placeholders
    numbers: Mapping[str, ArticleNumber]  # live articles: fixed article id or clause id → number
    abrogated: tuple[Article, ...]
    number: int  # 0: the contract as signed; N: as amended by avenant N
    previous: Optional["Version"] = None

    @property
    def root(self) -> "Version":
        return self if self.previous is None else self.previous.root

    @property
    def chain(self) -> tuple["Version", ...]:
        return (self,) if self.previous is None else self.previous.chain + (self,)

    @property
    def path(self) -> str:
        return self.profile.path


def _where(profile: Profile, *loc) -> int | None:
    try:
        line, _ = load_yaml_file(Path(profile.path)).where(loc)
    except Exception:  # noqa: BLE001 - a line number is a courtesy; the message stands without it
        return None
    return line


def freeze(previous: Version, order: list[str], profile: Profile) -> dict[str, ArticleNumber]:
    """Numbers for an amended version's articles (``order``: their ids in reading order)."""
    taken = set(previous.numbers.values()) | {a.number for a in previous.abrogated}
    out: dict[str, ArticleNumber] = {}
    last: Optional[ArticleNumber] = None
    for key in order:
        kept = previous.numbers.get(key)
        if kept is not None:
            number = kept
        else:
            base = last if last is not None else ArticleNumber(0)
            rank = base.rank + 1
            while ArticleNumber(int(base), rank) in taken:
                rank += 1
            number = ArticleNumber(int(base), rank)
        if last is not None and number <= last:
            raise ProfileError(
                f"l’article « {key} » change de place par rapport à la version signée : après la signature, "
                "les articles gardent leur numéro et leur ordre",
                profile.path,
                _where(profile, "volets"),
                hint="abrogez l’article à son ancienne place et insérez une nouvelle clause à la nouvelle",
            )
        taken.add(number)
        out[key] = number
        last = number
    return out


def with_abrogated(contract: Contract, placeholders: tuple[Article, ...]) -> Contract:
    """The contract with each abrogated article kept at its place (after the article numbered just before it)."""
    if not placeholders:
        return contract
    containers: list[list[Article]] = []  # every list of articles, in reading order

    def open_volet(volet):
        sections = [(s, list(s.articles)) for s in volet.sections]
        containers.extend(articles for _, articles in sections)
        return volet, sections, [open_volet(sub) for sub in volet.subdivisions]

    titres = []
    for titre in contract.titres:
        articles = list(titre.articles)
        containers.append(articles)
        titres.append((titre, articles, [open_volet(v) for v in titre.volets]))
    for placeholder in sorted(placeholders, key=lambda a: a.number):
        best, best_index = containers[0], -1
        for articles in containers:
            for index, article in enumerate(articles):
                if article.number < placeholder.number and (best_index < 0 or article.number > best[best_index].number):
                    best, best_index = articles, index
        best.insert(best_index + 1, placeholder)

    def close_volet(opened):
        volet, sections, subs = opened
        return dataclasses.replace(
            volet,
            sections=tuple(dataclasses.replace(s, articles=tuple(arts)) for s, arts in sections),
            subdivisions=tuple(close_volet(sub) for sub in subs),
        )

    return dataclasses.replace(
        contract,
        titres=tuple(
            dataclasses.replace(t, articles=tuple(articles), volets=tuple(close_volet(v) for v in volets)) for t, articles, volets in titres
        ),
    )


def load_version(source, library: Library, *, _seen: tuple[Path, ...] = ()) -> Version:
    """Load a profile (or take a loaded one) and, if it is an amended version, the chain of versions it amends."""
    profile = source if isinstance(source, Profile) else load_profile(source, library)
    amendment = profile.data.avenant
    if amendment is None:
        recorded: dict[str, ArticleNumber] = {}

        def plain(order: list[str]) -> dict[str, int]:
            numbers = {key: n for n, key in enumerate(order, 1)}
            recorded.update({key: ArticleNumber(n) for key, n in numbers.items()})
            return numbers

        return Version(profile, assemble(profile, library, numbering=plain), recorded, (), 0)

    here = Path(profile.path).resolve()
    target = (Path(profile.base_dir) / amendment.precedent).resolve()
    line = _where(profile, "avenant", "precedent")
    if target in _seen or target == here:
        raise ProfileError("avenant.precedent : la chaîne des versions revient sur elle-même", profile.path, line)
    if not target.is_file():
        raise ProfileError(
            f"avenant.precedent : fichier « {amendment.precedent} » introuvable",
            profile.path,
            line,
            hint="indiquez le profil de la version modifiée (le contrat signé), relatif à ce profil",
        )
    previous = load_version(target, library, _seen=_seen + (here,))
    number = previous.number + 1
    if amendment.numero is not None and amendment.numero != number:
        raise ProfileError(
            f"avenant.numero : {amendment.numero} attendu {number} — ce profil modifie "
            + ("le contrat signé" if previous.number == 0 else f"la version issue de l’avenant n° {previous.number}"),
            profile.path,
            _where(profile, "avenant", "numero"),
            hint=f"écrivez « numero: {number} » ou retirez la clé",
        )
    recorded = {}

    def frozen(order: list[str]) -> dict[str, ArticleNumber]:
        numbers = freeze(previous, order, profile)
        recorded.update(numbers)
        return numbers

    contract = assemble(profile, library, numbering=frozen)
    gone = tuple(
        Article(n, ABROGATED, (), clause_id=_clause_id(previous, key)) for key, n in previous.numbers.items() if key not in recorded
    )
    abrogated = tuple(sorted(previous.abrogated + gone, key=lambda a: a.number))
    return Version(profile, with_abrogated(contract, abrogated), recorded, abrogated, number, previous)


def chain_number(numero, precedent, base: Path) -> int:
    """The number of the avenant an amended profile stands for, read from its chain of « precedent » files.

    Cheap (the YAML of each precedent, no assembling), for naming outputs;
    :func:`load_version` checks the chain for real.
    """
    import yaml

    if numero:
        return numero
    number, seen = 0, set()
    while isinstance(precedent, str) and precedent and len(seen) < 100:
        number += 1
        path = (base / precedent).resolve()
        if path in seen:
            break
        seen.add(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            break
        section = data.get("avenant") if isinstance(data, dict) else None
        precedent = section.get("precedent") if isinstance(section, dict) else None
        base = path.parent
    return max(number, 1)


def _clause_id(version: Version, key: str) -> Optional[str]:
    article = version.contract.article_for(key)
    return key if article is not None else None


# --- the avenant document ------------------------------------------------------------


def _q(text: str) -> str:
    return f"«\u00a0{text}\u00a0»"


def _p(text: str) -> Paragraph:
    return Paragraph((Run(french.typography(text)),))


def _quoted(article: Article) -> tuple:
    """The article as the avenant quotes it: heading and text between « ».

    The text is the model's, already typeset: not run through the
    typography again, so a quoted passage is exactly the amended one.
    """
    label = french.article_label(article.number)
    heading = f"{label} — {article.title}" if article.title else label
    blocks = [Paragraph((Run("«\u00a0" + heading, bold=True),))] + list(article.blocks)
    last = blocks[-1]
    if isinstance(last, Paragraph):
        blocks[-1] = Paragraph(last.runs + (Run("\u00a0»"),))
    else:
        items = list(last.items)
        items[-1] = items[-1] + (Run("\u00a0»"),)
        blocks[-1] = ListBlock(tuple(items), last.ordered)
    return tuple(blocks)


def _signed_on(version: Version) -> str:
    data = version.profile.data
    if version.number == 0:
        when = data.signature.date
    else:
        when = data.avenant.date
    return french.date_longue(when) if when else "(date à compléter)"


def _de(nom: str) -> str:
    """« de Bourges », « d’Orléans », « de l’article 8 »."""
    if nom.startswith("l’"):
        return f"de {nom}"
    return f"d’{nom}" if french._VOWEL.match(nom) else f"de {nom}"  # noqa: SLF001 - the same elision rule


def fingerprint_text(sha256: str) -> str:
    """The hexadecimal fingerprint in groups of sixteen, so that a justified line can break between them."""
    return " ".join(sha256[i:i + 16] for i in range(0, len(sha256), 16))


def title_of(signed: Version, number: int) -> str:
    root = signed.root
    contract = root.contract
    return f"Avenant n°{french.NBSP}{number} au {contract.title[:1].lower()}{contract.title[1:]} {_de(contract.collectivite)} signé le {_signed_on(root)}"


def _article_paragraphs(change: am.Amendment) -> tuple:
    if change.kind == am.REPLACED:
        return (_p(f"{change.where[:1].upper()}{change.where[1:]} est remplacé par les dispositions suivantes :"),) + _quoted(change.article)
    if change.kind == am.INSERTED:
        after = am.article_name(change.after) if change.after else "le préambule"
        number = str(change.article.number)
        return (_p(f"Après {after}, il est inséré un article {number} ainsi rédigé :"),) + _quoted(change.article)
    if change.kind == am.ABROGATED_KIND:
        return (_p(f"{change.where[:1].upper()}{change.where[1:]} est abrogé."),)
    if change.kind == am.WORDS:
        sentences = [f"les mots\u00a0: {_q(old)} sont remplacés par les mots\u00a0: {_q(new)}" for old, new in change.words]
        if len(sentences) == 1:
            return (Paragraph((Run(f"À {change.where}, {sentences[0]}."),)),)
        items = tuple((Run(s + (" ;" if i < len(sentences) - 1 else ".")),) for i, s in enumerate(sentences))
        return (Paragraph((Run(f"{change.where[:1].upper()}{change.where[1:]} est ainsi modifié\u00a0:"),)), ListBlock(items, ordered=True))
    if change.kind == am.ANNEX_REPLACED:
        return (_p(f"L’annexe {change.annex.number} est remplacée par l’annexe jointe au présent avenant."),)
    if change.kind == am.ANNEX_ADDED:
        return (_p(f"Il est ajouté au contrat une annexe {change.annex.number}, jointe au présent avenant."),)
    if change.kind == am.ANNEX_REMOVED:
        return (_p(f"L’annexe {change.annex.number} est supprimée."),)
    if change.kind == am.HEADING:
        return (Paragraph((Run(f"L’intitulé {_of(change.where)} est remplacé par l’intitulé\u00a0: {_q(change.new[0])}."),)),)
    if change.kind == am.VISAS:
        items = tuple((Run(v),) for v in change.new)
        return (_p("Les visas du contrat sont remplacés par les visas suivants :"), ListBlock(items))
    if change.kind == am.PREAMBLE:
        text = (_q(change.new[0]),) if len(change.new) == 1 else ("«\u00a0" + change.new[0],) + change.new[1:-1] + (change.new[-1] + "\u00a0»",)
        return (_p("Le préambule du contrat est remplacé par les dispositions suivantes :"),) + tuple(Paragraph((Run(t),)) for t in text)
    raise ValueError(change.kind)  # pragma: no cover


_TITLES = {
    am.REPLACED: "Modification {where}",
    am.WORDS: "Modification {where}",
    am.INSERTED: "Insertion {where}",
    am.ABROGATED_KIND: "Abrogation {where}",
    am.ANNEX_REPLACED: "Remplacement {where}",
    am.ANNEX_ADDED: "Ajout d’une annexe",
    am.ANNEX_REMOVED: "Suppression {where}",
    am.HEADING: "Intitulé {where}",
    am.VISAS: "Visas du contrat",
    am.PREAMBLE: "Préambule du contrat",
}


def _of(where: str) -> str:
    """« le volet 2 » → « du volet 2 », « l’article 8 » → « de l’article 8 »."""
    if where.startswith("le "):
        return f"du {where[3:]}"
    if where.startswith("les "):
        return f"des {where[4:]}"
    return f"de {where}"


def _article_title(change: am.Amendment) -> str:
    where = _of(change.where)
    if change.kind == am.INSERTED:
        where = f"d’un article {change.article.number}"
    return _TITLES[change.kind].format(where=where)


def avenant_contract(signed: Version, amended: Version, changes: tuple[am.Amendment, ...], fingerprint: str) -> Contract:
    """The avenant as a Contract model (written by the same .docx writer as the contract)."""
    number = amended.number
    root = signed.root
    data = amended.profile.data
    visas = [
        f"Vu le {root.contract.title[:1].lower()}{root.contract.title[1:]} {_de(root.contract.collectivite)}, "
        f"signé à {root.contract.signature.place} le {_signed_on(root)}"
        + (f", dont le document signé a pour empreinte SHA-256 {fingerprint_text(fingerprint)}" if signed.number == 0 else "")
        + " ;"
    ]
    for version in signed.chain[1:]:
        last = version is signed
        visas.append(
            f"Vu l’avenant n° {version.number} à ce contrat, signé le {_signed_on(version)}"
            + (f", le contrat ainsi modifié ayant pour empreinte SHA-256 {fingerprint_text(fingerprint)}" if last else "")
            + " ;"
        )
    visas = [french.typography(v) for v in visas]
    visas.extend(french.typography(french.clean_text(v)) for v in data.avenant.visas)

    articles = []
    n = 0
    for change in changes:
        n += 1
        articles.append(Article(ArticleNumber(n), _article_title(change), _article_paragraphs(change)))
    closing = (
        Article(ArticleNumber(n + 1), "Autres stipulations", (_p("Les autres stipulations du contrat demeurent inchangées."),)),
        Article(ArticleNumber(n + 2), "Entrée en vigueur", (_p("Le présent avenant entre en vigueur à la date de sa signature par l’ensemble des parties."),)),
    )
    annexes = tuple(c.annex for c in changes if c.kind in (am.ANNEX_REPLACED, am.ANNEX_ADDED))
    contract = amended.contract
    signature = SignaturePage(
        place=french.apostrophes(french.clean_text(data.avenant.lieu)) if data.avenant.lieu else contract.signature.place,
        date=data.avenant.date,
        copies=contract.signature.copies,
        signatories=contract.signature.signatories,
        witnesses=contract.signature.witnesses,
    )
    return Contract(
        title=title_of(signed, number),
        collectivite=contract.collectivite,
        collectivite_designation=contract.collectivite_designation,
        periode=contract.periode,
        parties=contract.parties,
        visas=tuple(visas),
        preamble=(),
        parties_block=contract.parties_block,
        titres=(
            Titre(1, "Modifications du contrat", articles=tuple(articles)),
            Titre(2, "Dispositions finales", articles=closing),
        ),
        signature=signature,
        annexes=annexes,
        indicators=(),
        funding=(),
        socle=(),
        manifest=contract.manifest,
        table_of_contents=False,
        initials=contract.initials,
        source_name=contract.source_name,
    )
