"""Profile + library → Contract: numbering, rendering and annex data.

Article numbers are computed before any text is rendered, so a clause or a
fixed article can cite another one (``{{ article("gouvernance") }}``) and
always get the number it has in this contract.
"""

from __future__ import annotations

import hashlib

from dataclasses import dataclass
from pathlib import Path

from . import blocks, french, funding as funding_annex, law, parties, render, ties
from .clauses import FixedArticle, Library, read_fixed_articles
from .contract import Contract
from .model import (
    Annex,
    Article,
    IndicatorRow,
    ManifestEntry,
    Paragraph,
    PartySection,
    Run,
    Signatory,
    SignaturePage,
    SocleRow,
    Table,
    Titre,
    Volet,
)
from .profile import Profile, SelectedClause

TITRES = {
    "debut": "Dispositions générales",
    "engagements": "Engagements des parties",
    "fin": "Gouvernance, suivi et dispositions finales",
}
ANNEX_TITLES = {
    "indicateurs": "Indicateurs de suivi des engagements",
    "financement": "Récapitulatif financier",
    "socle": "Prise en compte des mesures du socle",
    "clauses": "Clauses employées et leurs versions",
}
PARTY_SHORT = {"etat": "État", "parquet": "Parquet", "education-nationale": "Éducation nationale", "commun": "Engagement commun"}


@dataclass(frozen=True)
class ContractInfo:
    """What fixed articles and clauses may read as ``contrat``."""

    titre: str
    debut: int
    fin: int
    periode: str
    communes: tuple[str, ...]
    annexe_indicateurs: int | None
    parties_de: str = "de l’État"  # « de l’État et de la ville de … » (every party, « de » form)
    circulaire: bool = True  # signed on or after the circulaire of 16 April 2021
    clspd_5000: bool = False  # the law of 23 March 2024 (CLSPD from 5 000 inhabitants) applies
    instance: str = "comite-de-pilotage"  # the steering body's key
    instance_nom: str = "le comité de pilotage"
    instance_sujet: str = "le comité de pilotage"
    instance_a: str = "au comité de pilotage"
    resiliation_preavis: str = "trois mois"
    resiliation_forme: str = "lettre recommandée avec demande d’avis de réception"
    articles: tuple[str, ...] = ()  # ids of the fixed articles this contract has
    tous_indicateurs: bool = True  # every engagement has at least one indicator


