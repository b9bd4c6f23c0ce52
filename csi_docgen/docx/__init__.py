"""The .docx writer: the only part of csi-docgen that knows OOXML.

Public API:

- :func:`write_docx` (``contract, path, template=None`` → SHA-256 hex);
- :func:`render_docx` (the same bytes, without writing);
- :func:`read_custom_properties` / :func:`read_manifest` (what a written
  contract says about its source and its clauses).

Modules: ``package`` (the template with its external annexes merged,
prepared once per version of those files), ``document`` (the body),
``toc`` and ``fields`` (TOC, PAGE, NUMPAGES), ``tables``, ``signature``,
``headers``, ``numbering``, ``sections``, ``annexes`` (external annexes via
docxcompose), ``properties``, ``reproducible`` (fixed bytes), ``template``,
``ooxml`` (XML strings).
"""

from .properties import read_custom_properties, read_manifest
from .writer import render_docx, write_docx

__all__ = ["write_docx", "render_docx", "read_custom_properties", "read_manifest"]
