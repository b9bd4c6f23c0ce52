"""Ordered lists that each start at 1.

« List Number » carries its numbering in the template (``w:numPr`` in the
style). Paragraphs sharing one ``w:num`` form one list, so a second ordered
list would go on at 4, 5… Each ordered list of the contract therefore gets
its own ``w:num`` over the style's abstract numbering, with
``<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>``,
and its paragraphs point at it. The new ``numId`` values follow the
template's highest one, so they are the same on every build.
"""

from __future__ import annotations

from .ooxml import parse_fragment, w


class ListNumbering:
    def __init__(self, numbering, abstract_id: str | None):
        self._numbering = numbering
        self._abstract = abstract_id
        ids = [int(n.get(w("numId"))) for n in numbering.iterchildren(w("num"))]
        self._next = max(ids, default=0) + 1
        self._new: list[int] = []

    def restart(self) -> int | None:
        """A fresh ``numId`` for one ordered list, or None when the style has no numbering."""
        if self._abstract is None:
            return None
        num_id = self._next
        self._next += 1
        self._new.append(num_id)
        return num_id

    def flush(self) -> None:
        """Add the ``w:num`` elements handed out so far to the numbering part."""
        if not self._new:
            return
        xml = [
            f'<w:num w:numId="{n}"><w:abstractNumId w:val="{self._abstract}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            for n in self._new
        ]
        # w:num elements go after every w:abstractNum and before w:numIdMacAtCleanup.
        tail = self._numbering.find(w("numIdMacAtCleanup"))
        for el in parse_fragment(xml):
            if tail is not None:
                tail.addprevious(el)
            else:
                self._numbering.append(el)
        self._new.clear()
