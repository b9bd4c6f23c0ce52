"""The parties of a contract: how the text names each one and who binds it.

The État and the collectivité are always parties; the parquet and the
Éducation nationale are named when someone signs for them; a profile
declares the others under ``parties:`` (another commune, a métropole, a
bailleur, a transport operator…). From the profile this module derives the
order of the « Engagements de … » sub-parts, their titles, the parties block
that opens the contract (« ENTRE … ET … ») and the visas of the
délibérations. Pure functions over the validated profile data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from . import french
from .french import Designation

# Fixed parties: (name at the head of an entry, subject, gender).
STATE_SIDE = ("etat", "parquet", "education-nationale")
_FIXED = {
    "etat": ("l’État", "l’État", "m"),
    "parquet": ("le parquet", "le parquet", "m"),
    "education-nationale": ("l’Éducation nationale", "l’Éducation nationale", "f"),
}
COMMUNE_KINDS = ("commune", "ville")
BLANK = "." * 12  # left for completion at the signing

# Who votes a party's délibération, by kind of party.
INSTANCES = {
    "commune": "conseil municipal",
    "ville": "conseil municipal",
    "metropole": "conseil de la métropole",
    "communaute-urbaine": "conseil communautaire",
    "communaute-agglomeration": "conseil communautaire",
    "communaute-communes": "conseil communautaire",
    "etablissement-public": "conseil communautaire",
    "departement": "conseil départemental",
    "region": "conseil régional",
}
DEFAULT_INSTANCE = "conseil d’administration"


@dataclass(frozen=True)
class Party:
    """A party other than the State: the collectivité or one declared under « parties: »."""

    key: str  # « collectivite » or the id declared in the profile
    designation: Designation
    kind: str
    deliberation: Optional[object]  # schema.Deliberation


def declared(data) -> list[Party]:
    """The collectivité, then the parties of ``parties:`` in their order."""
    coll = data.collectivite
    found = []
    for key, p in [("collectivite", coll), *((p.id, p) for p in data.parties)]:
        nom, sujet = french.apostrophes(p.nom), p.sujet and french.apostrophes(p.sujet)
        found.append(Party(key, french.designation(nom, p.type, sujet, p.genre), p.type, p.deliberation))
    return found


def collectivite_designation(data) -> Designation:
    """How clauses name the collectivité: plural when other communes sign with it."""
    coll = data.collectivite
    # Names typed in the profile read the same everywhere: « L’Isle-d’Abeau ».
    own = french.designation(french.apostrophes(coll.nom), coll.type, coll.sujet and french.apostrophes(coll.sujet), coll.genre)
    others = [p.nom for p in data.parties if p.type in COMMUNE_KINDS]
    if coll.type in COMMUNE_KINDS and others:
        return french.communes_ensemble([french.apostrophes(n) for n in (coll.nom, *others)])
    return own


def known_ids(data) -> list[str]:
    """Every value a clause's or a signatory's ``partie`` may take in this profile."""
    return ["etat", "parquet", "education-nationale", "collectivite", "commun", *(p.id for p in data.parties)]


def section_order(present: set[str], library_parties, data) -> list[str]:
    """État, parquet, Éducation nationale, the collectivité, declared parties as declared, commun."""
    order = [p for p in library_parties if p != "commun"]
    order += [p.id for p in data.parties if p.id not in order]
    order += ["commun"]
    return [p for p in order if p in present] + sorted(present - set(order))


def section_title(partie: str, library_parties, desig: Designation, data) -> str:
    if partie in library_parties:
        return french.typography(library_parties[partie].replace("{collectivite}", desig.de))
    for party in declared(data)[1:]:
        if party.key == partie:
            return french.typography(f"Engagements {party.designation.de}")
    return french.typography(f"Engagements de {partie}")


def short_label(partie: str, desig: Designation, data) -> str:
    """The funder's name in the financial annex."""
    if partie == "collectivite":
        return desig.Sujet if not desig.proper else desig.sujet
    if partie in _FIXED:
        return {"etat": "État", "parquet": "Parquet", "education-nationale": "Éducation nationale"}[partie]
    for party in declared(data)[1:]:
        if party.key == partie:
            return _cap(party.designation.sujet)
    return "Engagement commun" if partie == "commun" else partie


