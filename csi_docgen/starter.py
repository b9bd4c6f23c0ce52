"""A starter profile for ``csi-docgen init``: every socle measure, ready to fill."""

from __future__ import annotations

import json

from . import french
from .clauses import Library

_HEAD = """\
# Profil du contrat de sécurité intégrée de {ville_comment}.
# Complétez chaque « À compléter », puis vérifiez : csi-docgen valider {fichier}
# Les clés : csi-docgen schema profil (pour l'éditeur) ; deux profils complets :
# csi-docgen exporter DOSSIER ; les clauses : csi-docgen clauses, csi-docgen clause ID
collectivite:
  nom: {ville}
  type: {kind}
periode:
  debut: {debut}
  fin: {fin}
signature:
  lieu: {lieu}
  # date: AAAA-MM-JJ
  exemplaires: 2
signataires:
  - partie: etat
    qualite: Le préfet (À compléter)
    nom: À compléter
  - partie: collectivite
{qualite_comment}    qualite: {qualite}
    nom: À compléter
visas:
  - Vu le code de la sécurité intérieure, notamment ses articles L. 132-1 et L. 132-4 ;
  - Vu la circulaire du Premier ministre n° 6258/SG du 16 avril 2021 relative à la mise en œuvre des contrats de sécurité intégrée ;
preambule: |
  À compléter : le diagnostic partagé de la délinquance et des moyens engagés.
volets:
"""


def _yaml_text(text: str) -> str:
    """A YAML double-quoted scalar: « Ville: Test » or « Saint-Denis #974 » stay whole (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _named_by_kind(ville: str, kind: str) -> bool:
    """« Communauté de communes du Pays de Vierzon » already says what it is (and is no place name)."""
    noun = french.KIND_GRAMMAR[kind][0]
    return kind not in ("commune", "ville") and french.apostrophes(ville).lower().startswith(noun.lower() + " ")


def executive(ville: str, kind: str) -> str:
    """« Le maire de Niort », « Le maire d’Orléans », « Le président de la métropole de Saint-Étienne »."""
    desig = french.designation(ville, kind)
    noun = french.KIND_GRAMMAR[kind][0]
    if desig.Executif.endswith(noun) and _named_by_kind(ville, kind):
        return desig.Executif[: -len(noun)] + ville
    de = "d’" if french._VOWEL.match(ville) else "de "  # noqa: SLF001 - the same elision rule as the contract's
    return f"{desig.Executif} {de}{ville}"


def starter_profile(
    library: Library, ville: str, kind: str = "commune", debut: int | None = None, fin: int | None = None, fichier: str | None = None
) -> str:
    """The text of a starter profile; ``fichier`` is the path the user will give to ``valider``."""
    from .api import slug
    from .profile import current_mandate

    start, end = current_mandate()  # the rest of the mandate in progress
    debut, fin = debut or start, fin or end
    one_line = " ".join(ville.split())
    intercommunal = kind not in ("commune", "ville")
    out = [
        _HEAD.format(
            ville_comment=one_line,
            ville=_yaml_text(ville),
            # « Fait à Communauté de communes… » would not do: the place is the drafter's to give.
            lieu="À compléter   # la commune où le contrat est signé" if _named_by_kind(ville, kind) else _yaml_text(ville),
            kind=kind,
            debut=debut,
            fin=fin,
            fichier=fichier or f"{slug(ville)}.yaml",
            qualite=_yaml_text(executive(ville, kind)),
            qualite_comment="    # vérifiez la qualité exacte (nom officiel de l'établissement)\n" if intercommunal else "",
        )
    ]
    for volet, title in library.volets.items():
        socle = [c for c in library.socle if c.header.volet == volet]
        if not socle:
            continue
        out.append(f"  - volet: {volet}   # {title}\n    clauses:\n")
        for clause in sorted(socle, key=lambda c: (list(library.parties).index(c.header.partie), c.header.source.rang or 0)):
            # A required choice's default is written for a commune (« clspd »): an intercommunality makes its own.
            choices = {
                n: p for n, p in clause.params.items() if p.type == "choix" and not p.facultatif and (p.defaut is None or intercommunal)
            }
            if not choices:
                out.append(f"      - {clause.id}   # {clause.header.titre}\n")
                continue
            # The profile says whether the structure exists: nothing is chosen for the drafter.
            out.append(f"      - id: {clause.id}   # {clause.header.titre}\n        parametres:\n")
            for name, param in choices.items():
                out.append(f"          {name}: À compléter   # {' ou '.join(param.valeurs)}\n")
    out.append(
        "# Une mesure du socle que le contrat n'adopte pas se retire de son volet et reçoit un statut :\n"
        "# socle:\n"
        "#   IDENTIFIANT: {statut: non-retenue, motif: raison de l'écart}   # ou sans-objet (motif), deja-en-oeuvre (texte)\n"
    )
    return "".join(out)
