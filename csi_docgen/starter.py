"""A starter profile for ``csi-docgen init``: every socle measure, ready to fill."""

from __future__ import annotations

from .clauses import Library

_HEAD = """\
# Profil du contrat de sécurité intégrée de {ville}.
# Complétez chaque « À compléter », puis vérifiez : csi-docgen valider {fichier}
# Format : voir examples/README.md ; clauses : csi-docgen clauses, csi-docgen clause ID
collectivite:
  nom: "{ville}"
  type: {kind}
periode:
  debut: {debut}
  fin: {fin}
signature:
  lieu: "{ville}"
  # date: AAAA-MM-JJ
  exemplaires: 2
signataires:
  - partie: etat
    qualite: Le préfet (À compléter)
    nom: À compléter
  - partie: collectivite
    qualite: Le maire de {ville}
    nom: À compléter
visas:
  - Vu le code de la sécurité intérieure, notamment ses articles L. 132-1 et L. 132-4 ;
  - Vu la circulaire du Premier ministre n° 6258/SG du 16 avril 2021 relative à la mise en œuvre des contrats de sécurité intégrée ;
preambule: |
  À compléter : le diagnostic partagé de la délinquance et des moyens engagés.
volets:
"""


def starter_profile(library: Library, ville: str, kind: str = "commune", debut: int = 2026, fin: int = 2032) -> str:
    from .build import slug

    out = [_HEAD.format(ville=ville.replace('"', "'"), kind=kind, debut=debut, fin=fin, fichier=f"{slug(ville)}.yaml")]
    for volet, title in library.volets.items():
        socle = [c for c in library.socle if c.header.volet == volet]
        if not socle:
            continue
        out.append(f"  - volet: {volet}   # {title}\n    clauses:\n")
        for clause in sorted(socle, key=lambda c: (list(library.parties).index(c.header.partie), c.header.source.rang or 0)):
            out.append(f"      - {clause.id}   # {clause.header.titre}\n")
    out.append(
        "# Une mesure du socle que le contrat n'adopte pas s'écarte avec un motif :\n"
        "# socle_ecarte:\n#   - id: IDENTIFIANT\n#     motif: raison de l'écart\n"
    )
    return "".join(out)
