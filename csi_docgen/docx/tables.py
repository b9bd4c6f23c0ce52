"""Tables: the annexes' data tables, and the layout tables of the signature page.

Widths are explicit (``w:tblLayout w:type="fixed"``, ``w:gridCol`` and every
``w:tcW``): Word and LibreOffice then agree on the layout, and LibreOffice
does not fall back to equal columns. Column widths follow the amount of text
each column holds. The header row repeats on every page (``w:tblHeader``)
and no row splits across pages (``w:cantSplit``).
"""

from __future__ import annotations

import re

from typing import Sequence

from .ooxml import paragraph, run
from .tablelook import TableLook

CHAR = 100  # rough width of a character of the table styles (9 pt), in twips
PADDING = 2 * 85 + 60  # cell margins of « Tableau CSI » and some slack
LONGEST_WORD = 16  # longer words may break
_BREAKS = re.compile(r"[ \t\r\n]+")
NIL_BORDERS = (
    "<w:tblBorders>"
    + "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders>"
)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total: int) -> list[int]:
    """Share ``total`` twips among the columns.

    Each column first gets room for its longest word (so « Périodicité »
    never breaks), then the width left is shared by the length of the
    column's longer cells (80th percentile), without taking any column
    under its minimum.
    """
    count = len(header)
    minimum, weight = [], []
    for col in range(count):
        cells = [str(r[col]) for r in rows if col < len(r)]
        distinct = {header[col], *cells}  # a column repeats itself (units, sources…)
        # Words are cut at breakable spaces only: « 250 000 € » (no-break spaces) is one word.
        longest_word = max((max(map(len, _BREAKS.split(text)), default=0) for text in distinct), default=0) or 1
        minimum.append(min(longest_word, LONGEST_WORD) * CHAR + PADDING)
        lengths = sorted(map(len, cells))
        typical = lengths[(len(lengths) * 4) // 5] if lengths else 0  # 80th percentile: long cells matter
        weight.append(max(typical, len(header[col]), 1))
    if sum(minimum) >= total:
        widths = [total * m / sum(minimum) for m in minimum]
    else:
        # Water-filling: columns whose share would fall under their minimum get the minimum.
        fixed: dict[int, float] = {}
        while True:
            free = [i for i in range(count) if i not in fixed]
            room = total - sum(fixed.values())
            share = {i: room * weight[i] / sum(weight[j] for j in free) for i in free}
            short = [i for i in free if share[i] < minimum[i]]
            if not short:
                break
            for i in short:
                fixed[i] = minimum[i]
        widths = [fixed.get(i, share.get(i, 0)) for i in range(count)]
    widths = [int(x) for x in widths]
    widths[-1] += total - sum(widths)
    return widths


def _cell(width: int, content: str, tc_pr_extra: str = "", span: int = 1) -> str:
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}{tc_pr_extra}</w:tcPr>{content}</w:tc>'


def _tbl_pr(style_id: str | None, width: int, extra: str = "", first_row: bool = True, margins: str = "") -> str:
    style = f'<w:tblStyle w:val="{style_id}"/>' if style_id else ""
    look = (
        f'<w:tblLook w:val="{"04A0" if first_row else "0400"}" w:firstRow="{int(first_row)}" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
    )
    return f'<w:tblPr>{style}<w:tblW w:w="{width}" w:type="dxa"/>{extra}<w:tblLayout w:type="fixed"/>{margins}{look}</w:tblPr>'


def _grid(widths: Sequence[int]) -> str:
    return "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{x}"/>' for x in widths) + "</w:tblGrid>"


def data_table(table, styles: dict[str, str], table_style: str | None, width: int, look: TableLook | None = None) -> str:
    """An annex table: header row repeated on each page, total rows in bold.

    With ``look`` (the template's table style as direct formatting, see
    :mod:`.tablelook`) the table names no style and carries that look itself.
    """
    return _data_table(table, styles["cell"], styles["cell_header"], None if look else table_style, width, look)


def _data_table(table, cell_style: str, head_style: str, table_style: str | None, width: int, look: TableLook | None) -> str:
    header = tuple(table.header)
    widths = column_widths(header, [*table.rows, *table.total_rows], width)
    # An annex table can hold thousands of cells: each column's cell opening is written once.
    openings = [f'<w:tc><w:tcPr><w:tcW w:w="{x}" w:type="dxa"/></w:tcPr>' for x in widths]
    body_p = f'<w:p><w:pPr><w:pStyle w:val="{cell_style}"/></w:pPr>'
    out = ['<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>']
    if look:
        out += [
            _cell(x, paragraph(head_style, _header_run(text, look.header_r_pr)), look.header_tc_pr)
            for x, text in zip(widths, header)
        ]
    else:
        out += [_cell(x, paragraph(head_style, run(text))) for x, text in zip(widths, header)]
    out.append("</w:tr>")
    count = len(widths)
    for rows, bold in ((table.rows, False), (table.total_rows, True)):
        # One cell cache per column: units, periodicities, sources… repeat down a column.
        columns = [_Cells(opening, body_p, bold) for opening in openings]
        for values in rows:
            if len(values) < count:
                values = (*values, *[""] * (count - len(values)))
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join([c[v] for c, v in zip(columns, values)]) + "</w:tr>")
    tbl_pr = _tbl_pr(table_style, width, look.tbl_pr if look else "", margins=look.cell_margins if look else "")
    return f"<w:tbl>{tbl_pr}{_grid(widths)}{''.join(out)}</w:tbl>"


def _header_run(text: str, r_pr: str) -> str:
    """A header cell's run with the run properties of the style's first row."""
    plain = run(text)
    if not r_pr or not plain:
        return plain
    return plain.replace("<w:r>", f"<w:r><w:rPr>{r_pr}</w:rPr>", 1)


class _Cells(dict):
    """The XML of a column's cells by text, made on first use."""

    def __init__(self, opening: str, body_p: str, bold: bool):
        super().__init__()
        self.opening, self.body_p, self.bold = opening, body_p, bold

    def __missing__(self, text: str) -> str:
        xml = self[text] = f"{self.opening}{self.body_p}{run(text, bold=self.bold)}</w:p></w:tc>"
        return xml


def layout_table(
    rows: Sequence[Sequence[tuple[str, int, str]]],
    widths: Sequence[int],
    *,
    style_id: str | None = None,
    borders: bool = False,
    row_pr: str = "",
) -> str:
    """A centred layout grid whose rows never split.

    ``rows`` holds cells as (content XML, column span, extra ``w:tcPr`` XML).
    Without ``borders`` the table is borderless whatever the template's
    default table style says.
    """
    extra = '<w:jc w:val="center"/>' + ("" if borders else NIL_BORDERS)
    out = [f"<w:tbl>{_tbl_pr(style_id, sum(widths), extra, first_row=False)}{_grid(widths)}"]
    for cells in rows:
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{row_pr}</w:trPr>")
        col = 0
        for content, span, tc_extra in cells:
            out.append(_cell(sum(widths[col : col + span]), content or "<w:p/>", tc_extra, span))
            col += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
