"""The command line: each command's success and failure paths, exact exit codes."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from csi_docgen.cli import cli

from conftest import EXAMPLES, REPO


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_version_and_help(run):
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("csi-docgen ")
    result = run("--help")
    assert result.exit_code == 0
    assert "Utilisation : csi-docgen" in result.output and "Commandes :" in result.output
    for command in ("build", "valider", "comparer", "clauses", "clause", "verifier-clauses", "init", "schema"):
        sub = run(command, "--help")
        assert sub.exit_code == 0 and "Afficher cette aide et quitter." in sub.output, command


def test_usage_errors_exit_2_in_french(run):
    result = run("construire")
    assert result.exit_code == 2
    assert "erreur d'utilisation : commande inconnue : « construire »" in result.output
    result = run("valider", "--nope", "x.yaml")
    assert result.exit_code == 2 and "option inconnue : --nope" in result.output
    result = run("valider", "absent.yaml")
    assert result.exit_code == 2 and "« absent.yaml » n'existe pas" in result.output


def test_valider_ok_and_english_alias(run):
    result = run("valider", str(EXAMPLES / "bourges.yaml"), str(EXAMPLES / "clermont-ferrand.yaml"))
    assert result.exit_code == 0, result.output
    assert result.output.count("profil valide") == 2
    assert run("validate", str(EXAMPLES / "bourges.yaml")).exit_code == 0


def test_valider_reports_file_line_and_exits_1(run, example_copy):
    path = example_copy / "bourges.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cameras_par_an: 10", "cameras_par_an: dix"), encoding="utf-8")
    result = run("valider", str(path))
    assert result.exit_code == 1
    assert f"erreur : {path}:" in result.output
    assert "paramètre « cameras_par_an » : nombre entier attendu, reçu « dix »" in result.output


def test_valider_strict_turns_warnings_into_errors(run, example_copy):
    path = example_copy / "bourges.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  fin: 2026", "  fin: 2028"), encoding="utf-8")
    assert run("valider", str(path)).exit_code == 0
    result = run("valider", "--strict", str(path))
    assert result.exit_code == 1 and "au-delà de la fin du mandat municipal en cours à son début (2020-2026)" in result.output


def test_clauses_table_and_filters(run):
    result = run("clauses", "--socle")
    assert result.exit_code == 0
    assert "24 clause(s), dont 24 du socle" in result.output
    result = run("clauses", "--volet", "justice", "--partie", "etat")
    assert "etat-justice-gltd" in result.output and "collectivite-" not in result.output
    result = run("clauses", "--volet", "justise")
    assert result.exit_code == 2 and "vouliez-vous dire « justice » ?" in result.output


def test_clause_shows_header_and_rendered_text(run):
    result = run("clause", "collectivite-securite-videoprotection-csu")
    assert result.exit_code == 0
    assert "socle : oui" in result.output
    assert "cameras_par_an (nombre entier, facultatif" in result.output
    assert "La commune s’engage" in result.output
    result = run("clause", "etat-justice-gtld")
    assert result.exit_code == 2 and "vouliez-vous dire « etat-justice-gltd » ?" in result.output


def test_verifier_clauses_ok_and_broken(run, library_copy):
    result = run("verifier-clauses")
    assert result.exit_code == 0 and "bibliothèque valide : " in result.output
    broken = library_copy / "etat" / "justice" / "etat-justice-gltd.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("volet: justice", "volet: justise"), encoding="utf-8")
    result = run("lint", str(library_copy))
    assert result.exit_code == 1
    assert "clauses/etat/justice/etat-justice-gltd.md:4:8 : volet « justise » inconnu de bibliotheque.yaml (vouliez-vous dire « justice » ?)" in result.output


def test_init_writes_a_valid_starter_with_every_socle_measure(run, tmp_path, library):
    target = tmp_path / "vierzon.yaml"
    result = run("init", "Vierzon", "-o", str(target))
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert all(c.id in text for c in library.socle)
    checked = run("valider", str(target))
    assert checked.exit_code == 0
    warnings = [l for l in checked.output.splitlines() if l.startswith("avertissement : ")]
    # Only the values still to fill in: no socle, period or reciprocity warning.
    assert warnings and all("valeur à compléter" in w for w in warnings), warnings
    assert "situation: À compléter" in text
    refused = run("build", "--strict", str(target), "-o", str(tmp_path / "sortie"))
    assert refused.exit_code == 1 and "valeur à compléter" in refused.output
    again = run("init", "Vierzon", "-o", str(target))
    assert again.exit_code == 2 and "existe déjà" in again.output


def test_schema_is_json_for_profiles_and_clauses(run):
    profile = json.loads(run("schema").output)
    assert "collectivite" in profile["properties"]
    clause = json.loads(run("schema", "clause").output)
    assert set(clause["required"]) >= {"id", "titre", "volet", "partie", "socle", "source", "version"}


def test_help_does_not_import_docx_or_lxml():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "csi_docgen", "--help"],
        capture_output=True, text=True, cwd=REPO, check=True,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert not imported & {"docx", "docxcompose", "lxml", "pydantic", "jinja2"}, imported & {"docx", "docxcompose", "lxml"}


def test_build_writes_the_contract_and_prints_its_fingerprint(run, tmp_path):
    out = tmp_path / "un-dossier"
    result = run("build", str(EXAMPLES / "bourges.yaml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    target = out / "CSI-bourges-2021-2026.docx"
    assert target.is_file()
    import hashlib

    assert f"{target}  sha256:{hashlib.sha256(target.read_bytes()).hexdigest()}" in result.output


def test_build_a_folder_with_a_broken_profile(run, example_copy, tmp_path):
    broken = example_copy / "casse.yaml"
    broken.write_text((example_copy / "bourges.yaml").read_text(encoding="utf-8").replace("cameras_par_an: 10", "cameras_par_an: dix"), encoding="utf-8")
    out = tmp_path / "sortie"
    result = run("build", str(example_copy), "-o", str(out), "-j", "2")
    assert result.exit_code == 1
    assert sorted(p.name for p in out.glob("*.docx")) == [
        "CSI-bourges-2021-2026.docx", "CSI-clermont-ferrand-2021-2026-avenant-1.docx", "CSI-clermont-ferrand-2021-2026.docx"
    ]
    line = next(n for n, l in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1) if "cameras_par_an" in l)
    assert f"{broken}:{line}:27 : paramètre « cameras_par_an » : nombre entier attendu, reçu « dix »" in result.output
    assert "3 contrat(s) écrit(s), 1 en erreur" in result.output


def test_readme_api_example_runs_as_written(tmp_path, monkeypatch):
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Depuis Python \(notebooks\)\n\n```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(EXAMPLES)
    (tmp_path / "output").mkdir()
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    contract = namespace["contract"]
    assert (tmp_path / "output" / "bourges.docx").is_file()
    assert len(namespace["rows"]) > 30 and namespace["csv_text"].startswith("article;engagement")
    assert namespace["report"].identical and namespace["data"]["changements"] == []
    assert "<h2>" in contract._repr_html_()
