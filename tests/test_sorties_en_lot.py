"""A batch never lets two profiles write one file: clashes are refused before anything is written."""

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from csi_docgen.cli import cli
from csi_docgen.outputs import clashes, outputs_of, path_key

from conftest import EXAMPLES

BOURGES = (EXAMPLES / "bourges.yaml").read_text(encoding="utf-8")


def _profile(folder: Path, file_name: str, nom: str = "Bourges", fin: int = 2026, extra: str = "") -> Path:
    text = BOURGES.replace("  nom: Bourges\n", f'  nom: "{nom}"\n', 1).replace("  fin: 2026\n", f"  fin: {fin}\n", 1)
    path = folder / file_name
    path.write_text(text + extra, encoding="utf-8")
    return path


@pytest.fixture
def work(tmp_path, example_copy, monkeypatch):
    """Profiles go in a copy of the examples (their annex beside them); outputs in a fresh current folder."""
    here = tmp_path / "ici"
    here.mkdir()
    monkeypatch.chdir(here)
    return example_copy


def _build(*args: str):
    result = CliRunner().invoke(cli, ["build", *args, "-j", "1"], catch_exceptions=False)
    written = sorted(str(p) for p in Path(".").rglob("*") if p.is_file() and p.suffix in (".docx", ".pdf"))
    return result, written


@pytest.mark.parametrize(
    "first, second",
    [
        ("Bourges", "Bourges"),  # two versions of one contract
        (unicodedata.normalize("NFC", "Orléans"), unicodedata.normalize("NFD", "Orléans")),
        ("Saint-Denis", "Saint Denis"),  # two cities, one slug
        ("Αθήνα", "Москва"),  # no Latin letter: both become « contrat »
    ],
)
def test_two_profiles_one_output_file_are_refused_before_writing(work, first, second):
    one = _profile(work, "v1.yaml", first)
    two = _profile(work, "v2.yaml", second)
    result, written = _build(str(one), str(two))
    assert result.exit_code == 1, result.output
    assert written == []
    assert f"« {one} » et « {two} » écriraient tous deux output/" in result.output
    assert "aucun contrat écrit : construisez ces profils séparément" in result.output
    assert "contrat(s) écrit(s)" not in result.output


def test_clash_in_one_output_folder_and_with_pdf(work):
    one = _profile(work, "a.yaml")
    two = _profile(work, "b.yaml")
    result, written = _build(str(one), str(two), "-o", "sortie", "--pdf")
    assert result.exit_code == 1 and written == []
    assert "écriraient tous deux sortie/CSI-bourges-2021-2026.docx" in result.output
    # The PDF of the same contract is named too: it would be overwritten as well.
    assert "écriraient tous deux sortie/CSI-bourges-2021-2026.pdf" in result.output


def test_distinct_outputs_build_and_a_broken_profile_is_not_a_clash(work):
    one = _profile(work, "a.yaml")
    two = _profile(work, "b.yaml", fin=2025)
    broken = work / "c.yaml"
    broken.write_text("collectivite: [\n", encoding="utf-8")
    result, written = _build(str(one), str(two), str(broken))
    assert result.exit_code == 1  # the broken one
    assert written == ["output/bourges/CSI-bourges-2021-2025.docx", "output/bourges/CSI-bourges-2021-2026.docx"]
    assert "2 contrat(s) écrit(s), 1 en erreur" in result.output


def test_path_keys_fold_case_and_unicode_forms(tmp_path):
    assert path_key(tmp_path / "CSI-Orléans.DOCX") == path_key(tmp_path / unicodedata.normalize("NFD", "csi-orléans.docx"))
    assert path_key(tmp_path / "a" / ".." / "x.docx") == path_key(tmp_path / "x.docx")
    assert path_key(tmp_path / "x.docx") != path_key(tmp_path / "y.docx")


def test_a_pdf_clashes_with_another_profiles_pdf_only_name(tmp_path):
    plans = [("p1.yaml", outputs_of(tmp_path / "A.docx", True)), ("p2.yaml", [tmp_path / "a.PDF"])]
    [message] = clashes(plans)
    assert message.startswith("« p1.yaml » et « p2.yaml » écriraient tous deux")
    assert "désignent le même fichier" in message
    assert clashes([("p.yaml", outputs_of(tmp_path / "A.docx", True))]) == []


def test_output_file_docx_with_one_profile_is_a_file(work):
    result, written = _build(str(EXAMPLES / "bourges.yaml"), "-o", "contrat.docx")
    assert result.exit_code == 0, result.output
    assert written == ["contrat.docx"]
    assert result.output.splitlines()[-1].startswith("contrat.docx  sha256:")  # after the warnings, if any


def test_output_file_docx_with_several_profiles_is_a_usage_error(work):
    result, written = _build(str(EXAMPLES / "bourges.yaml"), str(EXAMPLES / "clermont-ferrand.yaml"), "-o", "contrat.docx")
    assert result.exit_code == 2 and written == []
    assert "-o « contrat.docx » est un fichier .docx : il ne vaut que pour un seul profil (2 profils donnés)" in result.output


def test_output_named_like_a_pdf_is_a_usage_error_not_a_folder(work):
    result, written = _build(str(EXAMPLES / "bourges.yaml"), "-o", "contrat.pdf")
    assert result.exit_code == 2 and written == []
    assert "-o « contrat.pdf » : un fichier de sortie se termine par .docx, sinon c'est un dossier" in result.output
    assert "(pour un PDF : -o contrat.docx --pdf écrit aussi contrat.pdf à côté)" in result.output
    assert not Path("contrat.pdf").exists()


@pytest.mark.parametrize("nom", ["Bourges", "L'Isle-d'Abeau", unicodedata.normalize("NFD", "Orléans"), "Αθήνα"])
def test_planned_path_is_the_path_written(work, tmp_path, nom):
    from csi_docgen.api import build, planned_output

    profile = _profile(work, "p.yaml", nom)
    for output, output_dir in ((None, None), (None, tmp_path / "d"), (tmp_path / "f.docx", None)):
        assert build(profile, output, output_dir=output_dir).path == planned_output(profile, output, output_dir)
