"""Page geometry and section breaks (portrait body, landscape for wide tables).

A section's properties (``w:sectPr``) sit in the *last* paragraph of that
section; the last section's are the body's own ``w:sectPr``. A section
without header/footer references inherits the previous section's, but the
first one has nothing to inherit from, so every ``w:sectPr`` we write is a
copy of the template's, references included. Only the first section keeps
``w:titlePg`` (the cover's empty first-page header): on a later section it
would blank the header of that section's first page.
"""

from __future__ import annotations

import copy

from lxml import etree

from .ooxml import w


class Geometry:
    def __init__(self, body_sect_pr):
        self._sect_pr = body_sect_pr
        size = body_sect_pr.find(w("pgSz"))
        margins = body_sect_pr.find(w("pgMar"))
        width = int(size.get(w("w"), 11906)) if size is not None else 11906
        height = int(size.get(w("h"), 16838)) if size is not None else 16838
        self.portrait = (min(width, height), max(width, height))

        def margin(side: str, default: int = 1418) -> int:
            value = margins.get(w(side)) if margins is not None else None
            return int(value) if value is not None else default

        self._horizontal = margin("left") + margin("right")
        self.split = False

    @property
    def sect_pr(self):
        """The body's own ``w:sectPr`` (the last section's)."""
        return self._sect_pr

    def text_width(self, landscape: bool = False) -> int:
        """Width between the margins, in twips."""
        page = self.portrait[1] if landscape else self.portrait[0]
        return page - self._horizontal

    def _configure(self, sect_pr, landscape: bool, first: bool) -> None:
        size = sect_pr.find(w("pgSz"))
        if size is not None:
            short, long_ = self.portrait
            size.set(w("w"), str(long_ if landscape else short))
            size.set(w("h"), str(short if landscape else long_))
            if landscape:
                size.set(w("orient"), "landscape")
            elif w("orient") in size.attrib:
                del size.attrib[w("orient")]
        if not first:
            for title_pg in sect_pr.findall(w("titlePg")):
                sect_pr.remove(title_pg)

    def section_break(self, landscape: bool, first: bool) -> str:
        """The ``w:sectPr`` closing a section (to put in that section's last paragraph)."""
        sect_pr = copy.deepcopy(self._sect_pr)
        self._configure(sect_pr, landscape, first)
        self.split = True
        return etree.tostring(sect_pr, encoding="unicode")

    def finish(self, landscape: bool) -> None:
        """Set up the body's own ``w:sectPr``, which describes the last section."""
        self._configure(self._sect_pr, landscape, first=not self.split)
