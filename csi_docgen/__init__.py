"""csi-docgen: signable French contrats de sécurité intégrée from reusable clauses.

The public API, for notebooks and scripts::

    import csi_docgen as csi
    library = csi.load_library()                 # the shipped clause library
    contract = csi.contract_from("examples/bourges.yaml", library)
    print(contract.text())
    contract.to_docx("bourges.docx")

Everything is imported lazily so that ``csi-docgen --help`` stays fast.

Where state lives: every piece has one owner, and there is nothing global
to clear (tests/test_caches.py edits every kind of input file between builds).

- A :class:`Library` is a snapshot of its files: its Jinja environment serves
  exactly its clauses and fixed articles, and its ``memo`` keeps rendered
  texts by content (template text and values) and profile texts read as YAML
  (by the text). ``load_library()`` reads every file again.
- A :class:`Profile` holds its inline clauses' templates in its own overlay,
  never in the library.
- ``csi_docgen.docx.package`` keeps the last prepared templates (the
  reference .docx with the external annexes merged), keyed by the SHA-256 of
  those files, which every build reads; each prepared template keeps the XML
  of the articles and tables written with it, by content.
- ``csi_docgen.values`` keeps pydantic's type adapters by parameter shape
  (type, bounds, choices): making one costs 0.4 to 0.8 ms, a profile checks
  dozens of values.
- The command line loads a library once per command (and per worker process).

benchmarks/RESULTS.md shows what each memo is worth (a rebuild against a build
with the memos emptied).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_library": "clauses",
    "check_library": "clauses",
    "Library": "clauses",
    "Clause": "clauses",
    "load_profile": "profile",
    "check_profile": "validation",
    "ProfileCheck": "validation",
    "Profile": "profile",
    "assemble": "assembly",
    "build": "api",
    "contract_from": "api",
    "BuildResult": "api",
    "Contract": "contract",
    "to_pdf": "pdf",
    "draw_avenant": "amend",
    "load_version": "avenant",
    "amendments": "changes",
    "Amendment": "changes",
    "CsiError": "errors",
    "InvalidInput": "errors",
    "UserError": "errors",
    "Issue": "errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'csi_docgen' has no attribute {name!r}")
    # No export shares its name with a submodule (tests/test_imports.py): importing
    # one never binds a module over a function of the same name.
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