def cover_names(data, desig: Designation) -> tuple[str, ...]:
    """« Entre l’État, … et la ville de … » on the cover."""
    names = ["l’État"]
    for party in declared(data):
        names.append(french.typography(french.clean_text(party.designation.complete)))
    return tuple(names)


# --- the parties block ----------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low_article(qualite: str) -> str:
    """« Le préfet du Cher » → « le préfet du Cher », to follow « représenté par »."""
    for article in ("Le ", "La ", "Les ", "L’", "L'"):
        if qualite.startswith(article):
            return article.lower() + qualite[len(article):]
    return qualite


def _feminine_person(qualite: str) -> bool:
    return qualite.startswith("La ")


def _person(signatory) -> str:
    qualite = _low_article(french.clean_text(signatory.qualite))
    nom = french.clean_text(signatory.nom or "")
    return f"{qualite}, {nom}" if nom else qualite


def _date_text(value: Optional[dt.date]) -> str:
    return french.date_longue(value) if value else BLANK


def deliberation_mention(party: Party, signatory, signed: Optional[dt.date]) -> str:
    """« , dûment habilité par délibération du conseil municipal n° … du … » (empty without a délibération)."""
    d = party.deliberation
    if d is None:
        return ""
    instance = french.clean_text(d.instance) if d.instance else INSTANCES.get(party.kind, DEFAULT_INSTANCE)
    numero = french.clean_text(d.numero) if d.numero else BLANK
    when = _date_text(d.date)
    if signed is not None and d.date is not None and d.date > signed:
        # Voted after the signing: the contract says so instead of claiming an authorisation.
        return f", sous réserve de l’approbation du présent contrat par délibération du {instance} n° {numero} du {when}"
    e = "e" if signatory is not None and _feminine_person(signatory.qualite) else ""
    return f", dûment habilité{e} par délibération du {instance} n° {numero} du {when}"


def _represented(designation: Designation, people: list) -> str:
    """« , représentée par le maire de Bourges » (« et par » between several people)."""
    e = "e" if designation.genre == "f" else ""
    if not people:
        return f", représenté{e} par {BLANK}"
    names = [_person(s) for s in people]
    if len(names) == 1:
        return f", représenté{e} par {names[0]}"
    return f", représenté{e} par " + ", par ".join(names[:-1]) + " et par " + names[-1]


def _de(text: str) -> str:
    """« de » before a name: « de la ville de Bourges », « du département du Cher », « d’Orléans »."""
    if text.startswith("le "):
        return "du " + text[3:]
    if text.startswith("les "):
        return "des " + text[4:]
    if french._VOWEL.match(text) and not text.startswith(("l’", "l'")):
        return "d’" + text
    return "de " + text


def _named(designation: Designation, name: str) -> str:
    """« , ci-après dénommée « la Ville » » when the text names the party otherwise than its full name."""
    if designation.sujet.lower() == name.lower():
        return ""
    e = "e" if designation.genre == "f" else ""
    return f", ci-après dénommé{e} « {designation.sujet} »"


