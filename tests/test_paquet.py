"""What the wheel carries: the library, the template, the fixed articles, the examples, the licence;
no developer script. And the `exporter` command that gets them out for a wheel user."""

import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from csi_docgen.cli import cli

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("roue")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check", "-w", str(out), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        pytest.skip(f"pip wheel impossible ici : {result.stderr[-300:]}")
    [path] = out.glob("csi_docgen-*.whl")
    return path


@pytest.mark.slow
def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = [n for n in names if n.startswith("csi_docgen/_data/")]
    assert "csi_docgen/_data/templates/reference.docx" in data
    assert "csi_docgen/_data/templates/articles/01-objet.md" in data
    assert "csi_docgen/_data/examples/bourges.yaml" in data
    assert "csi_docgen/_data/examples/annexes/convention-coordination-pm-pn.docx" in data
    assert "csi_docgen/_data/clauses/bibliotheque.yaml" in data
    assert not [n for n in data if n.endswith(".py")], "developer scripts stay in the repository"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata


def test_exporter_copies_what_a_wheel_user_needs_and_it_builds(tmp_path):
    target = tmp_path / "ma-bibliotheque"
    runner = CliRunner()
    result = runner.invoke(cli, ["exporter", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (target / "clauses" / "bibliotheque.yaml").is_file()
    assert (target / "modele" / "reference.docx").is_file() and (target / "modele" / "articles" / "01-objet.md").is_file()
    assert (target / "exemples" / "bourges.yaml").is_file()
    assert not list(target.rglob("*.py"))
    # The copied fixed articles are not read by the build: the user learns how a contract changes them.
    assert "un contrat change le texte de l'un d'eux par la clé « articles » de son profil" in result.output
    command = result.output.splitlines()[-1].split()
    assert command[:2] == ["csi-docgen", "build"]
    built = runner.invoke(cli, [*command[1:], "-o", str(tmp_path / "sortie")], catch_exceptions=False)
    assert built.exit_code == 0, built.output
    again = runner.invoke(cli, ["exporter", str(target)])
    assert again.exit_code == 2 and "existe déjà et n'est pas vide (ajoutez --force" in again.output
    assert runner.invoke(cli, ["exporter", str(target), "--force"]).exit_code == 0


def test_clause_shows_where_the_file_really_is():
    result = CliRunner().invoke(cli, ["clause", "etat-securite-securite-du-quotidien"], catch_exceptions=False)
    shown = next(line for line in result.output.splitlines() if line.startswith("  fichier : "))
    from pathlib import Path

    assert Path(shown.split(" : ", 1)[1]).is_file()


def test_signed_file_records_the_tool_versions(tmp_path):
    import docx
    import lxml.etree

    from csi_docgen import __version__
    from csi_docgen.api import build
    from csi_docgen.docx import read_custom_properties

    result = build(REPO / "examples" / "bourges.yaml", tmp_path / "b.docx")
    props = read_custom_properties(result.path)
    assert props["csi-docgen:outils"] == f"csi-docgen {__version__} ; python-docx {docx.__version__} ; lxml {lxml.etree.__version__}"
