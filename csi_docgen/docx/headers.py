"""Header and footer: the contract's title, the initials line.

The template's header holds the placeholder ``[Titre du contrat]``; the
paragraph holding it receives the title (keeping that paragraph's first run
formatting). A drafter who removes the placeholder keeps the header exactly
as drawn. The initials table goes at the top of every footer.

Both are marked once, when the package is prepared (:mod:`.package`), and
filled on each build by replacing the marks in the parts' XML.
"""

from __future__ import annotations

from lxml import etree

from .ooxml import R_NS, parse_fragment, text_content, w

PLACEHOLDER = "[Titre du contrat]"
_TITLE_MARK = "\ue100csi-docgen:titre:{}\ue100"
INITIALS_MARK = "<w:p><w:r><w:t>\ue100csi-docgen:paraphes\ue100</w:t></w:r></w:p>"


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


def mark_titles(document) -> dict[str, tuple[tuple[str, str], ...]]:
    """Give each paragraph holding the placeholder one marked run.

    Returns, per header part (zip name), the marks as they will appear in
    the saved XML with the paragraph text each one stands for.
    """
    marked: dict[str, tuple[tuple[str, str], ...]] = {}
    count = 0
    for part in _parts(document, "header"):
        slots = []
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
            mark = _TITLE_MARK.format(count)
            count += 1
            (new_run,) = parse_fragment([f"<w:r>{rpr_xml}<w:t>{mark}</w:t></w:r>"])
            p.append(new_run)
            slots.append((f"<w:t>{mark}</w:t>", text))
        if slots:
            marked[part.partname.membername] = tuple(slots)
    return marked


def fill_titles(xml: str, slots: tuple[tuple[str, str], ...], title: str) -> str:
    for mark, text in slots:
        xml = xml.replace(mark, text_content(text.replace(PLACEHOLDER, title)), 1)
    return xml


def mark_initials(document) -> tuple[str, ...]:
    """Put the initials mark at the top of every footer; return the footer parts (zip names)."""
    names = []
    for part in _parts(document, "footer"):
        (mark,) = parse_fragment([INITIALS_MARK])
        part.element.insert(0, mark)
        names.append(part.partname.membername)
    return tuple(names)