def parties_block(data, signatories) -> tuple[tuple[str, str], ...]:
    """The « ENTRE … ET … » block: (kind, text) pairs, kind « mot » (ENTRE, ET) or « partie »."""
    signed = data.signature.date
    by_party: dict[str, list] = {}
    for s in signatories:
        by_party.setdefault(s.partie, []).append(s)
    entries: list[str] = []

    state = by_party.get("etat", [])
    entries.append(_cap("l’État") + _represented(french.Designation("État", "l’État", "m", "", True, "etat"), state))
    for key in ("parquet", "education-nationale"):
        people = by_party.get(key, [])
        if not people:
            continue
        name, sujet, genre = _FIXED[key]
        who = french.liste([_cap(_person(s)) if i == 0 else _person(s) for i, s in enumerate(people)])
        e = "e" if _feminine_person(people[0].qualite) else ""
        entries.append(f"{who}, ci-après dénommé{e} « {sujet} »")
    parties = declared(data)
    communes = [p for p in parties if p.kind in COMMUNE_KINDS]
    together = len(communes) > 1 and parties[0].kind in COMMUNE_KINDS
    for party in parties:
        people = by_party.get(party.key, [])
        name = party.designation.complete
        text = _cap(name) + _represented(party.designation, people)
        text += deliberation_mention(party, people[0] if people else None, signed)
        if not (together and party.kind in COMMUNE_KINDS):  # each commune keeps its full name
            text += _named(party.designation, name)
        entries.append(text)

    out: list[tuple[str, str]] = [("mot", "ENTRE")]
    for index, text in enumerate(entries):
        last = index == len(entries) - 1
        if last:
            out.append(("mot", "ET"))
        out.append(("partie", french.typography(text + ("." if last else ","))))
    if together:
        names = french.liste([p.designation.complete for p in communes])
        out.append(("partie", french.typography(_cap(names) + " sont ci-après dénommées ensemble « les communes ».")))
    return tuple(out)


def deliberation_visas(data) -> tuple[str, ...]:
    """« Vu la délibération … autorisant … à signer le présent contrat ; » for each délibération voted before the signing."""
    signed = data.signature.date
    out = []
    for party in declared(data):
        d = party.deliberation
        if d is None or (signed is not None and d.date is not None and d.date > signed):
            continue
        instance = french.clean_text(d.instance) if d.instance else INSTANCES.get(party.kind, DEFAULT_INSTANCE)
        numero = french.clean_text(d.numero) if d.numero else BLANK
        who = party.designation.complete
        out.append(
            french.typography(
                f"Vu la délibération du {instance} {_de(who)} n° {numero} du {_date_text(d.date)} "
                f"approuvant le présent contrat et autorisant sa signature ;"
            )
        )
    return tuple(out)


def parties_de(data, desig: Designation) -> str:
    """« de l’État et de la ville de Clermont-Ferrand »: every party, for the objet of the contract."""
    signing = {s.partie for s in data.signataires}
    names = ["l’État"] + [_FIXED[k][0] for k in ("parquet", "education-nationale") if k in signing]
    names.append(french.clean_text(desig.complete))
    for party in declared(data)[1:]:
        if not (desig.pluriel and party.kind in COMMUNE_KINDS):
            names.append(french.clean_text(party.designation.complete))
    return french.typography(french.liste([_de(n) for n in names]))


def budget_reserve(funders: list[str], desig: Designation, data) -> str:
    """The sentence that subjects an engagement's amounts to its funders' budgets (party keys or names)."""
    state_limit = "dans la limite des crédits ouverts en loi de finances"
    state = False
    others: list[tuple[str, bool]] = []  # (subject, plural)
    for who in dict.fromkeys(funders):
        if who in STATE_SIDE or who.strip().lower().replace("'", "’") in ("l’état", "état", "l’etat"):
            state = True
        elif who in ("collectivite", "commun"):
            state = state or who == "commun"
            others.append((desig.sujet, desig.pluriel))
        else:
            party = next((p for p in declared(data)[1:] if p.key == who), None)
            others.append((party.designation.sujet, False) if party else (french.clean_text(who), False))
    others = list(dict.fromkeys(others))
    if state and not others:
        return french.typography(f"Cet engagement financier de l’État s’entend {state_limit}.")
    plural = len(others) > 1 or any(p for _, p in others)
    budget = "leurs budgets" if plural else "son budget"
    names = french.liste([name for name, _ in others])
    if not state:
        return french.typography(
            f"Cet engagement financier {_de(names)} est pris sous réserve de l’inscription des crédits correspondants à {budget}."
        )
    return french.typography(
        f"Les montants de cet engagement s’entendent, pour l’État, {state_limit} et, pour {names}, "
        f"sous réserve de l’inscription des crédits correspondants à {budget}."
    )
