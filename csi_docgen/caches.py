"""What csi-docgen remembers between builds in one process, and how to forget it.

Every cache holds the result of a pure function of immutable inputs (a
clause's text for given values, a rendered text's blocks, a typeset string, a body paragraph's XML, an annex
table's XML, the template with its external annexes merged, keyed by the
files' contents; the bytes of those files, per version of each file), so a rebuild gives the same bytes with or without them.
They matter when a contract is rebuilt many times in one process (a
notebook, a batch): only what changed is computed again. ``clear_caches``
frees their memory, and lets a benchmark measure a cold build.
"""

from __future__ import annotations

import sys


def clear_caches(*, templates: bool = True) -> None:
    """Forget what earlier builds computed; ``templates=False`` keeps the prepared templates."""
    from . import blocks, filememo, french, render
    from .docx import document, package, tables

    # Not imported when not loaded: importing csi_docgen.assemble would bind the
    # module, not the function, to csi_docgen.assemble (see __init__.py).
    assemble_module = sys.modules.get(f"{__package__}.assemble")
    if assemble_module is not None:
        assemble_module._INDICATOR_ROWS.clear()  # noqa: SLF001

    blocks._BLOCKS.clear()  # noqa: SLF001
    render._RENDERED.clear()  # noqa: SLF001
    french.typography.cache_clear()
    document._runs.cache_clear()  # noqa: SLF001
    document._heading_content.cache_clear()  # noqa: SLF001
    document._toc_xml.cache_clear()  # noqa: SLF001
    document._ARTICLES.clear()  # noqa: SLF001
    tables._data_table.cache_clear()  # noqa: SLF001
    if templates:
        package._cache.clear()  # noqa: SLF001
        filememo.clear()
