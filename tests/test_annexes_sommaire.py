"""Generated annexes only when they list something; the clause list out of the signed body; the PDF Sommaire's page numbers."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import soffice_or_skip

from csi_docgen import contract_from
from csi_docgen.docx import read_manifest


@pytest.fixture(scope="module")
def examples(library):
    from conftest import EXAMPLES

    return {name: contract_from(EXAMPLES / f"{name}.yaml", library) for name in ("bourges", "clermont-ferrand")}


def test_examples_have_no_empty_annex_and_no_clause_list(examples):
    clermont, bourges = examples["clermont-ferrand"], examples["bourges"]
    assert [a.kind for a in clermont.annexes] == ["indicateurs", "financement", "externe"]
    assert [a.kind for a in bourges.annexes] == ["indicateurs"]  # Bourges states no amount; the socle matrix is a drafting aid
    for contract in examples.values():
        assert all(a.table is None or a.table.rows for a in contract.annexes)
        assert "Aucun engagement du contrat ne comporte de montant" not in contract.text()
        assert "Empreinte SHA-256" not in contract.text()


def minimal(library, **overrides):
    profile = {
        "collectivite": {"nom": "Exempleville", "type": "commune"},
        "periode": {"debut": 2021, "fin": 2026},
        "signature": {"lieu": "Exempleville", "date": "2021-09-01"},
        "signataires": [{"partie": "etat", "qualite": "Le préfet"}, {"partie": "collectivite", "qualite": "Le maire"}],
        "volets": [{"volet": "securite", "clauses": [
            {"id": "ex-un", "titre": "Un", "partie": "etat", "texte": "L'État agit."},
            {"id": "ex-deux", "titre": "Deux", "partie": "collectivite", "texte": "La commune agit."},
        ]}],
        "socle_ecarte": [{"id": c.id, "motif": "Hors du champ de l'essai"} for c in library.socle],
    }
    profile.update(overrides)
    return profile


def test_an_annex_with_no_row_is_neither_produced_nor_announced(library):
    contract = contract_from(minimal(library, annexes={"generees": ["indicateurs", "financement", "socle", "clauses"]}), library)
    assert [(a.number, a.kind) for a in contract.annexes] == [(1, "socle"), (2, "clauses")]
    evaluation = next(a for a in contract.articles if a.title == "Suivi et évaluation annuelle")
    assert "annexe" not in evaluation.blocks[0].text


def test_the_clause_list_stays_in_the_properties_unless_asked_for(library, tmp_path):
    contract = contract_from(minimal(library), library)
    assert "clauses" not in [a.kind for a in contract.annexes]
    path = tmp_path / "contrat.docx"
    contract.to_docx(path)
    assert set(read_manifest(path)) == {"ex-un", "ex-deux"}
    asked = contract_from(minimal(library, annexes={"generees": ["clauses"]}), library)
    assert [a.kind for a in asked.annexes] == ["clauses"]


@pytest.mark.libreoffice
def test_pdf_sommaire_gives_the_page_of_every_heading(library, tmp_path, examples):
    from csi_docgen.pdf import to_pdf

    soffice_or_skip()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent")
    docx_path = tmp_path / "clermont.docx"
    digest = examples["clermont-ferrand"].to_docx(docx_path)
    [pdf] = to_pdf([docx_path], tmp_path)
    assert examples["clermont-ferrand"].to_docx(tmp_path / "encore.docx") == digest  # the .docx is untouched

    def page(number: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = [page(n) for n in range(1, int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) + 1)]
    entries = []
    for text in pages[1:5]:
        entries += re.findall(r"^((?:Article|Titre|Volet|Annexe) [^.\n]*?)\.{3,}\s*(\d+)$", text, re.M)
    assert len(entries) > 30
    last_toc_page = max(n for n, text in enumerate(pages, 1) if re.search(r"\.{10,}\s*\d+$", text, re.M))
    for title, number in entries:
        def squeezed(text: str) -> str:  # a long heading or entry wraps, maybe at a hyphen
            return re.sub(r"[\s\-]+", "", text)

        assert int(number) > last_toc_page, (title, number)
        assert squeezed(title) in squeezed(pages[int(number) - 1]), (title, number)