def assemble(profile: Profile, library: Library, *, articles_dir: Path | None = None, numbering=None) -> Contract:
    """Build the pure Contract model of a validated profile.

    ``articles_dir``: a folder of fixed articles to use instead of the
    library's (read now, compiled for this build only). ``numbering``: a
    function from the articles' ids in reading order (fixed articles' ids,
    clause ids) to their numbers, instead of 1, 2, 3…
    """
    data = profile.data
    coll = data.collectivite
    desig = parties.collectivite_designation(data)
    templates = profile.templates if profile.templates is not None else render.Overlay(library.env)
    fixed = library.fixed
    if articles_dir is not None:
        fixed, fixed_sources = read_fixed_articles(articles_dir)
        templates = templates.over(fixed_sources)
    changed = data.articles
    fixed = tuple(a for a in fixed if not (a.id in changed and changed[a.id].omis))

    # 1. Numbering, before rendering anything.
    order = [art.id for art in fixed if art.position == "debut"]

    def party_sections(clauses):
        sections = []
        present = {s.clause.header.partie for s in clauses}
        for partie in parties.section_order(present, library.parties, data):
            chosen = [s for s in clauses if s.clause.header.partie == partie]
            order.extend(sel.clause.id for sel in chosen)
            sections.append((partie, chosen))
        return sections

    grouped = []
    for volet in profile.volets:
        sections = party_sections(volet.clauses)
        subs = [(sub, party_sections(sub.clauses)) for sub in volet.subdivisions]
        grouped.append((volet, sections, subs))
    order.extend(art.id for art in fixed if art.position == "fin")
    # ``numbering`` (an amended version's, see avenant.py) keeps the numbers frozen at signature.
    numbers = dict(numbering(order)) if numbering is not None else {key: n for n, key in enumerate(order, 1)}

    # A generated annex with nothing to list is left out, and no article announces it.
    kinds = [k for k in data.annexes.generees if _has_rows(k, profile)]
    annex_numbers = {kind: i for i, kind in enumerate(kinds, 1)}
    day = data.signature.date  # the law the contract speaks is the law of its signature
    steering = law.STEERING[data.gouvernance.instance]
    info = ContractInfo(
        titre=data.options.titre,
        debut=data.periode.debut,
        fin=data.periode.fin,
        periode=french.periode(data.periode.debut, data.periode.fin),
        communes=tuple(coll.communes_membres),
        annexe_indicateurs=annex_numbers.get("indicateurs"),
        parties_de=parties.parties_de(data, desig),
        circulaire=law.cites_circulaire(day),
        clspd_5000=law.clspd_from_5000(day),
        instance=data.gouvernance.instance,
        instance_nom=steering[0],
        instance_sujet=steering[1],
        instance_a=steering[2],
        resiliation_preavis=french.typography(french.clean_text(data.resiliation.preavis)),
        resiliation_forme=french.typography(french.clean_text(data.resiliation.forme)),
        articles=tuple(a.id for a in fixed),
        tous_indicateurs=all(_indicators_kept(s) for v in profile.volets for s in v.all_clauses),
    )

    def article(ref: str) -> str:
        if ref not in numbers:
            raise ValueError(f"article « {ref} » introuvable dans ce contrat (clause non retenue ?)")
        return french.numero(numbers[ref])

    base_context = {"collectivite": desig, "contrat": info, "article": article}

    # 2. Rendering: every text first, then their blocks in one go (one markdown-it call).
    debut_fixed = [a for a in fixed if a.position == "debut"]
    fin_fixed = [a for a in fixed if a.position == "fin"]
    chosen_all = [
        sel
        for _, sections, subs in grouped
        for group in [sections] + [sub_sections for _, sub_sections in subs]
        for _, chosen in group
        for sel in chosen
    ]
    # What a text may depend on besides its own values: the collectivité, the
    # contract's data and every article number (« article("…") »).
    shared_key = (render.context_key(desig), render.context_key(info), hashlib.sha256(repr(sorted(numbers.items())).encode()).hexdigest())

    memo = library.memo
    keys: list = []
    known: dict[int, tuple] = {}  # index → blocks the memo knows
    texts = []  # (index, rendered text) of the others

    def render_text(template_name: str, values: dict, path: str) -> None:
        try:
            key = (templates.source(template_name).sha256, shared_key, tuple((name, render.context_key(v)) for name, v in values.items()))
        except TypeError:
            key = None
        keys.append(key)
        hit = memo.recall(key)
        if hit is not None:
            known[len(keys) - 1] = hit
        else:
            texts.append((len(keys) - 1, render.render_template(templates, template_name, {**base_context, **values}, path)))

    def fixed_text(art: FixedArticle) -> None:
        given = changed.get(art.id)
        if given is not None and given.texte:
            # A text the profile gives is data: printed as written (Markdown), never rendered.
            keys.append(None)
            texts.append((len(keys) - 1, french.clean_text(given.texte)))
        else:
            render_text(art.template_name, {}, art.path)

    for art in debut_fixed:
        fixed_text(art)
    for sel in chosen_all:
        render_text(sel.clause.template_name, sel.values, sel.clause.path)
    for art in fin_fixed:
        fixed_text(art)
    for (index, _), made in zip(texts, blocks.rendered_blocks_many([text for _, text in texts])):
        known[index] = made
        memo.keep(keys[index], made)
    all_blocks = iter(known[i] for i in range(len(keys)))

    def fixed_article(art: FixedArticle) -> Article:
        return Article(numbers[art.id], french.typography(art.title), next(all_blocks))

    def clause_article(sel: SelectedClause) -> Article:
        clause = sel.clause
        header = clause.header
        return Article(
            numbers[clause.id],
            _title(sel),
            _with_budget_reserve(next(all_blocks), sel, desig, data),
            clause_id=clause.id,
            partie=header.partie,
            socle=header.socle,
            version=header.version,
        )

    debut = tuple(fixed_article(a) for a in debut_fixed)
    words = [w.capitalize() for w in data.options.division_words]

    def model_volet(volet, number: int, sections, word: str, subdivisions=()) -> Volet:
        built = tuple(
            PartySection(partie, parties.section_title(partie, library.parties, desig, data), tuple(clause_article(s) for s in chosen))
            for partie, chosen in sections
        )
        pending = blocks.markdown_blocks(french.typography(french.clean_text(volet.pending))) if volet.pending else ()
        title = french.typography(french.clean_text(volet.title))
        return Volet(volet.key, number, title, built, word, pending, tuple(subdivisions))

    volets = []
    for number, (volet, sections, subs) in enumerate(grouped, 1):
        head = model_volet(volet, number, sections, words[0])  # its own articles come first
        built_subs = [model_volet(sub, i, sub_sections, words[-1]) for i, (sub, sub_sections) in enumerate(subs, 1)]
        volets.append(Volet(head.key, head.number, head.title, head.sections, head.word, head.pending, tuple(built_subs)))
    fin = tuple(fixed_article(a) for a in fin_fixed)
    titres = (
        Titre(1, TITRES["debut"], articles=debut),
        Titre(2, TITRES["engagements"], volets=tuple(volets)),
        Titre(3, TITRES["fin"], articles=fin),
    )

    # 3. Annex data.
    selected = [(numbers[s.clause.id], s) for v in profile.volets for s in v.all_clauses]
    selected.sort(key=lambda pair: pair[0])
    def remembered(template_name: str, values: dict, compute):
        """``compute()``, remembered by the template's content and the values, as the texts are."""
        try:
            key = ("lien", templates.source(template_name).sha256, shared_key, tuple((n, render.context_key(v)) for n, v in values.items()))
        except (KeyError, TypeError):
            return compute()
        found = memo.recall(key)
        if found is None:
            found = compute()
            memo.keep(key, found)
        return found

    indicators = _indicator_rows(selected, templates, base_context, remembered)
    named = {p.key: p.designation for p in parties.declared(data)[1:]}
    funding = funding_annex.funding_rows(selected, info.debut, info.fin, desig, named)
    volet_of = {a.clause_id: v.label for v in volets for a in v.articles}
    socle = socle_rows(library, numbers, profile.socle, volet_of)
    manifest = tuple(
        ManifestEntry(s.clause.id, s.clause.header.version, s.clause.sha256, s.clause.origin) for _, s in selected
    )
    annexes = _annexes(kinds, indicators, funding, socle, manifest, profile, desig, words[0].lower())

    signature = SignaturePage(
        place=french.apostrophes(french.clean_text(data.signature.lieu)),
        date=data.signature.date,
        copies=data.signature.exemplaires or len(data.signataires),
        signatories=tuple(
            Signatory(s.partie, french.typography(french.clean_text(s.qualite)), french.apostrophes(french.clean_text(s.nom or ""))) for s in data.signataires
        ),
        witnesses=tuple(
            Signatory("", french.typography(french.clean_text(p.qualite)), french.clean_text(p.nom or "")) for p in data.en_presence_de
        ),
    )
    return Contract(
        title=french.apostrophes(french.clean_text(data.options.titre)),
        collectivite=french.apostrophes(french.clean_text(desig.nom if desig.pluriel else coll.nom)),  # « Riom et Mozac »
        collectivite_designation=french.clean_text(desig.complete),
        periode=info.periode,
        parties=parties.cover_names(data, desig),
        visas=tuple(french.typography(french.clean_text(v)) for v in data.visas) + parties.deliberation_visas(data),
        preamble=blocks.markdown_blocks(french.typography(french.clean_text(data.preambule or ""))),
        titres=titres,
        signature=signature,
        annexes=annexes,
        indicators=indicators,
        funding=funding,
        socle=socle,
        manifest=manifest,
        table_of_contents=data.options.sommaire,
        initials=data.options.paraphes,
        source_name=Path(profile.path).name,
        warnings=tuple(str(w) for w in profile.warnings if w.severity == "avertissement"),
        notes=tuple(str(w) for w in profile.warnings if w.severity == "note"),
        parties_block=parties.parties_block(data, data.signataires),
    )


