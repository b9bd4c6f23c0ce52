"""The funding annex: who pays what, which years, adding up.

Every ``montant`` value of the kept clauses gives rows: one per funder and
year, or per range of years for a yearly amount (then multiplied over those
years). The funder is the one the value or the parameter names
(``financeur``), or else the clause's party; a joint commitment (« Engagement
commun ») is never a funder (the library and the profile refuse an amount of
a joint commitment without one). Totals per funder and overall follow.
"""

from __future__ import annotations

from . import french
from .model import FundingRow, Table
from .quantities import Financement, Pourcentage

PARTY_FUNDERS = {"etat": "État", "parquet": "Parquet", "education-nationale": "Éducation nationale"}
HEADER = ("Art.", "Engagement", "Financeur", "Années", "Montant annuel", "Montant")


def funder_label(key: str | None, partie: str, desig, named=None) -> str:
    """« etat » → « État », « collectivite » → the collectivité, a declared party by its name, anything else as written."""
    who = key or partie
    if who == "collectivite":
        return desig.Sujet if not desig.proper else desig.sujet
    if named and who in named:
        party = named[who]
        return party.Sujet if not party.proper else party.sujet
    if who in PARTY_FUNDERS:
        return PARTY_FUNDERS[who]
    text = french.typography(french.clean_text(who))
    return text[:1].upper() + text[1:]


def funding_rows(selected, debut: int, fin: int, desig, named=None) -> tuple[FundingRow, ...]:
    """The rows of every amount of the kept clauses, in article order (``named``: other parties by key)."""
    rows = []
    for number, sel in selected:
        header = sel.clause.header
        params = sel.clause.params
        title = french.typography(french.clean_text(sel.title) if sel.title else header.titre)  # the profile may retitle an article
        year = next(
            (str(sel.values[n]) for n, p in params.items() if p.type == "annee" and sel.values.get(n) is not None),
            f"{debut}-{fin}",
        )
        for name, param in params.items():
            value = sel.values.get(name)
            if param.type != "montant" or value is None:
                continue
            if not isinstance(value, Financement):
                rows.append(FundingRow(number, title, funder_label(param.financeur, header.partie, desig, named), year, int(value)))
                continue
            for tranche in value.tranches:
                start = debut if tranche.debut is None else tranche.debut
                end = fin if tranche.fin is None else tranche.fin
                who = funder_label(tranche.financeur or param.financeur, header.partie, desig, named)
                share = str(Pourcentage(tranche.part)) if tranche.part is not None else ""
                years = str(start) if start == end else f"{start}-{end}"
                if tranche.annuel:
                    total = tranche.montant * (end - start + 1)
                    rows.append(FundingRow(number, title, who, years, total, tranche.montant, share))
                else:
                    rows.append(FundingRow(number, title, who, years, tranche.montant, part=share))
    return tuple(rows)


def _years(row: FundingRow) -> str:
    if row.annuel is None:
        return row.annee
    first, _, last = row.annee.partition("-")
    count = int(last or first) - int(first) + 1
    return f"{row.annee} ({count} an{'s' if count > 1 else ''})"


def funding_table(funding: tuple[FundingRow, ...]) -> Table:
    rows = tuple(
        (
            french.numero(r.article),
            r.engagement,
            f"{r.partie} ({r.part})" if r.part else r.partie,
            _years(r),
            french.montant(r.annuel) if r.annuel is not None else "",
            french.montant(r.montant),
        )
        for r in funding
    )
    totals = []
    funders = list(dict.fromkeys(r.partie for r in funding))
    for funder in funders:
        totals.append(("", "Total", funder, "", "", french.montant(sum(r.montant for r in funding if r.partie == funder))))
    if funding:
        totals.append(("", "Total général", "", "", "", french.montant(sum(r.montant for r in funding))))
    return Table(HEADER, rows, tuple(totals))
