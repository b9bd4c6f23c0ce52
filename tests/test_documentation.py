"""Every snippet of the documentation runs as written (README.md, examples/README.md, clauses/README.md)."""

import re
import shlex

import pytest
import yaml
from click.testing import CliRunner

from csi_docgen.cli import cli

from conftest import CLAUSES, EXAMPLES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def _complete(profile: dict, library) -> dict:
    """A snippet shows part of a profile: set aside the socle measures it does not keep."""
    kept = {c if isinstance(c, str) else c["id"] for v in profile.get("volets", []) for c in v.get("clauses", [])}
    kept |= {e["id"] for e in profile.get("socle_ecarte", [])} | set(profile.get("socle", {}))
    profile.setdefault("socle_ecarte", [])
    profile["socle_ecarte"] += [{"id": c.id, "motif": "hors de l'extrait"} for c in library.socle if c.id not in kept]
    return profile


def test_readme_first_command_makes_a_virtual_environment_and_the_second_is_ci(tmp_path):
    first, second = [line for line in _blocks(README, "bash")[0].splitlines() if line and not line.startswith("#")]
    steps = [shlex.split(step) for step in first.split(" && ")]
    assert steps[0] == ["python3", "-m", "venv", ".venv"]
    assert steps[1] == [".", ".venv/bin/activate"]
    assert steps[2] == ["pip", "install", "."]
    assert steps[3] == ["csi-docgen", "build", "examples/bourges.yaml"]
    assert second == "bash tests/lancer.sh"
    assert (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1] == second
    # The build step itself, as written, from the repository.
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(EXAMPLES / "bourges.yaml"), "-o", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_readme_profile_snippet_is_a_valid_profile(library):
    from csi_docgen import load_profile

    [snippet] = [b for b in _blocks(README, "yaml") if b.startswith("collectivite:")]
    profile = load_profile(_complete(yaml.safe_load(snippet), library), library)
    assert profile.data.collectivite.nom == "Clermont-Ferrand"


def test_readme_schema_commands(tmp_path):
    command = next(line for b in _blocks(README, "bash") for line in b.splitlines() if line.startswith("csi-docgen schema"))
    args = shlex.split(command.split(">")[0])[1:]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0 and '"collectivite"' in result.output


def test_examples_readme_volets_snippet_is_valid(library):
    from csi_docgen import load_profile

    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    [snippet] = [b for b in _blocks(text, "yaml") if "volets:" in b]
    head = yaml.safe_load((EXAMPLES / "bourges.yaml").read_text(encoding="utf-8"))
    profile = {k: head[k] for k in ("collectivite", "periode", "signature", "signataires")}
    profile.update(yaml.safe_load(snippet))
    loaded = load_profile(_complete(profile, library), library, base_dir=EXAMPLES)
    assert [v.key for v in loaded.volets][:2] == ["education", "prevention-sociale"]


def test_clauses_readme_example_clause_is_valid(library_copy):
    from csi_docgen import check_library

    text = (CLAUSES / "README.md").read_text(encoding="utf-8")
    clause = _blocks(text, "markdown")[0]
    ident = re.search(r"^id: (\S+)$", clause, re.M).group(1)
    [original] = [p for p in library_copy.rglob("*.md") if p.name != "README.md" and re.search(rf"^id: {ident}$", p.read_text(encoding="utf-8"), re.M)]
    original.write_text(clause, encoding="utf-8")
    _, issues = check_library(library_copy)
    assert [i for i in issues if i.severity == "erreur"] == []
    result = CliRunner().invoke(cli, ["verifier-clauses", str(library_copy)], catch_exceptions=False)
    assert result.exit_code == 0 and "bibliothèque valide" in result.output


@pytest.mark.libreoffice
def test_readme_pdf_command(tmp_path, monkeypatch):
    from conftest import soffice_or_skip

    soffice_or_skip()
    [block] = [b for b in _blocks(README, "bash") if "--pdf" in b]
    args = shlex.split(block.strip())[1:]
    monkeypatch.chdir(REPO)
    expanded = [str(p.relative_to(REPO)) for p in sorted(EXAMPLES.glob("*.yaml"))] if "examples/*.yaml" in args else []
    args = [a for a in args if a != "examples/*.yaml"] + expanded + ["-o", str(tmp_path)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [
        "CSI-bourges-2021-2026.pdf", "CSI-clermont-ferrand-2021-2026-avenant-1.pdf", "CSI-clermont-ferrand-2021-2026.pdf"
    ]


def test_readme_announces_the_warnings_of_the_first_build(library):
    """A new user's first command prints the socle warnings of Bourges: the README says how many, and why."""
    from csi_docgen import check_profile

    verdict = check_profile(EXAMPLES / "bourges.yaml", library)
    untreated = [i for i in verdict.issues if i.message.startswith("mesure du socle non traitée")]
    flat = " ".join(README.split())
    assert f"les {len(untreated)} avertissements « mesure du socle non traitée » qui l'accompagnent sont attendus" in flat
