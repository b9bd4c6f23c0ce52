"""The signature blocks and the initials (« paraphes ») line.

Signature blocks sit two by two in a borderless table: one cell per
signatory (qualité, room to sign, name), a lone last block centred across
both columns, the blocks of a row aligned on their last line. Rows never
split across pages (``w:cantSplit``) and every block but the last keeps
with the next one, so the blocks stay together with the « Fait à … » line
above them (which keeps with the table).
"""

from __future__ import annotations

from .ooxml import paragraph, run
from .tables import layout_table

INITIALS_LABEL = "Paraphes\u00a0:"
# Blocks sit at the bottom of their cell: names (and signatures) of a row
# line up even when one qualité takes more lines than the other.
_BOTTOM = '<w:vAlign w:val="bottom"/>'
_NO_OUTER_BORDER = (
    '<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/></w:tcBorders>'
    '<w:vAlign w:val="center"/>'
)


def _block(signatory, styles: dict[str, str], keep_next: bool) -> str:
    return paragraph(styles["signature"], run(signatory.qualite), keep_next=True) + paragraph(
        styles["signature_name"], run(signatory.nom), keep_next=keep_next
    )


def signature_table(signatories, styles: dict[str, str], width: int) -> str:
    """One block per signatory, two by two; empty string when nobody signs."""
    people = list(signatories)
    rows = []
    for start in range(0, len(people), 2):
        pair = people[start : start + 2]
        last_row = start + 2 >= len(people)
        cells = [_block(p, styles, keep_next=not last_row) for p in pair]
        if len(cells) == 2:
            rows.append([(cells[0], 1, _BOTTOM), (cells[1], 1, _BOTTOM)])
        else:
            rows.append([(cells[0], 2, _BOTTOM)])
    if not rows:
        return ""
    half = width // 2
    return layout_table(rows, [half, width - half])


def initials_table(count: int, styles: dict[str, str], table_style: str | None, width: int) -> str:
    """« Paraphes : » and one empty box per signatory, for the footer."""
    label = 1500
    box = max(400, min(1020, (width - label) // max(count, 1)))
    row = [(paragraph(styles["footer"], run(INITIALS_LABEL)), 1, _NO_OUTER_BORDER)]
    row += [("", 1, "")] * count
    return layout_table(
        [row],
        [label] + [box] * count,
        style_id=table_style,
        borders=True,
        row_pr='<w:trHeight w:val="510" w:hRule="exact"/>',
    )
