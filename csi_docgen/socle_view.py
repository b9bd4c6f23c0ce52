"""The socle matrix as a drafting aid: plain text and CSV (``csi-docgen socle``).

The matrix says, for each of the 24 socle measures of the circulaire, how the
contract takes it into account. It is not part of the signed copy unless the
profile asks for it as an annex (``annexes: generees: [socle]``).
"""

from __future__ import annotations

import csv
import io

from .assembly import socle_intro
from .model import Contract

COLUMNS = ("mesure", "intitule", "partie", "prise_en_compte", "article", "division", "texte_ou_motif")


def socle_records(contract: Contract) -> list[dict]:
    return [
        {
            "mesure": row.clause_id,
            "intitule": row.mesure,
            "partie": row.partie,
            "prise_en_compte": row.decision,
            "article": str(row.article) if row.article else "",
            "division": row.volet,
            "texte_ou_motif": row.motif,
        }
        for row in contract.socle
    ]


def socle_csv(contract: Contract) -> str:
    """CSV text, semicolon-separated as French spreadsheets expect."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(socle_records(contract))
    return buffer.getvalue()


def socle_text(contract: Contract) -> str:
    """One line per measure, grouped by how the contract takes it into account."""
    out = [socle_intro(contract.socle), ""]
    width = max((len(r.decision) for r in contract.socle), default=0)
    for row in contract.socle:
        where = f"article {row.article}" + (f", {row.volet}" if row.volet else "") if row.article else ""
        detail = " ; ".join(part for part in (where, row.motif) if part)
        line = f"{row.decision.ljust(width)}  {row.clause_id} — {row.mesure} ({row.partie})"
        out.append(line + (f"\n{' ' * (width + 2)}{detail}" if detail else ""))
    return "\n".join(out) + "\n"
