"""Comparing two versions of a contract: what a négociation round or an avenant changes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from csi_docgen.api import contract_from
from csi_docgen.cli import cli
from csi_docgen.compare import differences, renumbered


def edited_copy(before, name: str, *replacements: tuple[str, str]):
    """``before`` and a copy of it named ``name`` with each (old, new) replaced once (each old must be there)."""
    text = before.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    after = before.with_name(name)
    after.write_text(text, encoding="utf-8")
    return before, after


@pytest.fixture
def versions(example_copy):
    return edited_copy(
        example_copy / "bourges.yaml",
        "bourges-avenant.yaml",
        ("cameras_par_an: 10", "cameras_par_an: 12"),
        ("      - commun-securite-participation-citoyenne\n", ""),
    )


def test_a_changed_figure_shows_under_its_article(library, versions):
    before, after = (contract_from(p, library) for p in versions)
    change = differences(before, after)[0]
    assert change.heading == "Article 3 — Vidéoprotection et centre de supervision urbain"
    assert [line[:2] for line in change.lines] == ["- ", "+ "]
    assert "dix (10) nouvelles caméras par an" in change.lines[0]
    assert "douze (12) nouvelles caméras par an" in change.lines[1]


def test_a_removed_clause_is_one_change_and_the_renumbering_one_line(library, versions):
    before, after = (contract_from(p, library) for p in versions)
    removed = [c for c in differences(before, after) if any("Protocole de participation citoyenne [" in line for line in c.lines)]
    assert len(removed) == 1
    heading = removed[0].heading  # numbered as in the version that had it
    assert heading.startswith("Article ") and heading.endswith("— Protocole de participation citoyenne")
    number = int(heading.split()[1])
    assert all(line.startswith("- ") for line in removed[0].lines)
    # The articles after it are not reported as changed, only renumbered.
    assert renumbered(before, after)[0][1:] == (number + 1, number)
    report = before.differences(after, "bourges.yaml", "bourges-avenant.yaml")
    assert report.startswith("Différences de « bourges.yaml » à « bourges-avenant.yaml »")
    last = max(a.number for a in before.articles)
    assert f"  les articles {number + 1} à {last} deviennent les articles {number} à {last - 1}" in report


def test_no_difference(library, versions):
    contract = contract_from(versions[0], library)
    assert contract.differences(contract) == "Aucune différence entre « avant » et « après ».\n"


def test_comparer_command(versions):
    result = CliRunner().invoke(cli, ["comparer", *map(str, versions)], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # as diff: 1 when the versions differ
    assert "Article 3 — Vidéoprotection" in result.output
    assert "+ La Ville s’engage à poursuivre le développement de son dispositif de vidéoprotection" in result.output
    missing = CliRunner().invoke(cli, ["comparer", str(versions[0]), "absent.yaml"])
    assert missing.exit_code == 2 and "« absent.yaml » n'existe pas" in missing.output


def test_comparer_with_a_broken_version_says_where(versions):
    before, after = versions
    after.write_text(after.read_text(encoding="utf-8").replace("cameras_par_an: 12", "cameras_par_an: douze"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["comparer", str(before), str(after)])
    assert result.exit_code == 2  # as diff: 2 for trouble (1 means « they differ »)
    assert f"erreur : {after}:" in result.output and "nombre entier attendu, reçu « douze »" in result.output


def test_the_parties_block_and_who_is_present_are_compared(library, example_copy):
    before, after = edited_copy(
        example_copy / "clermont-ferrand.yaml",
        "clermont-ferrand-v2.yaml",
        ("    instance: conseil municipal\n", "    instance: conseil municipal\n    numero: 2021-154\n"),
        ("    nom: Éric MAILLAUD\n", "    nom: Jean DUPONT\n"),
    )
    changes = {c.heading: c.lines for c in differences(contract_from(before, library), contract_from(after, library))}
    assert [line[:2] for line in changes["Parties"]] == ["- ", "+ "]
    assert "délibération du conseil municipal n°\u00a02021-154" in changes["Parties"][1]
    assert list(changes["Signatures"]) == [
        "- En présence de Le procureur de la République près le tribunal judiciaire de Clermont-Ferrand : Éric MAILLAUD",
        "+ En présence de Le procureur de la République près le tribunal judiciaire de Clermont-Ferrand : Jean DUPONT",
    ]