def _with_budget_reserve(blocks_: tuple, sel: SelectedClause, desig, data) -> tuple:
    """An engagement with an amount ends with the reserve of its funders' budgets, once."""
    partie = sel.clause.header.partie
    funders = []
    for name, param in sel.clause.params.items():
        value = sel.values.get(name)
        if param.type != "montant" or value is None:
            continue
        tranches = getattr(value, "tranches", None)
        if tranches is None:
            funders.append(param.financeur or partie)
        else:
            funders += [t.financeur or param.financeur or partie for t in tranches]
    if not funders:
        return blocks_
    return blocks_ + (Paragraph((Run(parties.budget_reserve(funders, desig, data)),)),)


def _indicator_rows(selected, templates, base_context, remembered) -> tuple[IndicatorRow, ...]:
    return tuple(row for number, sel in selected for row in _clause_indicator_rows(number, sel, templates, base_context, remembered))


def _clause_indicator_rows(number: int, sel, templates, base_context, remembered) -> tuple[IndicatorRow, ...]:
    clause = sel.clause
    rows = []
    context = {**base_context, **sel.values}

    def tied(ind, field: str) -> str:
        return remembered(
            ties.tie_name(clause.template_name, ind.id, field),
            sel.values,
            lambda: ties.tie_text(templates, clause.template_name, ind, field, context, clause.path),
        )

    for ind, (label, source) in zip(clause.header.indicateurs, clause.indicator_labels):
        if ind.id in sel.dropped_indicators:
            continue
        given = sel.indicators.get(ind.id)
        rows.append(
            IndicatorRow(
                article=number,
                engagement=_title(sel),
                clause_id=clause.id,
                indicateur=label,
                unite=ind.unite,
                reference=french.clean_text(given.reference) if given and given.reference else tied(ind, "reference"),
                cible=french.clean_text(given.cible) if given and given.cible else tied(ind, "cible"),
                periodicite=ind.periodicite,
                source=source,
            )
        )
    return tuple(rows)


