"""Write examples/annexes/convention-coordination-pm-pn.docx, the external annex of the Clermont-Ferrand example.

Run from anywhere: ``python examples/annexes/fabriquer_annexe.py [OUTPUT]``; the output
is byte-for-byte reproducible.

It is the « convention de coordination » between the police municipale of
Clermont-Ferrand and the police nationale (article L. 512-4 du code de la
sécurité intérieure), filled with what the seed documents say of it: mixed
foot and bicycle patrols, joint road-safety operations, coordination
meetings of the two staffs, joint action at large events such as football
matches (seed 003), a municipal police present notably in the evening (seed
000). What the seeds do not give (its date, the names of its signatories)
is left blank for the parties, as on a copy to be signed. It is made the way
a partner's document would be — its own styles, on purpose unlike the
reference template (a serif « Times New Roman » body against the template's
Arial), a numbered list with real ``w:numPr`` numbering, a table — so that
merging it shows that an external annex keeps its own look. Its article
headings are bold paragraphs of its own style, not outline headings: the
contract's table of contents lists the annex, not the annex's articles.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
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
BLANK = "." * 20  # left for the signing

MISSIONS = [
    "les patrouilles pédestres et à vélo tout terrain (VTT), menées en équipages mixtes de policiers "
    "municipaux et de policiers nationaux",
    "les opérations de sécurité routière, conduites conjointement",
    "les grands événements, tels que les matchs de football, qui donnent lieu à des actions communes",
    "la présence sur la voie publique, que la police municipale renforce notamment en soirée",
]

TABLE_HEADER = ("Domaine", "Police municipale", "Police nationale", "Coordination")
TABLE_ROWS = [
    ("Voie publique", "Patrouilles pédestres et VTT, présence renforcée notamment en soirée",
     "Patrouilles pédestres et VTT", "Patrouilles mixtes"),
    ("Sécurité routière", "Opérations de sécurité routière", "Opérations de sécurité routière", "Opérations conjointes"),
    ("Grands événements (matchs de football)", "Actions communes", "Actions communes", "Préparation commune"),
    ("Pilotage", "État-major de la police municipale", "État-major de la police nationale",
     "Réunions de coordination des états-majors"),
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
    article = styles.add_style("Titre d'article", WD_STYLE_TYPE.PARAGRAPH)
    article.base_style = normal
    article.font.bold = True
    article.paragraph_format.space_before = Pt(12)
    article.paragraph_format.keep_with_next = True
    for name, size in (("Title", 20),):
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
        "Convention de coordination entre la police municipale de Clermont-Ferrand et la police nationale",
        style="Title",
    )
    document.add_paragraph(
        "Entre le préfet du Puy-de-Dôme, le procureur de la République près le tribunal judiciaire de "
        "Clermont-Ferrand et le maire de Clermont-Ferrand,"
    )
    document.add_paragraph("Vu le code de la sécurité intérieure, notamment son article L. 512-4" + NBSP + ";")
    document.add_paragraph(
        "Vu le décret n° 2012-2 du 2 janvier 2012 relatif aux conventions types de coordination en matière "
        "de police municipale" + NBSP + ";"
    )
    document.add_paragraph(
        "En application de l’article L. 512-4 du code de la sécurité intérieure, la convention de coordination "
        "est conclue entre le maire, le représentant de l’État dans le département et le procureur de la "
        "République territorialement compétent. Elle est obligatoire lorsque le service de police municipale "
        "compte au moins trois emplois d’agent de police municipale."
    )
    document.add_paragraph("Il est convenu ce qui suit" + NBSP + ":")

    def article(title: str, *paragraphs: str) -> None:
        document.add_paragraph(title, style="Titre d'article")
        for text in paragraphs:
            document.add_paragraph(text)

    article(
        "Article 1er — Objet",
        "La présente convention précise la nature et les lieux des interventions des agents de la police "
        "municipale de Clermont-Ferrand et détermine les modalités selon lesquelles ces interventions sont "
        "coordonnées avec celles de la police nationale, afin d’assurer la continuité de la sécurité sur le "
        "territoire de la commune.",
    )
    article(
        "Article 2 — Nature et lieux des interventions",
        f"Les interventions de la police municipale et leur coordination avec la police nationale portent sur{NBSP}:",
    )
    for index, mission in enumerate(MISSIONS):
        _numbered(document, mission + (NBSP + ";" if index < len(MISSIONS) - 1 else "."), num_id)

    article(
        "Article 3 — Répartition des missions",
        f"Le tableau suivant récapitule la répartition retenue par les parties{NBSP}:",
    )
    table = document.add_table(rows=1 + len(TABLE_ROWS), cols=len(TABLE_HEADER))
    table.style = document.styles["Table Grid"]
    for row, values in zip(table.rows, [TABLE_HEADER, *TABLE_ROWS]):
        for cell, value in zip(row.cells, values):
            cell.text = value
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True

    article(
        "Article 4 — Coordination et échange d’informations",
        "Les états-majors de la police municipale et de la police nationale tiennent des réunions de "
        "coordination régulières. Ils y préparent les opérations conjointes et les grands événements et "
        "échangent les informations utiles à la tranquillité publique, dans le respect des règles propres à "
        "chacune des parties.",
    )
    article(
        "Article 5 — Durée et évaluation",
        "La présente convention prend effet à la date de sa signature. Elle fait l’objet d’une évaluation "
        "régulière par les signataires, qui peuvent la modifier ou la prolonger par avenant.",
    )
    document.add_paragraph(f"Fait à Clermont-Ferrand, le {BLANK}")
    for qualite in (
        "Le préfet du Puy-de-Dôme",
        "Le procureur de la République près le tribunal judiciaire de Clermont-Ferrand",
        "Le maire de Clermont-Ferrand",
    ):
        signature = document.add_paragraph()
        signature.paragraph_format.space_before = Pt(18)
        signature.add_run(qualite).bold = True

    write_core(
        document,
        title="Convention de coordination entre la police municipale de Clermont-Ferrand et la police nationale",
        description="Convention de coordination prévue à l’article L. 512-4 du code de la sécurité intérieure.",
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
