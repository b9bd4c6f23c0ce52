"""The table of contents: a real TOC field whose cached result is already filled.

Word writes a TOC as one complex field spanning several paragraphs::

    <w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>
      <w:r><w:fldChar w:fldCharType="begin"/></w:r>
      <w:r><w:instrText> TOC \\o "1-4" \\h \\z \\u </w:instrText></w:r>
      <w:r><w:fldChar w:fldCharType="separate"/></w:r>
      <w:hyperlink w:anchor="_Toc000000001"><w:r><w:t>Titre I — …</w:t></w:r></w:hyperlink>
    </w:p>
    <w:p>… one paragraph per entry, style TOC1…TOC4 …</w:p>
    <w:p>…<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>

and each heading carries the bookmark the entry links to. We write that
cached result ourselves, from the model, so the contract shows its
contents without asking Word to "update fields" (no ``w:updateFields``) and
LibreOffice, which keeps a TOC's cached text, prints it as is.

Page numbers are left out of the cache: only a layout engine knows them and
a wrong number in a signed contract is a defect, while the entries (titles,
volets, articles) are exact. The field itself asks for page numbers, so
"Mettre à jour la table" in Word or LibreOffice adds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import fields
from .ooxml import esc_attr, paragraph, run

TOC_INSTRUCTION = 'TOC \\o "1-4" \\h \\z \\u'
HEADING = "Sommaire"


@dataclass(frozen=True)
class TocEntry:
    """A heading the table of contents lists, and the bookmark it points to."""

    level: int  # 1..4
    text: str
    bookmark: str


def bookmark_name(number: int) -> str:
    """Hidden bookmark names like Word's own TOC bookmarks (``_Toc…``); deterministic."""
    return f"_Toc{number:09d}"


def toc_xml(entries: list[TocEntry], styles: dict[str, str], *, page_break: bool = True) -> str:
    """The « Sommaire » heading and the TOC field; empty when there is nothing to list."""
    if not entries:
        return ""
    out = [paragraph(styles["toc_heading"], run(HEADING), page_break=page_break)]
    last = len(entries) - 1
    for i, entry in enumerate(entries):
        start = fields.field_start(TOC_INSTRUCTION) if i == 0 else ""
        end = fields.END if i == last else ""
        link = f'<w:hyperlink w:anchor="{entry.bookmark}" w:history="1">{run(entry.text)}</w:hyperlink>'
        out.append(paragraph(styles[f"toc{entry.level}"], f"{start}{link}{end}"))
    return "".join(out)


def bookmarked(content: str, bookmark_id: int, name: str) -> str:
    """Paragraph content wrapped in a bookmark (the target of a TOC entry)."""
    return (
        f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{esc_attr(name)}"/>{content}'
        f'<w:bookmarkEnd w:id="{bookmark_id}"/>'
    )
