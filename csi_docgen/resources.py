"""Where the shipped clause library and templates are.

In a source checkout they sit at the top of the repository, where drafters
find them; an installed wheel carries copies inside the package
(``csi_docgen/_data``). Both are found without looking at the current
directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = resources.files("csi_docgen").joinpath("_data", name)
    if installed.is_dir():
        return Path(str(installed))
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"{name}/ introuvable dans l'installation de csi-docgen")


def clauses_dir() -> Path:
    return _data_dir("clauses")


def templates_dir() -> Path:
    return _data_dir("templates")


def examples_dir() -> Path:
    return _data_dir("examples")
