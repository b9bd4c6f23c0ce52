"""Shared fixtures: the shipped library, inline file-tree libraries, LibreOffice."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# The on-disk cache of prepared templates and compiled texts (csi_docgen.diskcache)
# lives in a folder of the test run, not in the user's cache folder.
os.environ.setdefault("CSI_DOCGEN_CACHE", tempfile.mkdtemp(prefix="csi-docgen-cache-"))
EXAMPLES = REPO / "examples"
CLAUSES = REPO / "clauses"


@pytest.fixture(scope="session")
def library():
    from csi_docgen import load_library

    return load_library()


@pytest.fixture
def make_tree(tmp_path):
    """Write ``{relative path: text}`` under a fresh folder and return it."""

    def make(files: dict[str, str], root: str = "lib") -> Path:
        base = tmp_path / root
        for name, text in files.items():
            target = base / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return base

    return make


@pytest.fixture
def library_copy(tmp_path):
    """A writable copy of the shipped clause library."""
    target = tmp_path / "clauses"
    shutil.copytree(CLAUSES, target)
    return target


@pytest.fixture
def example_copy(tmp_path):
    """A writable copy of the examples folder (profiles and annexes)."""
    target = tmp_path / "exemples"
    shutil.copytree(EXAMPLES, target)
    return target


def soffice_or_skip():
    """LibreOffice is the real client: skipped locally when absent, fatal on CI."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice (soffice) est absent alors que CI=true : .ci/run doit l'installer")
    pytest.skip("LibreOffice absent")
