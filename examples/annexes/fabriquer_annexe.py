"""Write examples/annexes/convention-coordination-pm-pn.docx, the external annex of the Clermont-Ferrand example.

Run from anywhere: ``python examples/annexes/fabriquer_annexe.py [OUTPUT]``; the output
is byte-for-byte reproducible.

It is the « convention de coordination » between the police municipale of
Clermont-Ferrand and the police nationale (article L. 512-4 du code de la
sécurité intérieure) as the example takes it: in force when the contract
was signed on 22 July 2021 (the December 2022 article on Clermont-Ferrand
says it was prolonged then, so it existed before; its first date is not
known). Every fact in it holds before the contract's date and comes from the
July 2021 press release of the préfecture: the close partnership of the
State and the city in public order, the police nationale's centre de
loisirs jeunesse. What the contract itself undertakes that day (a municipal
police more present notably in the evening, the concerted deployment of
vidéoprotection) is the contract's, not an earlier convention's: left out. What
the December 2022 article reports of the partnership as it stood then
(mixed patrols, joint operations, staff meetings, large events) is not
used: nothing dates it back to 2021. What the sources do not give (the
convention's date and term, places, hours, names of signatories…) is left
as « … » for the parties to complete. The document names no tool, not even
in its properties. It is made the way a partner's document would be — its
own styles, on purpose unlike the reference template (a serif « Times New
Roman » body against the template's Arial), a numbered list with real
``w:numPr`` numbering, a table whose header row repeats and never stays
alone at the foot of a page — so that merging it shows that an external
annex keeps its own look. Its article headings are bold paragraphs of its
own style, not outline headings: the contract's table of contents lists the
annex, not the annex's articles.
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
from csi_docgen.docx.properties import CORE_NS, write_core  # noqa: E402
from csi_docgen.docx.reproducible import normalize_package  # noqa: E402
from csi_docgen.docx.template import STYLES_WITH_EFFECTS  # noqa: E402

OUTPUT = ROOT / "examples" / "annexes" / "convention-coordination-pm-pn.docx"
DC_NS = "http://purl.org/dc/elements/1.1/"
FONT = "Times New Roman"  # LibreOffice lays it out with Liberation Serif
NBSP = "\u00a0"
BLANK = f"«{NBSP}…{NBSP}»"  # what the sources do not give, left for the parties to complete

MISSIONS = [
    "la présence sur la voie publique",
    f"la surveillance des lieux suivants{NBSP}: {BLANK}",
    f"les horaires d’intervention suivants{NBSP}: {BLANK}",
    f"les missions conduites en commun avec la police nationale{NBSP}: {BLANK}",
]

TABLE_HEADER = ("Domaine", "Police municipale", "Police nationale", "Coordination")
TABLE_ROWS = [
    ("Voie publique", BLANK, BLANK, BLANK),
    ("Vidéoprotection", BLANK, BLANK, BLANK),
    ("Lien avec la population", BLANK, "Centre de loisirs jeunesse de la police nationale", BLANK),
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


def _table(document, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """The table of article 3: a bold header row that repeats on each page and stays with the first row.

    No row splits across pages (``w:cantSplit``); the header row is marked
    ``w:tblHeader`` and its paragraphs keep with the next one, so LibreOffice
    and Word never leave it alone at the foot of a page.
    """
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles["Table Grid"]
    for index, (row, values) in enumerate(zip(table.rows, [header, *rows])):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(parse_xml(f"<w:cantSplit {NS_DECL}/>"))
        if index == 0:
            tr_pr.append(parse_xml(f"<w:tblHeader {NS_DECL}/>"))
        for cell, value in zip(row.cells, values):
            cell.text = value
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.space_after = Pt(0)
            if index == 0:
                paragraph.paragraph_format.keep_with_next = True
                for run in paragraph.runs:
                    run.bold = True


def _anonymous(document, core_name: str) -> None:
    """A partner's document: no author or last editor in its core properties."""
    core = document.part.package.part_related_by(RT.CORE_PROPERTIES)
    assert core.partname.membername == core_name
    for tag in (f"{{{DC_NS}}}creator", f"{{{CORE_NS}}}lastModifiedBy"):
        for element in core._element.iter(tag):  # noqa: SLF001
            element.text = None


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
        "Vu le décret n°" + NBSP + "2012-2 du 2 janvier 2012 relatif aux conventions types de coordination en matière "
        "de police municipale" + NBSP + ";"
    )
    document.add_paragraph(
        "En application de l’article L. 512-4 du code de la sécurité intérieure, la convention de coordination "
        "est conclue entre le maire, le représentant de l’État dans le département et le procureur de la "
        "République territorialement compétent. Elle est obligatoire lorsque le service de police municipale "
        "compte au moins trois emplois d’agent de police municipale."
    )
    document.add_paragraph(
        "Considérant l’étroit partenariat qui lie l’État et la ville de Clermont-Ferrand en matière d’ordre et "
        "de tranquillité publics" + NBSP + ";"
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
        "coordonnées avec celles de la police nationale, afin de concourir à la tranquillité publique sur le "
        "territoire de la commune.",
    )
    article(
        "Article 2 — Nature et lieux des interventions",
        f"Les interventions de la police municipale et leur coordination avec la police nationale portent sur{NBSP}:",
    )
    for index, mission in enumerate(MISSIONS):
        _numbered(document, mission + (NBSP + ";" if index < len(MISSIONS) - 1 else "."), num_id)

    article("Article 3 — Répartition des missions")
    intro = document.add_paragraph(
        f"Le tableau suivant récapitule la répartition retenue par les parties{NBSP}; les cases marquées {BLANK} "
        f"sont complétées par elles{NBSP}:"
    )
    intro.paragraph_format.keep_with_next = True
    _table(document, TABLE_HEADER, TABLE_ROWS)

    article(
        "Article 4 — Coordination et échange d’informations",
        "Les responsables de la police municipale et de la police nationale se réunissent selon une "
        f"périodicité de {BLANK} pour coordonner leurs interventions. Ils y échangent les informations utiles à "
        "la tranquillité publique, dans le respect des règles propres à chacune des parties.",
    )
    article(
        "Article 5 — Durée et évaluation",
        f"La présente convention prend effet le {BLANK} pour une durée de {BLANK}. Elle fait l’objet d’une "
        "évaluation régulière par les signataires, qui peuvent la modifier par avenant.",
    )
    document.add_paragraph(f"Fait à {BLANK}, le {BLANK}")
    for qualite in (
        "Le préfet du Puy-de-Dôme",
        "Le procureur de la République près le tribunal judiciaire de Clermont-Ferrand",
        "Le maire de Clermont-Ferrand",
    ):
        signature = document.add_paragraph()
        signature.paragraph_format.space_before = Pt(18)
        signature.paragraph_format.keep_with_next = True
        signature.add_run(qualite).bold = True
        document.add_paragraph(BLANK)

    core = write_core(
        document,
        title="Convention de coordination entre la police municipale de Clermont-Ferrand et la police nationale",
        description="Convention de coordination prévue à l’article L. 512-4 du code de la sécurité intérieure.",
        when=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
    )
    _anonymous(document, core)

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
