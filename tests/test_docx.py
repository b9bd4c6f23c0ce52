"""The .docx writer, read back as Word would: python-docx, XML facts, the validator, LibreOffice.

Outputs are written under pytest's tmp_path (kept after a failure, see
``pytest --basetemp``) so a failing document can be opened and looked at.
Tests that lay the document out need LibreOffice: they are skipped when
``soffice`` is missing, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from conftest import soffice_or_skip
from openxml_audit import OpenXmlValidator

from csi_docgen.docx import read_custom_properties, read_manifest, write_docx
from csi_docgen.errors import AnnexError, OutputError, ToolMissing
from csi_docgen.contract import Contract  # the model's data with its views as methods
from csi_docgen.model import (
    Annex,
    Article,
    ListBlock,
    ManifestEntry,
    Paragraph,
    PartySection,
    Run,
    Signatory,
    SignaturePage,
    Table,
    Titre,
    Volet,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "reference.docx"
EXTERNAL = ROOT / "examples" / "annexes" / "convention-coordination-pm-pn.docx"
NBSP, NNBSP = "\u00a0", "\u202f"
SPECIAL = "A & B < C > D \" ' 🚓"


# --- a small contract, by hand ------------------------------------------------


def para(*runs: Run | str) -> Paragraph:
    return Paragraph(tuple(Run(r) if isinstance(r, str) else r for r in runs))


def make_contract(*, external: str | None = str(EXTERNAL), toc: bool = True, initials: bool = True) -> Contract:
    objet = Article(1, "Objet du contrat", (para("Le présent contrat lie ", Run("l’État", bold=True), " et la ville."),))
    duree = Article(2, "Durée", (para("Le contrat court jusqu’en 2026.\nIl prend effet à sa signature."),))
    presence = Article(
        3,
        "Présence sur la voie publique",
        (
            para(f"L’État renforce sa présence{NBSP}:"),
            ListBlock(((Run("patrouilles pédestres"),), (Run("patrouilles "), Run("mixtes", italic=True)))),
        ),
        clause_id="etat-securite-presence-voie-publique",
        partie="etat",
        version=2,
    )
    video = Article(
        4,
        "Vidéoprotection",
        (
            para(f"Valeur du profil{NBSP}: {SPECIAL}"),
            ListBlock(((Run("étude des besoins"),), (Run("installation"),), (Run("évaluation"),)), ordered=True),
        ),
        clause_id="collectivite-securite-videoprotection",
        partie="collectivite",
        version=1,
    )
    prevention = Article(
        5,
        "Prévention",
        (ListBlock(((Run("réunir le CLSPD"),), (Run("dresser le bilan"),)), ordered=True),),
        clause_id="etat-prevention-financement-fipd",
        partie="etat",
        version=3,
    )
    volets = (
        Volet(
            "securite",
            1,
            "Sécurité intérieure",
            (
                PartySection("etat", "Engagements de l’État", (presence,)),
                PartySection("collectivite", "Engagements de la ville de Clermont-Ferrand", (video,)),
            ),
        ),
        Volet("prevention", 2, "Prévention de la délinquance", (PartySection("etat", "Engagements de l’État", (prevention,)),)),
    )
    indicators = Table(
        ("Art.", "Engagement", "Indicateur", "Unité", "Référence", "Cible", "Périodicité", "Source"),
        (("3", "Présence sur la voie publique", "Nombre de patrouilles", "nombre", "—", "—", "annuelle", "DDSP"),),
    )
    funding = Table(
        ("Art.", "Engagement", "Financeur", "Année", "Montant"),
        (("4", "Vidéoprotection", "État", "2021", f"250{NNBSP}000{NBSP}€"),),
        (("", "Total général", "", "", f"250{NNBSP}000{NBSP}€"),),
    )
    annexes = [
        Annex(1, "Indicateurs de suivi", "indicateurs", "Indicateurs de suivi de chaque engagement.", indicators),
        Annex(2, "Financements", "financement", "Montants par financeur et par année.", funding),
    ]
    if external:
        annexes.append(Annex(3, "Convention de coordination PM / PN", "externe", file=external))
    return Contract(
        title="Contrat de sécurité intégrée",
        collectivite="Clermont-Ferrand",
        collectivite_designation="la ville de Clermont-Ferrand",
        periode="2021-2026",
        parties=("l’État", "la ville de Clermont-Ferrand"),
        visas=(f"Vu le code de la sécurité intérieure, notamment son article L. 132-1{NBSP};",),
        preamble=(para("Les parties s’appuient sur les partenariats existants."),),
        titres=(
            Titre(1, "Dispositions générales", articles=(objet, duree)),
            Titre(2, "Engagements des parties", volets=volets),
        ),
        signature=SignaturePage(
            "Clermont-Ferrand",
            date(2021, 7, 22),
            3,
            (
                Signatory("etat", "Le préfet du Puy-de-Dôme", "[Nom du préfet]"),
                Signatory("collectivite", "Le maire de Clermont-Ferrand", "[Nom du maire]"),
                Signatory("justice", "Le procureur de la République", "[Nom du procureur]"),
            ),
        ),
        annexes=tuple(annexes),
        indicators=(),
        funding=(),
        socle=(),
        manifest=(
            ManifestEntry("etat-securite-presence-voie-publique", 2, "a" * 64, "bibliotheque"),
            ManifestEntry("collectivite-securite-videoprotection", 1, "b" * 64, "profil"),
        ),
        table_of_contents=toc,
        initials=initials,
        source_name="clermont-ferrand.yaml",
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx")
    path = folder / "CSI-Clermont-Ferrand.docx"
    digest = write_docx(make_contract(), path)
    return path, digest


@pytest.fixture(scope="module")
def doc(written):
    return docx.Document(str(written[0]))


def body_paragraphs(document):
    return [p for p in document.element.body.iter(qn("w:p"))]


def style_name(document, p) -> str:
    ppr = p.pPr
    sid = ppr.style if ppr is not None and ppr.style else document.styles.default(1).style_id
    return document.styles.element.get_by_id(sid).name_val


def texts_by_style(document, name: str) -> list[str]:
    out = []
    for para_ in document.paragraphs:
        if para_.style.name == name:
            out.append(para_.text)
    return out


def part_xml(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


# --- structure ------------------------------------------------------------------


def test_headings_and_article_labels(doc):
    assert texts_by_style(doc, "Heading 1") == [
        "Préambule",
        "Titre I — Dispositions générales",
        "Titre II — Engagements des parties",
        "Annexe 1 — Indicateurs de suivi",
        "Annexe 2 — Financements",
        "Annexe 3 — Convention de coordination PM / PN",
    ]
    assert texts_by_style(doc, "Heading 2") == ["Volet 1 — Sécurité intérieure", "Volet 2 — Prévention de la délinquance"]
    assert texts_by_style(doc, "Heading 3") == [
        "Engagements de l’État",
        "Engagements de la ville de Clermont-Ferrand",
        "Engagements de l’État",
    ]
    assert texts_by_style(doc, "Heading 4") == [
        "Article 1er — Objet du contrat",
        "Article 2 — Durée",
        "Article 3 — Présence sur la voie publique",
        "Article 4 — Vidéoprotection",
        "Article 5 — Prévention",
    ]


def test_cover_visas_and_agreement(doc):
    texts = [p.text for p in doc.paragraphs]
    assert texts[:4] == [
        "Contrat de sécurité intégrée",
        "La ville de Clermont-Ferrand",
        "2021-2026",
        "Entre l’État et la ville de Clermont-Ferrand",
    ]
    assert doc.paragraphs[0].style.name == "Title"
    assert texts_by_style(doc, "Visa") == [f"Vu le code de la sécurité intérieure, notamment son article L. 132-1{NBSP};"]
    body = [p.text for p in doc.paragraphs if not p.style.name.startswith("toc")]
    assert body.index(f"Il est convenu ce qui suit{NBSP}:") < body.index("Titre I — Dispositions générales")


def test_runs_keep_bold_italic_and_line_breaks(doc):
    (objet,) = [p for p in doc.paragraphs if p.text.startswith("Le présent contrat lie")]
    assert [(r.text, bool(r.bold)) for r in objet.runs] == [
        ("Le présent contrat lie ", False),
        ("l’État", True),
        (" et la ville.", False),
    ]
    (duree,) = [p for p in doc.paragraphs if p.text.startswith("Le contrat court")]
    assert duree.text == "Le contrat court jusqu’en 2026.\nIl prend effet à sa signature."
    assert len(duree._p.findall(f".//{qn('w:br')}")) == 1
    mixtes = [r for p in doc.paragraphs for r in p.runs if r.text == "mixtes"]
    assert mixtes and mixtes[0].italic


def test_special_characters_are_written_verbatim(written, doc):
    assert any(SPECIAL in p.text for p in doc.paragraphs)
    assert "A &amp; B &lt; C &gt; D" in part_xml(written[0], "word/document.xml")


def test_lists_use_list_styles_and_each_ordered_list_restarts(doc):
    assert texts_by_style(doc, "List Bullet") == ["patrouilles pédestres", "patrouilles mixtes"]
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["étude des besoins", "installation", "évaluation", "réunir le CLSPD", "dresser le bilan"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] == num_ids[2] != num_ids[3] == num_ids[4]
    numbering = doc.part.numbering_part.element
    for num_id in {num_ids[0], num_ids[3]}:
        assert _starts_at_one(numbering, num_id)


def _starts_at_one(numbering, num_id: int) -> bool:
    (num,) = [n for n in numbering.findall(qn("w:num")) if n.numId == num_id]
    override = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
    if override is not None:
        return override.get(qn("w:val")) == "1"
    abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    users = [n for n in numbering.findall(qn("w:num")) if n.find(qn("w:abstractNumId")).get(qn("w:val")) == abstract]
    (anum,) = [a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract]
    start = anum.find(f"{qn('w:lvl')}/{qn('w:start')}")
    return len(users) == 1 and (start is None or start.get(qn("w:val")) == "1")


# --- table of contents, header, footer --------------------------------------------


def test_toc_is_a_field_with_its_entries_cached(written, doc):
    xml = part_xml(written[0], "word/document.xml")
    assert re.search(r'<w:instrText xml:space="preserve"> TOC \\o "1-4" \\h \\z \\u </w:instrText>', xml)
    assert "updateFields" not in part_xml(written[0], "word/settings.xml")
    assert "w:dirty" not in xml
    toc = {f"toc {i}": texts_by_style(doc, f"toc {i}") for i in range(1, 5)}
    assert "Titre I — Dispositions générales" in toc["toc 1"]
    assert "Annexe 3 — Convention de coordination PM / PN" in toc["toc 1"]
    assert toc["toc 2"] == ["Volet 1 — Sécurité intérieure", "Volet 2 — Prévention de la délinquance"]
    assert "Article 4 — Vidéoprotection" in toc["toc 4"]
    # Every entry links to a bookmark that exists on a heading.
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml)
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    assert len(anchors) == sum(len(v) for v in toc.values()) == 16
    assert set(anchors) <= bookmarks


def test_no_toc_when_the_contract_asks_for_none(tmp_path):
    path = tmp_path / "sans-sommaire.docx"
    write_docx(make_contract(toc=False, external=None), path)
    xml = part_xml(path, "word/document.xml")
    assert " TOC " not in xml and "Sommaire" not in xml


def test_header_title_and_footer_fields(doc):
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "Contrat de sécurité intégrée — Clermont-Ferrand — 2021-2026"
    for footer in (section.footer, section.first_page_footer):
        xml = footer._element.xml
        assert "> PAGE <" in xml and "> NUMPAGES <" in xml
        assert "Page " in xml and " sur " in xml
        (initials,) = footer.tables
        assert initials.rows[0].cells[0].text == f"Paraphes{NBSP}:"
        assert len(initials.columns) == 1 + 3  # the label, one box per signatory


# --- signature page and annexes ------------------------------------------------------


def test_one_signature_block_per_signatory(doc):
    statement = "Fait à Clermont-Ferrand, le 22\u00a0juillet 2021, en trois (3) exemplaires originaux."
    (place,) = [p for p in doc.paragraphs if p.text == statement]
    assert place._p.pPr.find(qn("w:pageBreakBefore")) is not None
    table = next(t for t in doc.tables if any(p.style.name == "Signature" for c in t._cells for p in c.paragraphs))
    blocks = [c for c in table._cells if c.text.strip()]
    blocks = list({id(c._tc): c for c in blocks}.values())  # a spanned cell appears once per grid column
    assert len(blocks) == 3
    assert [b.paragraphs[0].text for b in blocks] == [
        "Le préfet du Puy-de-Dôme",
        "Le maire de Clermont-Ferrand",
        "Le procureur de la République",
    ]
    assert [b.paragraphs[1].text for b in blocks] == ["[Nom du préfet]", "[Nom du maire]", "[Nom du procureur]"]
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_generated_annex_table(doc):
    indicators = next(t for t in doc.tables if t.rows[0].cells[0].text == "Art." and len(t.columns) == 8)
    assert indicators._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    # The look of the template's « Tableau CSI » style, written on the table (see tablelook.py).
    tbl_pr = indicators._tbl.tblPr
    assert tbl_pr.find(qn("w:tblStyle")) is None
    borders = tbl_pr.find(qn("w:tblBorders"))
    assert [(etree_local(b), b.get(qn("w:color"))) for b in borders] == [
        (side, "808080") for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    ]
    margins = {etree_local(m): m.get(qn("w:w")) for m in tbl_pr.find(qn("w:tblCellMar"))}
    assert margins == {"top": "28", "left": "85", "bottom": "28", "right": "85"}
    header = indicators.rows[0].cells[0]._tc
    assert header.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "DCE3EF"
    assert all(r.bold for c in indicators.rows[0].cells for p in c.paragraphs for r in p.runs)
    assert indicators.rows[1].cells[0]._tc.tcPr.find(qn("w:shd")) is None
    funding = next(t for t in doc.tables if t.rows[0].cells[0].text == "Art." and len(t.columns) == 5)
    total = funding.rows[-1]
    assert total.cells[1].text == "Total général"
    assert all(r.bold for c in total.cells for p in c.paragraphs for r in p.runs)
    assert not any(r.bold for c in funding.rows[1].cells for p in c.paragraphs for r in p.runs)


def etree_local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _template_with_table_style(tmp_path, extra: str) -> Path:
    """The reference template whose « Tableau CSI » style also holds ``extra`` (style children)."""
    with zipfile.ZipFile(TEMPLATE) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    styles = parts["word/styles.xml"].decode("utf-8")
    start = styles.index('w:styleId="TableauCSI"')
    at = styles.index("<w:tblPr>", start)
    parts["word/styles.xml"] = (styles[:at] + extra + styles[at:]).encode("utf-8")
    path = tmp_path / "modele.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_table_style_that_cannot_be_written_directly_is_named(tmp_path):
    # Paragraph properties for the whole table: left to the style itself.
    template = _template_with_table_style(tmp_path, '<w:pPr><w:jc w:val="center"/></w:pPr>')
    write_docx(make_contract(external=None), tmp_path / "contrat.docx", template=template)
    tables = docx.Document(str(tmp_path / "contrat.docx")).tables
    annex_tables = [t for t in tables if t.rows[0].cells[0].text == "Art."]
    assert annex_tables
    for table in annex_tables:
        assert table._tbl.tblPr.find(qn("w:tblStyle")).get(qn("w:val")) == "TableauCSI"
        assert table._tbl.tblPr.find(qn("w:tblBorders")) is None


def test_direct_look_merges_the_based_on_chain_side_by_side():
    from lxml import etree

    from csi_docgen.docx.tablelook import direct_look

    styles = etree.fromstring(
        f"""<w:styles {nsdecls("w")}>
        <w:style w:type="table" w:styleId="Base"><w:name w:val="Base"/><w:tblPr>
          <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
          <w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>
          <w:tblStylePr w:type="firstRow"><w:rPr><w:i/><w:b/></w:rPr></w:tblStylePr></w:style>
        <w:style w:type="table" w:styleId="Derived"><w:name w:val="Derived"/><w:basedOn w:val="Base"/>
          <w:tblPr><w:tblCellMar><w:left w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>
          <w:tblStylePr w:type="band1Horz"><w:tcPr><w:shd w:val="clear" w:fill="EEEEEE"/></w:tcPr></w:tblStylePr>
          <w:tblStylePr w:type="firstRow"><w:tcPr><w:vAlign w:val="center"/><w:shd w:val="clear" w:fill="DDDDDD"/></w:tcPr>
          </w:tblStylePr></w:style>
        </w:styles>"""
    )
    look = direct_look(styles, "Derived")
    assert look.cell_margins == (
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
    )
    assert look.header_r_pr == "<w:b/><w:i/>"  # schema order
    assert look.header_tc_pr == '<w:shd w:val="clear" w:fill="DDDDDD"/><w:vAlign w:val="center"/>'
    assert look.tbl_pr == ""  # banded rows are off in annex tables: their shading is not written
    assert direct_look(styles, None) is None


def test_direct_look_of_an_odd_template_style():
    from lxml import etree

    from csi_docgen.docx.tablelook import direct_look

    styles = etree.fromstring(
        f"""<w:styles {nsdecls("w")}><w:style w:type="table" w:styleId="Tab'leau"><!-- remarque -->
        <w:name w:val="x"/><w:tblPr><w:tblBorders><!-- bordures --><w:top w:val="single"/><?pi x?></w:tblBorders></w:tblPr>
        <w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr></w:tblStylePr></w:style></w:styles>"""
    )
    look = direct_look(styles, "Tab'leau")  # a quote in the id, comments and a processing instruction
    assert look.tbl_pr == '<w:tblBorders><w:top w:val="single"/></w:tblBorders>'
    assert look.header_r_pr == "<w:b/>"
    assert direct_look(styles, "Absent") is None  # an unknown id: the table keeps naming it


def test_wide_annex_table_gets_a_landscape_section(doc):
    orientations = [s.orientation for s in doc.sections]
    assert len(orientations) == 3
    assert [int(o) for o in orientations] == [0, 1, 0]  # portrait, landscape (annexe 1), portrait


def test_external_annex_keeps_its_font_and_numbering(doc):
    template = docx.Document(str(TEMPLATE))
    template_font = template.styles["Normal"].font.name
    body = doc.element.body
    heading = next(
        p for p in body.iterchildren(qn("w:p"))
        if p.pPr is not None and p.pPr.style == "Heading1" and "Annexe 3 —" in "".join(t.text for t in p.iter(qn("w:t")))
    )
    after = list(body)[list(body).index(heading) + 1 :]
    paragraphs = [docx.text.paragraph.Paragraph(p, doc) for el in after for p in el.iter(qn("w:p"))]
    (legal,) = [p for p in paragraphs if p.text.startswith("En application de l’article L. 512-4")]

    def font_of(style):
        while style is not None:
            if style.font.name:
                return style.font.name
            style = style.base_style
        return None

    assert font_of(legal.style) == "Times New Roman" != template_font == "Arial"
    assert legal.style.name != "Normal"  # the annex's own « Normal », kept under another name
    numbered = [p for p in paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) == 4
    assert {font_of(p.style) for p in numbered} == {"Times New Roman"}
    assert len({p._p.pPr.numPr.numId.val for p in numbered}) == 1
    assert _starts_at_one(doc.part.numbering_part.element, numbered[0]._p.pPr.numPr.numId.val)
    assert any(t.rows[0].cells[0].text == "Domaine" for t in doc.tables)


def test_external_annex_example_speaks_of_2021_only():
    """The Clermont-Ferrand convention says only what held on 22 July 2021 and names no tool."""
    annex = docx.Document(str(EXTERNAL))
    text = "\n".join(
        [p.text for p in annex.paragraphs]
        + [cell.text for table in annex.tables for row in table.rows for cell in row.cells]
    )
    for later in ("2022", "prolong", "VTT", "matchs", "mixte", "21 communes", "métropolitain"):
        assert later not in text, later  # the December 2022 article's facts
    for fact in ("étroit partenariat", "Centre de loisirs jeunesse de la police nationale"):
        assert fact in text, fact  # the July 2021 press release's
    for undertaking in ("soirée", "accr", "concert"):
        assert undertaking not in text, undertaking  # what the contract itself undertakes on 22 July 2021
    assert "Fait à «\u00a0…\u00a0», le «\u00a0…\u00a0»" in text  # unknown date left to complete
    with zipfile.ZipFile(EXTERNAL) as package:
        assert not any(b"docgen" in package.read(name) for name in package.namelist())
    (table,) = annex.tables
    header = table.rows[0]
    assert [cell.text for cell in header.cells] == ["Domaine", "Police municipale", "Police nationale", "Coordination"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats with its real content
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert all(cell.paragraphs[0].paragraph_format.keep_with_next for cell in header.cells)


# --- package-level properties ------------------------------------------------------------


def test_two_writes_give_the_same_bytes(written, tmp_path):
    path, digest = written
    again = tmp_path / "again.docx"
    assert write_docx(make_contract(), again) == digest
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert again.read_bytes() == path.read_bytes()
    assert make_contract().to_docx(tmp_path / "via-model.docx") == digest


def test_zip_and_core_properties_are_fixed(written, doc):
    with zipfile.ZipFile(written[0]) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
    names = [i.filename for i in infos]
    assert "word/stylesWithEffects.xml" not in names
    # Read as XML: once docxcompose is imported, python-docx misreads cp: core properties.
    core = part_xml(written[0], "docProps/core.xml")
    assert "<dc:creator>csi-docgen</dc:creator>" in core
    assert "<cp:lastModifiedBy>csi-docgen</cp:lastModifiedBy>" in core
    assert "<cp:revision>1</cp:revision>" in core
    assert core.count(">2021-07-22T00:00:00Z<") == 2  # created and modified: the signature date


def test_shared_parts_are_zipped_once_and_the_contract_parts_follow():
    from csi_docgen.docx.reproducible import read_package, write_package

    shared = write_package({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w:styles/>"})
    package = write_package({"word/document.xml": b"<w:document/>", "docProps/core.xml": b"<c/>"}, base=shared)
    assert package.startswith(shared[: shared.index(b"PK\x01\x02")])  # the shared entries, byte for byte
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        assert z.namelist() == ["[Content_Types].xml", "word/styles.xml", "docProps/core.xml", "word/document.xml"]
        assert z.testzip() is None
    assert read_package(package)["word/document.xml"] == b"<w:document/>"
    with pytest.raises(ValueError):
        write_package({"word/styles.xml": b"<autre/>"}, base=shared)


def test_custom_properties_hold_the_manifest(written):
    props = read_custom_properties(written[0])
    assert props["csi-docgen:source"] == "clermont-ferrand.yaml"
    assert read_manifest(written[0]) == {
        "etat-securite-presence-voie-publique": {"version": 2, "sha256": "a" * 64, "origin": "bibliotheque"},
        "collectivite-securite-videoprotection": {"version": 1, "sha256": "b" * 64, "origin": "profil"},
    }


def test_openxml_audit_finds_nothing(written):
    for path in (written[0], TEMPLATE, EXTERNAL):
        result = OpenXmlValidator().validate(str(path))
        assert [e.description for e in result.errors] == [], path


# --- errors and atomic writes ------------------------------------------------------------


def test_missing_external_annex_writes_nothing(tmp_path):
    target = tmp_path / "contrat.docx"
    target.write_bytes(b"previous")
    missing = tmp_path / "absente.docx"
    with pytest.raises(AnnexError) as info:
        write_docx(make_contract(external=str(missing)), target)
    assert info.value.path == str(missing)
    assert "annexe 3 « Convention de coordination PM / PN » : fichier introuvable" in str(info.value)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contrat.docx"]


@pytest.mark.parametrize(
    "content, problem",
    [(b"not a zip at all", "ce n’est pas un document Word .docx"), (None, "ce n’est pas un document Word .docx lisible")],
)
def test_external_annex_that_is_not_a_docx(tmp_path, content, problem):
    bad = tmp_path / "annexe.docx"
    if content is None:
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("hello.txt", "not a word document")
    else:
        bad.write_bytes(content)
    with pytest.raises(AnnexError) as info:
        write_docx(make_contract(external=str(bad)), tmp_path / "contrat.docx")
    assert str(info.value).startswith(f"{bad} : annexe 3 « Convention de coordination PM / PN » : {problem}")
    assert not (tmp_path / "contrat.docx").exists()


def test_output_folder_that_cannot_exist(tmp_path):
    (tmp_path / "fichier").write_text("un fichier, pas un dossier")
    with pytest.raises(OutputError, match="impossible d'écrire dans ce dossier"):
        write_docx(make_contract(external=None), tmp_path / "fichier" / "contrat.docx")


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "contrat.docx"
    target.write_bytes(b"previous")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OutputError, match="disque plein"):
        write_docx(make_contract(external=None), target)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contrat.docx"]


# --- committed files are what the tools make ------------------------------------------------------


@pytest.mark.parametrize(
    "script, output",
    [("templates/outils/make_reference.py", TEMPLATE), ("examples/annexes/fabriquer_annexe.py", EXTERNAL)],
)
def test_committed_files_match_their_script(script, output):
    spec = importlib.util.spec_from_file_location(Path(script).stem, ROOT / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == output.read_bytes(), f"run python {script}"


def test_reference_template_styles():
    template = docx.Document(str(TEMPLATE))
    names = {s.name for s in template.styles}
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
                 "List Bullet", "List Number", "Tableau CSI", "toc 1", "toc 2", "toc 3", "Signature"):
        assert name in names, name
    section = template.sections[0]
    assert (section.page_width.cm, section.page_height.cm) == pytest.approx((21.0, 29.7), abs=0.01)
    for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
        assert margin.cm == pytest.approx(2.5, abs=0.01)
    assert template.styles["Normal"].paragraph_format.alignment == 3  # justified
    assert template.styles["Normal"].font.size.pt == 11


# --- LibreOffice ---------------------------------------------------------------------------


def require_layout_tools() -> None:
    soffice_or_skip()
    missing = [tool for tool in ("pdftotext", "pdfinfo") if shutil.which(tool) is None]
    if missing:
        message = f"outils absents : {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (obligatoires quand CI=true)")
        pytest.skip(message)


@pytest.mark.libreoffice
def test_libreoffice_lays_out_the_contract(written, tmp_path):
    from csi_docgen.pdf import to_pdf

    require_layout_tools()
    # Two contracts of the same name in two folders, one LibreOffice call, PDFs next to each.
    twin = tmp_path / "autre" / written[0].name
    twin.parent.mkdir()
    shutil.copyfile(written[0], twin)
    pdf, twin_pdf = to_pdf([written[0], twin], None)
    assert (pdf, twin_pdf) == (written[0].with_suffix(".pdf"), twin.with_suffix(".pdf"))
    assert twin_pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Page 1 sur {pages}" in text
    assert f"Page {pages} sur {pages}" in text
    assert "Sommaire" in text
    for entry in ("Titre II — Engagements des parties", "Article 4 — Vidéoprotection",
                  "Annexe 1 — Indicateurs de suivi", "Annexe 3 — Convention de coordination PM / PN"):
        assert text.count(entry) == 2, entry  # once in the table of contents, once as the heading
    assert "Convention de coordination entre la police" in text
    assert re.search(r"1\)\s+la présence sur la voie publique", text)


def test_to_pdf_without_libreoffice(monkeypatch, tmp_path, written):
    from csi_docgen import pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "_CANDIDATES", {})
    monkeypatch.delenv("CSI_SOFFICE", raising=False)
    with pytest.raises(ToolMissing, match="apt-get install libreoffice-writer-nogui"):
        pdf.to_pdf([written[0]], tmp_path)


def _annex_ending_with_a_table(path: Path) -> Path:
    """A small annex of its own: a bookmarked heading, a list, and a table as its last element."""
    document = docx.Document()
    heading = document.add_paragraph("Charte de confidentialité")
    heading._p.insert(0, parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="0" w:name="charte"/>'))
    heading._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="0"/>'))
    document.add_paragraph("Première règle", style="List Number")
    document.add_paragraph("Seconde règle", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Partie"
    table.cell(1, 0).text = "Signataire de la charte"
    document.save(str(path))
    return path


def test_several_external_annexes_each_after_its_heading(tmp_path):
    charter = _annex_ending_with_a_table(tmp_path / "charte.docx")
    base = make_contract()
    extra = (
        Annex(4, "Charte de confidentialité", "externe", file=str(charter)),
        Annex(5, "Convention de coordination, second exemplaire", "externe", file=str(EXTERNAL)),
    )
    contract = dataclasses.replace(base, annexes=base.annexes + extra)
    path = tmp_path / "contrat.docx"
    write_docx(contract, path)
    xml = part_xml(path, "word/document.xml")
    position = xml.index("Il est convenu ce qui suit")  # past the table of contents
    for text in ("Annexe 3", "Convention de coordination entre la police", "Annexe 4", "Seconde règle",
                 "Signataire de la charte", "Annexe 5", "Convention de coordination entre la police"):
        position = xml.index(text, position + 1)  # each after the one before, in the body
    assert xml.count("Convention de coordination entre la police") == 2  # the same file, merged twice
    ids = re.findall(r'<w:bookmarkStart[^>]*w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))  # the annexes' bookmarks and the headings' never share an id
    # The charter ends with a table and is not last; the contract's own end is a paragraph.
    assert re.search(r"</w:tbl>\s*<w:sectPr", xml) is None
    result = OpenXmlValidator().validate(str(path))
    assert [e.description for e in result.errors] == []
    reread = docx.Document(str(path))
    assert any(p.text == "Seconde règle" for p in reread.paragraphs)


def test_template_with_unusual_prefixes_is_refused_clearly(tmp_path):
    with zipfile.ZipFile(TEMPLATE) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    xml = xml.replace("xmlns:w=", "xmlns:ww=").replace("<w:", "<ww:").replace("</w:", "</ww:").replace(" w:", " ww:")
    parts["word/document.xml"] = xml.encode("utf-8")
    odd = tmp_path / "modele.docx"
    with zipfile.ZipFile(odd, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    target = tmp_path / "contrat.docx"
    with pytest.raises(OutputError, match="préfixes XML habituels de Word"):
        write_docx(make_contract(external=None), target, template=odd)
    assert not target.exists()