def _title(sel: SelectedClause) -> str:
    """The article's title: the profile's own (« titre: » under the clause) or the clause's."""
    return french.typography(french.clean_text(sel.title)) if sel.title else sel.clause.title


def _indicators_kept(sel: SelectedClause) -> bool:
    return any(ind.id not in sel.dropped_indicators for ind in sel.clause.header.indicateurs)


SOCLE_DECISIONS = {
    "retenue": "retenue",
    "couverte": "couverte",
    "deja-en-oeuvre": "déjà en œuvre",
    "sans-objet": "sans objet",
    "non-retenue": "non retenue",
    "non-traitee": "non traitée",
}


def socle_rows(library: Library, numbers: dict[str, int], statuses: dict, volet_of: dict[str, str]) -> tuple[SocleRow, ...]:
    """One row per socle measure: its status in this contract, the article and division that carry it."""
    rows = []
    parties = list(library.parties)
    volets = list(library.volets)
    ordered = sorted(
        library.socle,
        key=lambda c: (parties.index(c.header.partie), volets.index(c.header.volet), c.header.source.rang or 0),
    )
    for clause in ordered:
        header = clause.header
        status = statuses.get(clause.id)
        carrier = clause.id if clause.id in numbers else (status.clause_id if status and status.clause_id else None)
        if clause.id in numbers:
            decision = "retenue"
        else:
            decision = status.status if status else "non-traitee"
        rows.append(
            SocleRow(
                clause_id=clause.id,
                mesure=clause.title,
                partie=PARTY_SHORT.get(header.partie, "Collectivité"),
                volet=volet_of.get(carrier, "") if carrier else "",
                decision=SOCLE_DECISIONS[decision],
                article=numbers.get(carrier) if carrier else None,
                motif=french.typography(french.clean_text(status.text)) if status and status.text else "",
            )
        )
    return tuple(rows)


