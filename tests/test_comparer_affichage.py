"""How `comparer` shows and returns a difference: exit codes as diff, plain text, structured result, JSON."""

import json

import pytest
from click.testing import CliRunner

from csi_docgen.api import contract_from
from csi_docgen.cli import cli


@pytest.fixture
def versions_ok(example_copy):
    """Bourges with its socle annex, and an avenant: 12 cameras a year instead of 10, one socle measure not retained."""
    before = example_copy / "bourges.yaml"
    after = example_copy / "bourges-avenant.yaml"
    text = before.read_text(encoding="utf-8").replace("  generees: [indicateurs, financement]", "  generees: [indicateurs, financement, socle]")
    assert "socle_ecarte" not in text and "      - collectivite-justice-tig-tnr\n" in text
    before.write_text(text, encoding="utf-8")
    after.write_text(
        text.replace("cameras_par_an: 10", "cameras_par_an: 12").replace("      - collectivite-justice-tig-tnr\n", "")
        + "socle_ecarte:\n  - {id: collectivite-justice-tig-tnr, motif: aucun service ne peut accueillir de TIG}\n",
        encoding="utf-8",
    )
    return before, after


def test_removed_article_is_numbered_and_no_markdown_and_no_renumbering_noise(library, versions_ok):
    before, after = (contract_from(p, library) for p in versions_ok)
    report = before.differences(after, "avant.yaml", "apres.yaml")
    removed = before.articles[[a.clause_id for a in before.articles].index("collectivite-justice-tig-tnr")]
    assert f"- Article {removed.number} — {removed.title}\n" in report
    assert "- Article — " not in report and "[etat-securite" not in report
    assert "**" not in report
    assert "- La Ville s’engage à poursuivre le développement de son dispositif de vidéoprotection, en augmentant et en améliorant les zones couvertes, et à installer dix (10) nouvelles caméras par an." in report
    # Socle annex rows that differ only by their article number are left to the renumbering summary.
    socle = next(c for c in report.changes if c.heading.startswith("Annexe") and "socle" in c.heading)
    assert [line for line in socle.lines if "| retenue |" in line] == [
        f"- {removed.title} | Collectivité | Champ 2 — La justice | retenue | article"
    ]
    assert "Titre I — " in report or all(not c.heading.startswith("Titre ") for c in report.changes)


def test_structured_result(library, versions_ok):
    before, after = (contract_from(p, library) for p in versions_ok)
    report = before.differences(after)
    assert isinstance(report, str) and not report.identical
    data = report.as_dict()
    assert data["identiques"] is False
    video = next(c for c in data["changements"] if "Vidéoprotection" in c["titre"])
    assert "dix (10) nouvelles caméras" in video["retire"][0] and "douze (12) nouvelles caméras" in video["ajoute"][0]
    assert data["renumerotation"][0]["apres"] == data["renumerotation"][0]["avant"] - 1
    same = before.differences(before)
    assert same.identical and same.as_dict()["changements"] == []


def test_comparer_exit_codes_json_and_quiet(versions_ok):
    before, after = map(str, versions_ok)
    runner = CliRunner()
    assert runner.invoke(cli, ["comparer", before, before]).exit_code == 0
    result = runner.invoke(cli, ["comparer", before, after, "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["avant"] == "bourges.yaml" and any("Vidéoprotection" in c["titre"] for c in data["changements"])
    quiet = runner.invoke(cli, ["comparer", before, after, "-q"])
    assert quiet.exit_code == 1 and quiet.output == ""
