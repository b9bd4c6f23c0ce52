"""Write templates/reference.docx, the reference template of csi-docgen.

Run from anywhere: ``python templates/outils/make_reference.py [OUTPUT]``. The output is
byte-for-byte reproducible, so the committed template can be checked with
``git diff --exit-code`` after running this script.

The template holds everything a drafter may want to restyle in Word or
LibreOffice: page setup (A4, 2.5 cm margins), the styles the writer uses,
the header (the paragraph holding ``[Titre du contrat]`` receives the
contract's title) and the footer ("Page X sur Y" with real PAGE and NUMPAGES
fields). The writer only references styles by name and never sets a font or
a size itself, so editing a style here restyles every contract.

Style names: Word's built-in styles keep their internal English names
("heading 1", "toc 1"…), which Word shows translated ("Titre 1", "TM 1" in a
French Word); the styles csi-docgen adds have French names.

Built with python-docx from its default document, with the parts we do not
want removed: ``word/stylesWithEffects.xml`` (stale in python-docx's default
template: Word's validator reports it), the thumbnail and the customXml
items.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.oxml.parser import parse_xml  # noqa: E402
from docx.shared import Twips  # noqa: E402
from lxml import etree  # noqa: E402

from csi_docgen.docx import fields  # noqa: E402
from csi_docgen.docx.ooxml import A_NS, NS_DECL  # noqa: E402
from csi_docgen.docx.properties import write_core  # noqa: E402
from csi_docgen.docx.reproducible import normalize_package  # noqa: E402
from csi_docgen.docx.template import STYLES_WITH_EFFECTS  # noqa: E402

OUTPUT = ROOT / "templates" / "reference.docx"

BODY_FONT = "Arial"  # LibreOffice lays it out with the metric-compatible Liberation Sans
ACCENT = "1F3864"  # dark blue for titles
GREY = "595959"
TEXT_WIDTH = 11906 - 2 * 1418  # A4 width minus 2.5 cm margins, in twips

# --- styles ---------------------------------------------------------------


def style(
    sid: str,
    name: str,
    *,
    kind: str = "paragraph",
    based_on: str | None = "Normal",
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
    priority: int | None = None,
    qformat: bool = True,
    default: bool = False,
) -> str:
    attrs = f'w:type="{kind}"' + (' w:default="1"' if default else "") + f' w:styleId="{sid}"'
    parts = [f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    if priority is not None:
        parts.append(f'<w:uiPriority w:val="{priority}"/>')
    if qformat:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append(extra)
    return f"<w:style {attrs}>{''.join(parts)}</w:style>"


def fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def color(value: str) -> str:
    return f'<w:color w:val="{value}"/>'


def spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    line_attr = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{line_attr}/>'


def heading(level: int, ppr: str, rpr: str) -> str:
    return style(
        f"Heading{level}",
        f"heading {level}",
        next_style="Normal",
        priority=9,
        ppr=f'<w:keepNext/><w:keepLines/>{ppr}<w:outlineLvl w:val="{level - 1}"/>',
        rpr=rpr,
    )


def toc(level: int, indent: int, rpr: str = "", before: int = 0) -> str:
    tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
    # No right indent: LibreOffice, updating the table before a PDF export, puts the page
    # number at the right tab only when the tab lies inside the paragraph's indents.
    ind = f'<w:ind w:left="{indent}"/>' if indent else ""
    return style(
        f"TOC{level}",
        f"toc {level}",
        next_style="Normal",
        priority=39,
        qformat=False,
        ppr=f"{tabs}{spacing(before, 40)}{ind}<w:jc w:val=\"left\"/>",
        rpr=rpr,
    )


BORDER = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
ALL_BORDERS = "".join(BORDER.format(side=s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))

STYLES = [
    style(
        "Normal",
        "Normal",
        based_on=None,
        default=True,
        ppr=f'<w:widowControl/>{spacing(0, 120, 264)}<w:jc w:val="both"/>',
        rpr=fonts(BODY_FONT) + size(22),
    ),
    (
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
        "</w:style>"
    ),
    (
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    ),
    (
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    ),
    # Cover page
    style("Title", "Title", next_style="Normal", priority=10,
          ppr=f'{spacing(3400, 360, 240)}<w:jc w:val="center"/>',
          rpr=f"<w:b/><w:bCs/>{color(ACCENT)}{size(48)}"),
    style("Subtitle", "Subtitle", next_style="Normal", priority=11,
          ppr=f'{spacing(0, 240, 240)}<w:jc w:val="center"/>',
          rpr=f"{color(ACCENT)}{size(34)}"),
    style("Couverture", "Couverture", next_style="Couverture",
          ppr=f'{spacing(0, 160)}<w:jc w:val="center"/>', rpr=size(26)),
    # Structure of the contract
    heading(1, f'{spacing(480, 240)}<w:jc w:val="center"/>', f"<w:b/><w:bCs/>{color(ACCENT)}{size(28)}"),
    heading(2, f'{spacing(360, 180)}<w:jc w:val="left"/>', f"<w:b/><w:bCs/>{color(ACCENT)}{size(26)}"),
    heading(3, f'{spacing(240, 120)}<w:jc w:val="left"/>', f"<w:b/><w:bCs/><w:i/><w:iCs/>{size(24)}"),
    heading(4, f'{spacing(240, 120)}<w:jc w:val="left"/>', f"<w:b/><w:bCs/>{size(22)}"),
    style("Visa", "Visa", next_style="Visa", ppr=spacing(0, 80)),
    style("Formule", "Formule", next_style="Normal",
          ppr=f'<w:keepNext/>{spacing(360, 360)}<w:jc w:val="center"/>', rpr="<w:b/><w:bCs/>"),
    style("ListBullet", "List Bullet", priority=99,
          ppr=f'<w:numPr><w:numId w:val="1"/></w:numPr>{spacing(0, 60, 264)}'),
    style("ListNumber", "List Number", priority=99,
          ppr=f'<w:numPr><w:numId w:val="2"/></w:numPr>{spacing(0, 60, 264)}'),
    # Table of contents
    style("TOCHeading", "TOC Heading", next_style="Normal", priority=39,
          ppr=f'<w:keepNext/>{spacing(0, 360)}<w:jc w:val="center"/><w:outlineLvl w:val="9"/>',
          rpr=f"<w:b/><w:bCs/>{color(ACCENT)}{size(28)}"),
    toc(1, 0, "<w:b/><w:bCs/>", before=120),
    toc(2, 220),
    toc(3, 440, "<w:i/><w:iCs/>" + size(20)),
    toc(4, 660, size(20)),
    # Signature page
    style("LieuEtDate", "Lieu et date", next_style="Normal", ppr=f"<w:keepNext/>{spacing(480, 480)}"),
    style("Signature", "Signature", next_style="SignatureNom",
          ppr=f'<w:keepNext/><w:keepLines/>{spacing(480, 0)}<w:jc w:val="center"/>',
          rpr="<w:b/><w:bCs/>"),
    style("SignatureNom", "Signature – nom", based_on="Signature", next_style="Normal",
          ppr=f"{spacing(1700, 240)}", rpr="<w:b w:val=\"0\"/><w:bCs w:val=\"0\"/>"),
    # Tables
    style("Tableau", "Tableau", next_style="Tableau",
          ppr=f'{spacing(20, 20, 240)}<w:jc w:val="left"/>', rpr=size(18)),
    style("TableauEntete", "Tableau – en-tête", based_on="Tableau", next_style="Tableau",
          ppr="<w:keepNext/>", rpr="<w:b/><w:bCs/>"),
    style(
        "TableauCSI",
        "Tableau CSI",
        kind="table",
        based_on="TableNormal",
        priority=59,
        extra=(
            '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
            f"<w:tblBorders>{ALL_BORDERS}</w:tblBorders>"
            '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
            '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE3EF"/></w:tcPr></w:tblStylePr>'
        ),
    ),
    style(
        "Paraphes",
        "Paraphes",
        kind="table",
        based_on="TableNormal",
        priority=59,
        extra=(
            '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
            f"<w:tblBorders>{ALL_BORDERS}</w:tblBorders>"
            '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        ),
    ),
    # Header and footer
    style("Header", "header", priority=99, qformat=False,
          ppr=f'{spacing(0, 0, 240)}<w:jc w:val="center"/>', rpr=f"{color(GREY)}{size(17)}"),
    style("Footer", "footer", priority=99, qformat=False,
          ppr=f'{spacing(0, 0, 240)}<w:jc w:val="center"/>', rpr=f"{color(GREY)}{size(17)}"),
]

STYLES_XML = (
    f'<w:styles {NS_DECL}><w:docDefaults><w:rPrDefault><w:rPr>{fonts(BODY_FONT)}{size(22)}'
    '<w:lang w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    f"<w:pPrDefault><w:pPr>{spacing(0, 0, 240)}</w:pPr></w:pPrDefault></w:docDefaults>"
    + "".join(STYLES)
    + "</w:styles>"
)


# --- numbering: an en dash for bullets, "1." for ordered lists -------------


def abstract_num(anum_id: int, nsid: str, fmt: str, text: str, style_id: str) -> str:
    return (
        f'<w:abstractNum w:abstractNumId="{anum_id}"><w:nsid w:val="{nsid}"/>'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:pStyle w:val="{style_id}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr></w:lvl></w:abstractNum>'
    )


NUMBERING_XML = (
    f"<w:numbering {NS_DECL}>"
    + abstract_num(0, "3F1A2B01", "bullet", "–", "ListBullet")
    + abstract_num(1, "3F1A2B02", "decimal", "%1.", "ListNumber")
    + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    + '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    + "</w:numbering>"
)

SETTINGS_XML = (
    f"<w:settings {NS_DECL}>"
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/><w:hyphenationZone w:val="425"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    "<w:compat><w:doNotExpandShiftReturn/>"
    '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    '<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    '<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    "</w:compat>"
    '<w:themeFontLang w:val="fr-FR"/>'
    '<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1" '
    'w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6" '
    'w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>'
    '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>'
    "</w:settings>"
)

FONT_TABLE_XML = (
    f"<w:fonts {NS_DECL}>"
    '<w:font w:name="Arial"><w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    '<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    "</w:fonts>"
).encode()

APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>csi-docgen</Application><DocSecurity>0</DocSecurity>"
    "</Properties>"
).encode()

HEADER_XML = (
    f'<w:hdr {NS_DECL}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
    "<w:r><w:t>[Titre du contrat]</w:t></w:r></w:p></w:hdr>"
)
FIRST_HEADER_XML = f'<w:hdr {NS_DECL}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>'
FOOTER_XML = (
    f'<w:ftr {NS_DECL}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    f'<w:r><w:t xml:space="preserve">Page </w:t></w:r>{fields.page()}'
    f'<w:r><w:t xml:space="preserve"> sur </w:t></w:r>{fields.numpages()}</w:p></w:ftr>'
)


def _replace_children(element, xml: str) -> None:
    new = parse_xml(xml)
    for child in list(element):
        element.remove(child)
    for child in list(new):
        element.append(child)


def _drop_rel(rels, reltype: str) -> None:
    for rid, rel in list(rels.items()):
        if rel.reltype == reltype:
            del rels[rid]


def build() -> bytes:
    document = docx.Document()
    pkg = document.part.package
    part = document.part

    # Unwanted parts: stale stylesWithEffects, thumbnail, customXml items.
    _drop_rel(part.rels, STYLES_WITH_EFFECTS)
    _drop_rel(part.rels, RT.CUSTOM_XML)
    _drop_rel(pkg.rels, RT.THUMBNAIL)

    part._styles_part._element = parse_xml(STYLES_XML)
    part.numbering_part._element = parse_xml(NUMBERING_XML)
    part._settings_part._element = parse_xml(SETTINGS_XML)
    part.part_related_by(RT.FONT_TABLE)._blob = FONT_TABLE_XML
    pkg.part_related_by(RT.EXTENDED_PROPERTIES)._blob = APP_XML

    theme = part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for latin in root.iter(f"{{{A_NS}}}latin"):
        if latin.getparent().tag in (f"{{{A_NS}}}majorFont", f"{{{A_NS}}}minorFont"):
            latin.set("typeface", BODY_FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # Body: empty; page setup, header and footer on the only section.
    body = document.element.body
    for child in list(body):
        if child is not body.sectPr:
            body.remove(child)
    for attr in [a for a in body.sectPr.attrib if "rsid" in a]:
        del body.sectPr.attrib[attr]
    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(1418))
    section.header_distance = Twips(709)
    section.footer_distance = Twips(454)
    section.gutter = Twips(0)
    section.different_first_page_header_footer = True
    for hdrftr, xml in (
        (section.header, HEADER_XML),
        (section.first_page_header, FIRST_HEADER_XML),
        (section.footer, FOOTER_XML),
        (section.first_page_footer, FOOTER_XML),
    ):
        hdrftr.is_linked_to_previous = False
        _replace_children(hdrftr.part.element, xml)

    write_core(
        document,
        title="Modèle de contrat de sécurité intégrée",
        subject="Modèle de référence de csi-docgen : styles, mise en page, en-tête et pied de page",
        description="Modifiez les styles de ce modèle pour changer l’apparence de tous les contrats.",
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
