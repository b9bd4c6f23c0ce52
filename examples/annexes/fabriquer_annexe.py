"""Write examples/annexes/convention-coordination-pm-pn.docx, an example external annex.

Run from anywhere: ``python examples/annexes/fabriquer_annexe.py [OUTPUT]``; the output
is byte-for-byte reproducible.

It is a *skeleton* of the « convention de coordination » between a police
municipale and the State's security forces (article L. 512-4 du code de la
sécurité intérieure), written for the examples: no figure, no name, every
blank says « à compléter ». It is made the way a partner's document would
be — its own styles, on purpose unlike the reference template (a serif
« Times New Roman » body against the template's Arial), a numbered list with
real ``w:numPr`` numbering, a table — so that merging it shows that an
external annex keeps its own look.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.oxml.parser import parse_xml  # noqa: E402
from docx.shared import Cm, Pt, RGBColor  # noqa: E402

from csi_docgen.docx.ooxml import NS_DECL  # noqa: E402
from csi_docgen.docx.properties import write_core  # noqa: E402
from csi_docgen.docx.reproducible import normalize_package  # noqa: E402
from csi_docgen.docx.template import STYLES_WITH_EFFECTS  # noqa: E402

OUTPUT = ROOT / "examples" / "annexes" / "convention-coordination-pm-pn.docx"
FONT = "Times New Roman"  # LibreOffice lays it out with Liberation Serif
NBSP = "\u00a0"
TODO = "[à compléter]"

ARTICLES = [
    (
        "Article 1er — Objet",
        [
            "La présente convention précise la nature et les lieux des interventions des agents de police "
            "municipale et détermine les modalités selon lesquelles ces interventions sont coordonnées avec "
            "celles des forces de sécurité de l’État (police nationale ou gendarmerie nationale).",
        ],
    ),
    (
        "Article 2 — Nature et lieux des interventions",
        [
            f"Les parties décrivent ci-dessous, pour chaque domaine, les interventions de la police municipale{NBSP}:",
        ],
    ),
]

MISSIONS = [
    "la surveillance des établissements scolaires, aux heures d’entrée et de sortie des élèves",
    "la surveillance des marchés, des fêtes, des cérémonies et des manifestations sur la voie publique",
    "la sécurité routière et la police de la circulation et du stationnement",
    "la surveillance des bâtiments et des espaces publics communaux",
]

TABLE_HEADER = ("Domaine", "Police municipale", "Forces de sécurité de l’État", "Coordination")
TABLE_ROWS = [
    ("Établissements scolaires", TODO, TODO, TODO),
    ("Manifestations et événements", TODO, TODO, TODO),
    ("Sécurité routière", TODO, TODO, TODO),
    ("Espaces publics", TODO, TODO, TODO),
]


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.space_after = Pt(6)
    rfonts = normal.element.rPr.rFonts
    for attr in ("w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = True
        rfonts = style.element.rPr.rFonts
        for attr in list(rfonts.attrib):
            if attr.endswith("Theme") or attr.endswith("theme"):
                del rfonts.attrib[attr]
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _numbering(document) -> int:
    """A decimal list « 1) 2) 3) » of the annex's own, used through w:numPr."""
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {NS_DECL} w:abstractNumId="20"><w:nsid w:val="5C0A0001"/>'
            '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(parse_xml(f'<w:num {NS_DECL} w:numId="20"><w:abstractNumId w:val="20"/></w:num>'))
    return 20


def _numbered(document, text: str, num_id: int) -> None:
    paragraph = document.add_paragraph(text, style="List Paragraph")
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {NS_DECL}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def build() -> bytes:
    document = docx.Document()
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in (STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            del part.rels[rid]
    for rid, rel in list(part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del part.package.rels[rid]
    _styles(document)
    num_id = _numbering(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)

    document.add_paragraph(
        "Convention de coordination entre la police municipale et les forces de sécurité de l’État",
        style="Title",
    )
    note = document.add_paragraph()
    note.add_run(
        "Modèle à compléter, établi pour les exemples de csi-docgen. Il ne contient ni chiffre ni nom : "
        "les parties le complètent et l’adaptent avant de le signer."
    ).italic = True

    document.add_paragraph(
        "Vu le code de la sécurité intérieure, notamment son article L. 512-4" + NBSP + ";"
    )
    document.add_paragraph(
        "En application de l’article L. 512-4 du code de la sécurité intérieure, la convention de coordination "
        "est conclue entre le maire, le représentant de l’État dans le département et le procureur de la "
        "République territorialement compétent, ainsi que, le cas échéant, le président de l’établissement "
        "public de coopération intercommunale. Elle est obligatoire lorsque le service de police municipale "
        "compte au moins trois emplois d’agent de police municipale."
    )
    for title, paragraphs in ARTICLES:
        document.add_paragraph(title, style="Heading 2")
        for text in paragraphs:
            document.add_paragraph(text)
    for mission in MISSIONS:
        _numbered(document, f"{mission}{NBSP}: {TODO}{NBSP};", num_id)

    document.add_paragraph("Article 3 — Répartition des missions", style="Heading 2")
    document.add_paragraph(f"Le tableau suivant récapitule la répartition retenue par les parties{NBSP}:")
    table = document.add_table(rows=1 + len(TABLE_ROWS), cols=len(TABLE_HEADER))
    table.style = document.styles["Table Grid"]
    for row, values in zip(table.rows, [TABLE_HEADER, *TABLE_ROWS]):
        for cell, value in zip(row.cells, values):
            cell.text = value
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True

    document.add_paragraph("Article 4 — Échange d’informations", style="Heading 2")
    document.add_paragraph(
        "Les responsables de la police municipale et des forces de sécurité de l’État se réunissent "
        f"périodiquement, selon une fréquence fixée par les parties{NBSP}: {TODO}. Ils échangent les "
        "informations utiles à la tranquillité publique, dans le respect des règles de chacune des parties."
    )
    document.add_paragraph("Article 5 — Durée et évaluation", style="Heading 2")
    document.add_paragraph(
        f"La convention est conclue pour une durée de {TODO}. Elle fait l’objet d’une évaluation "
        "régulière par les signataires, qui peuvent la modifier par avenant."
    )

    write_core(
        document,
        title="Convention de coordination PM / forces de sécurité de l’État (modèle)",
        description="Exemple d’annexe externe : modèle à compléter.",
        when=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
    )

    out = io.BytesIO()
    document.save(out)
    return normalize_package(out.getvalue())


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"écrit : {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
