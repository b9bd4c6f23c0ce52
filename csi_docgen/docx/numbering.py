"""Ordered lists that each start at 1.

« List Number » carries its numbering in the template (``w:numPr`` in the
style). Paragraphs sharing one ``w:num`` form one list, so a second ordered
list would go on at 4, 5… Each ordered list of the contract therefore gets
its own ``w:num`` over the style's abstract numbering, with
``<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>``,
and its paragraphs point at it. The new ``numId`` values follow the
prepared package's highest one, so they are the same on every build.
"""

from __future__ import annotations


class ListNumbering:
    def __init__(self, first_free_id: int, abstract_id: str | None):
        self._abstract = abstract_id
        self._next = first_free_id
        self._new: list[int] = []

    def restart(self) -> int | None:
        """A fresh ``numId`` for one ordered list, or None when the style has no numbering."""
        if self._abstract is None:
            return None
        num_id = self._next
        self._next += 1
        self._new.append(num_id)
        return num_id

    @property
    def abstract_id(self) -> str | None:
        """The abstract numbering the ordered lists use (None: the template numbers none)."""
        return self._abstract

    @property
    def next_id(self) -> int:
        """The ``numId`` the next ordered list will get."""
        return self._next

    @property
    def handed_out(self) -> int:
        """How many ``numId`` were handed out so far."""
        return len(self._new)

    def xml(self) -> str:
        """The ``w:num`` elements handed out, to put after the numbering part's last ``w:num``."""
        return "".join(
            f'<w:num w:numId="{n}"><w:abstractNumId w:val="{self._abstract}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            for n in self._new
        )
