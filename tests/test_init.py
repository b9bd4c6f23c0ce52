"""`csi-docgen init`: a starter profile that is valid YAML whatever the name, says the right
qualité, names the file the user will check, and points only to what every installation has."""

import pytest
import yaml
from click.testing import CliRunner

from csi_docgen.cli import cli


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _init(*args):
    return CliRunner().invoke(cli, ["init", *args], catch_exceptions=False)


def _collectivite_signatory(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data, next(s for s in data["signataires"] if s["partie"] == "collectivite")


@pytest.mark.parametrize(
    "ville, kind, file_name, qualite",
    [
        ("Niort", "commune", "niort.yaml", "Le maire de Niort"),
        ("Orléans", "ville", "orleans.yaml", "Le maire d’Orléans"),
        ("Saint-Étienne", "metropole", "saint-etienne.yaml", "Le président de la métropole de Saint-Étienne"),
        (
            "Communauté de communes du Pays de Vierzon",
            "communaute-communes",
            "communaute-de-communes-du-pays-de-vierzon.yaml",
            "Le président de la Communauté de communes du Pays de Vierzon",
        ),
        ("Communauté d'agglomération Bourges Plus", "communaute-agglomeration", "communaute-d-agglomeration-bourges-plus.yaml",
         "Le président de la Communauté d'agglomération Bourges Plus"),
        ("Métropole de Lyon", "metropole", "metropole-de-lyon.yaml", "Le président de la Métropole de Lyon"),
        ("Ville: Test", "commune", "ville-test.yaml", "Le maire de Ville: Test"),
        ("Saint-Denis #974", "commune", "saint-denis-974.yaml", "Le maire de Saint-Denis #974"),
        ('Le "Bourg"', "commune", "le-bourg.yaml", 'Le maire de Le "Bourg"'),
    ],
)
def test_names_stay_whole_and_the_qualite_fits_the_kind(here, ville, kind, file_name, qualite):
    result = _init(ville, "--type", kind)
    assert result.exit_code == 0, result.output
    data, signatory = _collectivite_signatory(here / file_name)
    assert data["collectivite"]["nom"] == ville
    # A name that begins with its kind is no place: « Fait à Communauté de communes… » would not do.
    assert data["signature"]["lieu"] == ("À compléter" if ville.startswith(("Communauté", "Métropole")) else ville)
    assert signatory["qualite"] == qualite
    check = CliRunner().invoke(cli, ["valider", file_name])
    assert check.exit_code == 0, check.output  # no error; warnings are the checks' business


def test_the_hint_names_the_file_written(here):
    (here / "profils").mkdir()
    result = _init("Niort", "-o", "profils/niort 2026.yaml")
    assert result.exit_code == 0
    assert "puis « csi-docgen valider 'profils/niort 2026.yaml' »" in result.output
    text = (here / "profils" / "niort 2026.yaml").read_text(encoding="utf-8")
    assert "vérifiez : csi-docgen valider 'profils/niort 2026.yaml'\n" in text


def test_the_header_points_to_commands_not_to_repository_files(here):
    _init("Niort")
    header = [line for line in (here / "niort.yaml").read_text(encoding="utf-8").splitlines() if line.startswith("#")][:4]
    assert not any("README" in line or "examples/" in line for line in header)
    assert any("csi-docgen schema profil" in line for line in header)
    assert any("csi-docgen exporter" in line for line in header)


def test_strict_check_of_a_fresh_profile_fails_only_on_rules_the_checks_own(here):
    """The starter follows the current mandate (2026-2032) and lists the socle only: under
    --strict, only the values left to fill in (« À compléter ») stop it."""
    _init("Niort")
    result = CliRunner().invoke(cli, ["valider", "--strict", "niort.yaml"])
    leftovers = [line for line in result.output.splitlines() if line.startswith("avertissement") or line.startswith("erreur :")]
    # Only the values still to fill in: no period, socle or reciprocity rule fires on a fresh profile.
    assert leftovers and all("valeur à compléter" in line for line in leftovers), leftovers


def test_the_starter_shows_the_socle_key_the_documentation_recommends(here):
    _init("Niort")
    text = (here / "niort.yaml").read_text(encoding="utf-8")
    assert "# socle:\n#   IDENTIFIANT: {statut: non-retenue, motif: raison de l'écart}" in text
    assert "socle_ecarte" not in text


@pytest.mark.parametrize("ville", ["", "   "])
def test_an_empty_name_is_a_usage_error_and_writes_nothing(here, ville):
    result = CliRunner().invoke(cli, ["init", ville])
    assert result.exit_code == 2
    assert "le nom de la ville est vide (par exemple : csi-docgen init Vierzon)" in result.output
    assert list(here.iterdir()) == []


def test_an_intercommunality_chooses_its_council_itself(here):
    """The clause's default (« clspd ») is written for a commune: the starter of an intercommunality asks."""
    _init("Communauté de communes du Pays de Vierzon", "--type", "communaute-communes", "-o", "cc.yaml")
    text = (here / "cc.yaml").read_text(encoding="utf-8")
    assert "          conseil: À compléter   # clspd ou cispd\n" in text
    assert "  lieu: À compléter   # la commune où le contrat est signé\n" in text
    _init("Niort")
    assert "conseil:" not in (here / "niort.yaml").read_text(encoding="utf-8")
