"""Header and footer: the contract's title, the initials line.

The template's header holds the placeholder ``[Titre du contrat]``; the
paragraph holding it receives the title (keeping that paragraph's first run
formatting). A drafter who removes the placeholder keeps the header exactly
as drawn. The initials table goes at the top of every footer.
"""

from __future__ import annotations

from lxml import etree

from .ooxml import R_NS, parse_fragment, text_content, w

PLACEHOLDER = "[Titre du contrat]"


def _parts(document, kind: str) -> list:
    """Header (``kind="header"``) or footer parts of the document, each once."""
    seen, parts = set(), []
    sect_pr = document.element.body.sectPr
    for ref in sect_pr.iterchildren(w(f"{kind}Reference")):
        rid = ref.get(f"{{{R_NS}}}id")
        if rid not in seen:
            seen.add(rid)
            parts.append(document.part.related_parts[rid])
    return parts


def fill_title(document, title: str) -> None:
    for part in _parts(document, "header"):
        for p in part.element.iter(w("p")):
            text = "".join(t.text or "" for t in p.iter(w("t")))
            if PLACEHOLDER not in text:
                continue
            first = p.find(w("r"))
            rpr = first.find(w("rPr")) if first is not None else None
            for child in list(p):
                if child.tag != w("pPr"):
                    p.remove(child)
            rpr_xml = etree.tostring(rpr, encoding="unicode") if rpr is not None else ""
            (new_run,) = parse_fragment([f"<w:r>{rpr_xml}{text_content(text.replace(PLACEHOLDER, title))}</w:r>"])
            p.append(new_run)


def add_initials(document, table_xml: str) -> None:
    for part in _parts(document, "footer"):
        (table,) = parse_fragment([table_xml])
        part.element.insert(0, table)
