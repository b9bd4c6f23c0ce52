"""csi-docgen: signable French contrats de sécurité intégrée from reusable clauses.

The public API, for notebooks and scripts::

    import csi_docgen as csi
    library = csi.load_library()                 # the shipped clause library
    contract = csi.contract_from("examples/bourges.yaml", library)
    print(contract.text())
    contract.to_docx("bourges.docx")

Everything is imported lazily so that ``csi-docgen --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys

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
    "assemble": "assemble",
    "build": "build",
    "contract_from": "build",
    "BuildResult": "build",
    "Contract": "contract",
    "to_pdf": "pdf",
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
    importlib.import_module(f".{module}", __name__)
    # Importing a submodule binds its name on the package ("build",
    # "assemble"): bind the exports of every loaded submodule now, so the
    # function always wins over the module of the same name.
    for export, owner in _EXPORTS.items():
        loaded = sys.modules.get(f"{__name__}.{owner}")
        if loaded is not None:
            globals()[export] = getattr(loaded, export)
    return globals()[name]


def __dir__():
    return __all__
