"""The Contract a caller holds: the model's data, with its views at hand as methods.

:class:`csi_docgen.model.Contract` is pure data, and the views (plain text,
comparison, indicator records, .docx, HTML preview) each live in their own
module and import the model. This class adds nothing but convenience
methods that call those views, so the model never imports them. A view
module is imported only when its method is first called (``csi-docgen``
commands that do not write a .docx never load python-docx).
"""

from __future__ import annotations

from . import model


class Contract(model.Contract):
    """A whole contract (see :class:`csi_docgen.model.Contract` for its data)."""

    __slots__ = ()

    def text(self) -> str:
        """The whole contract as readable, diffable plain text."""
        from .text import contract_text

        return contract_text(self)

    def differences(self, other: model.Contract, before_name: str = "avant", after_name: str = "après") -> str:
        """What changed from this contract to ``other``, in French, under each article's heading.

        The result is a str (the report) carrying the structured parts too:
        ``.changes``, ``.renumbered``, ``.identical`` and ``.as_dict()``.
        """
        from .compare import differences_text

        return differences_text(self, other, before_name, after_name)

    def indicateurs(self) -> list[dict]:
        """Indicator rows as records: ``pandas.DataFrame(contract.indicateurs())``."""
        from .records import indicator_records

        return indicator_records(self)

    def indicateurs_csv(self, path=None) -> str:
        from .records import indicators_csv

        return indicators_csv(self, path)

    def to_docx(self, path, template=None) -> str:
        """Write the contract (with its annexes) to ``path``; return its SHA-256."""
        from .docx import write_docx

        return write_docx(self, path, template=template)

    def _repr_html_(self) -> str:
        from .preview import contract_html

        return contract_html(self)
