"""Real clients: LibreOffice converts a sample of the hostile documents of this battery.

One ``soffice --headless --convert-to pdf`` call, with a throwaway user
profile, for: the contract full of injection attempts, the one whose values
held control characters, a 100 000-character value and one with an external
annex. Skipped locally without LibreOffice; a failure under ``CI=true``.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import soffice_or_skip
from csi_docgen.api import build
from outils_robustesse import ANNEX, INJECTIONS, LONG, controls_profile, profile_with, replaced, reread, writer_or_skip

EXTERNES = "annexes:\n  generees: [indicateurs, financement, socle, clauses]\n"


def _sample(folder) -> list:
    shutil.copy(ANNEX, folder / "annexe.docx")
    profiles = {
        "injection": profile_with(INJECTIONS),
        "controles": controls_profile(),
        "long": replaced("presence_renforcee: en soirée", f"presence_renforcee: {json.dumps(LONG)}"),
        "annexe": replaced(EXTERNES, EXTERNES + "  externes:\n    - titre: Convention\n      fichier: annexe.docx\n"),
    }
    written = []
    for name, text in profiles.items():
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        target = folder / f"{name}.docx"
        build(path, target)
        reread(target)
        written.append(target)
    return written


@pytest.mark.libreoffice
def test_libreoffice_converts_the_hostile_documents(tmp_path):
    writer_or_skip()
    soffice = soffice_or_skip()
    documents = _sample(tmp_path)
    outdir = tmp_path / "pdf"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profil'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, documents),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    for document in documents:
        pdf = outdir / f"{document.stem}.pdf"
        assert pdf.exists(), (result.stdout, result.stderr)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, str(outdir / "injection.pdf"), "-"], capture_output=True, text=True, timeout=60).stdout
        flat = " ".join(text.split())
        assert "{{ 7*7 }}" in flat and "**gras**" in flat and "<w:p>" in flat
