"""A readable report of one library clause, for ``csi-docgen clause ID``."""

from __future__ import annotations

from . import french, render
from .assembly import ContractInfo
from .clauses import Library
from .text import blocks_text
from .values import sample_value


# How each parameter type reads in French (the keys themselves are ASCII, like every key).
_TYPES = {"annee": "année", "booleen": "oui ou non", "entier": "nombre entier"}


def _shown(value, kind: str) -> str:
    if kind == "booleen":
        from .schema import _french_bool

        value = _french_bool(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "aucun"
    return str(value)


def clause_report(library: Library, clause_id: str) -> str:
    clause = library[clause_id]
    h = clause.header
    lines = [
        f"{h.id} — {h.titre}",
        f"  fichier : {library.root.parent / clause.path}",  # where it really is (site-packages for a wheel)
        f"  volet : {h.volet} ({library.volets.get(h.volet, '?')})",
        f"  partie : {h.partie}",
        f"  socle : {'oui' if h.socle else 'non'}",
        f"  source : {library.sources.get(h.source.document, h.source.document).split(',')[0]} — {h.source.reference}"
        + (f" (mesure {h.source.rang})" if h.source.rang else ""),
        f"  version : {h.version}",
        "",
        "Paramètres :" if h.parametres else "Paramètres : aucun",
    ]
    values = {}
    for name, param in h.parametres.items():
        status = "facultatif" if param.facultatif else ("par défaut : " + _shown(param.defaut, param.type) if param.defaut is not None else "obligatoire")
        extra = []
        if param.min is not None or param.max is not None:
            extra.append(f"de {param.min if param.min is not None else '…'} à {param.max if param.max is not None else '…'}")
        if param.unite:
            extra.append(f"unité : {param.unite}")
        if param.valeurs:
            extra.append("valeurs : " + ", ".join(param.valeurs))
        lines.append(f"  - {name} ({_TYPES.get(param.type, param.type)}, {status}{', ' + ', '.join(extra) if extra else ''}) : {param.description}")
        values[name] = sample_value(param)
    lines.append("")
    lines.append("Indicateurs :" if h.indicateurs else "Indicateurs : aucun")
    for ind in h.indicateurs:
        lines.append(f"  - {ind.id} : {ind.libelle} ({ind.unite}, {ind.periodicite}, source : {ind.source})")
    lines.append("")
    lines.append("Texte rendu (valeurs par défaut ou d'exemple, pour une commune nommée « Exemple ») :")
    lines.append("")
    context = {
        "collectivite": french.designation("Exemple", "commune"),
        "contrat": ContractInfo("Contrat de sécurité intégrée", 2021, 2026, "2021-2026", (), 1),
        "article": lambda ref: "N",
        **values,
    }
    blocks = render.render_markdown_template(library.env, clause.template_name, context, clause.path)
    lines.extend(blocks_text(blocks))
    return "\n".join(lines).rstrip()
