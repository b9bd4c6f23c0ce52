"""What the user reads is French: plurals, default values, click's own strings, Jinja errors, units."""

import re

from click.testing import CliRunner

from csi_docgen.cli import cli

from conftest import EXAMPLES


def _run(*args):
    return CliRunner().invoke(cli, list(args))


def test_socle_annex_counts_in_the_singular(library, example_copy):
    from csi_docgen import contract_from

    path = example_copy / "un-ecart.yaml"
    text = (EXAMPLES / "bourges.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("  etat-securite-presence-voie-publique: {statut: non-traitee}\n", "  etat-securite-presence-voie-publique: {statut: non-retenue, motif: essai}\n")
        .replace("  generees: [indicateurs, financement]", "  generees: [indicateurs, financement, socle]"),
        encoding="utf-8",
    )
    annex = next(a for a in contract_from(path, library).annexes if a.intro and "mesures du socle" in a.intro)
    assert "5 retenues dans un article, 1 non retenue, 18 non traitées" in annex.intro


def test_clause_report_says_types_and_defaults_in_french():
    result = _run("clause", "collectivite-securite-videoprotection-csu")
    assert result.exit_code == 0
    assert "csu_h24 (oui ou non, par défaut : non)" in result.output
    assert "booleen" not in result.output and "false" not in result.output


def test_click_strings_are_french():
    result = _run("buil")
    assert result.exit_code == 2
    assert "commande inconnue : « buil » (vouliez-vous dire « build » ?)" in result.output
    assert "'build'" not in result.output
    init_help = " ".join(_run("init", "--help").output.split())
    assert "[default:" not in init_help and "(par défaut : commune)" in init_help
    help_text = " ".join(_run("build", "--help").output.split())
    assert "[x>=0]" not in help_text and "0 (par défaut) : un par cœur" in help_text
    result = _run("build", "-j", "-1", str(EXAMPLES / "bourges.yaml"))
    assert result.exit_code == 2 and "« -1 » : au moins 0 attendu" in result.output


def test_a_misspelt_option_close_to_several_names_gets_one_french_suggestion():
    result = _run("build", str(EXAMPLES / "bourges.yaml"), "--strci")
    assert result.exit_code == 2
    assert "option inconnue : --strci (vouliez-vous dire « --sortie » ou « --strict » ?)" in result.output
    assert "one of" not in result.output and "( (" not in result.output


def test_a_misspelt_choice_gets_a_suggestion(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _run("init", "Vierzon", "--type", "comune")
    assert result.exit_code == 2
    assert "« comune » ne fait pas partie des choix : commune, ville, metropole," in result.output
    assert result.output.split("\n")[0].endswith("etablissement-public (vouliez-vous dire « commune » ?)")
    result = _run("schema", "prfil")
    assert result.exit_code == 2 and "(vouliez-vous dire « profil » ?)" in result.output


def test_jinja_errors_read_as_french_sentences(library_copy):
    target = next(p for p in library_copy.rglob("collectivite-securite-renforcement-pm.md"))
    target.write_text(target.read_text(encoding="utf-8").replace("{% endif %}", "", 1), encoding="utf-8")
    result = _run("verifier-clauses", str(library_copy))
    assert result.exit_code == 1
    assert "Jinja attendait l'une des balises suivantes : « elif » ou « else » ou « endif ». Le bloc à fermer est « if »." in result.output
    assert not re.search(r"'\w+'", result.output)


def test_a_unit_without_its_singular_is_flagged_by_verifier_clauses(library_copy):
    target = next(p for p in library_copy.rglob("collectivite-securite-renforcement-pm.md"))
    text = target.read_text(encoding="utf-8")
    assert "    unite_singulier: policier municipal\n" in text
    target.write_text(text.replace("    unite_singulier: policier municipal\n", ""), encoding="utf-8")
    result = _run("verifier-clauses", str(library_copy))
    assert result.exit_code == 0  # a warning: the text is still valid
    assert (
        "avertissement : " in result.output and "collectivite-securite-renforcement-pm.md : paramètre « effectif_supplementaire » : "
        "« unite » (policiers municipaux) sans « unite_singulier » : la valeur 1 s'écrirait « un (1) policiers municipaux »"
    ) in result.output
    assert "bibliothèque valide" in result.output