def _has_rows(kind: str, profile: Profile) -> bool:
    """Whether a generated annex would list anything (known before any text is rendered)."""
    chosen = [s for v in profile.volets for s in v.all_clauses]
    if kind == "indicateurs":
        return any(s.clause.header.indicateurs for s in chosen)
    if kind == "financement":
        return any(p.type == "montant" and s.values.get(n) is not None for s in chosen for n, p in s.clause.params.items())
    return True  # the socle of the circulaire, the clauses used: never empty


def _annexes(kinds, indicators, funding, socle, manifest, profile: Profile, desig, word: str = "volet") -> tuple[Annex, ...]:
    annexes = []
    number = 0
    for kind in kinds:
        number += 1
        annexes.append(_generated_annex(kind, number, indicators, funding, socle, manifest, word))
    for title, path, accept_changes in profile.annex_files:
        number += 1
        annexes.append(
            Annex(number, french.typography(french.clean_text(title)), "externe", file=str(path), accept_changes=accept_changes)
        )
    return tuple(annexes)


def _socle_detail(row: SocleRow) -> str:
    parts = [f"article {_art(row.article)}"] if row.article else []
    if row.motif:
        parts.append(row.motif)
    return " — ".join(parts) or "—"


def _count(n: int, singular: str, plural: str) -> str:
    return f"aucune {singular}" if n == 0 else f"{n} {singular if n == 1 else plural}"


def socle_intro(socle) -> str:
    """« Les 24 mesures du socle … : 3 retenues, aucune sans objet… » (neutral wording)."""
    counts = {d: sum(1 for r in socle if r.decision == d) for d in SOCLE_DECISIONS.values()}
    words = {
        "retenue": ("retenue dans un article", "retenues dans un article"),
        "couverte": ("couverte par une clause propre au contrat", "couvertes par une clause propre au contrat"),
        "déjà en œuvre": ("déjà mise en œuvre", "déjà mises en œuvre"),
        "sans objet": ("sans objet", "sans objet"),
        "non retenue": ("non retenue", "non retenues"),
        "non traitée": ("non traitée", "non traitées"),
    }
    shown = [_count(counts[d], *words[d]) for d in words if counts[d] or d in ("retenue", "non traitée")]
    return (
        f"Prise en compte, par le présent contrat, des {len(socle)} mesures du socle de la circulaire "
        f"du 16 avril 2021 : {', '.join(shown)}."
    )


def _art(number: int | None) -> str:
    return "" if number is None else french.numero(number)


def _generated_annex(kind, number, indicators, funding, socle, manifest, word: str = "volet") -> Annex:
    title = ANNEX_TITLES[kind]
    if kind == "indicateurs":
        table = Table(
            ("Art.", "Engagement", "Indicateur", "Unité", "Référence", "Cible", "Périodicité", "Source"),
            tuple(
                (_art(r.article), r.engagement, r.indicateur, r.unite, r.reference or "—", r.cible or "—", r.periodicite, r.source)
                for r in indicators
            ),
        )
        intro = "Indicateurs de suivi de chaque engagement, renseignés chaque année pour l’évaluation annuelle du contrat."
    elif kind == "financement":
        table = funding_annex.funding_table(funding)
        intro = french.typography(
            "Montants inscrits dans les engagements du contrat, par financeur et par année ou période ; "
            "un montant annuel est compté pour chacune des années de sa période."
            if funding
            else "Aucun engagement du contrat ne comporte de montant."
        )
    elif kind == "socle":
        table = Table(
            ("Mesure du socle", "Partie", word.capitalize(), "Prise en compte", "Article, texte ou motif"),
            tuple(
                (r.mesure, r.partie, r.volet or "—", r.decision, _socle_detail(r))
                for r in socle
            ),
        )
        intro = french.typography(socle_intro(socle))
    else:
        table = Table(
            ("Clause", "Version", "Origine", "Empreinte SHA-256"),
            tuple((m.clause_id, str(m.version), m.origin, m.sha256[:16]) for m in manifest),
        )
        intro = "Clauses de la bibliothèque et du profil employées dans ce contrat, avec leur version et l’empreinte de leur texte."
    return Annex(number, title, kind, intro, table)
