"""Usage errors of the command line: exit 2, one French line, never a traceback nor English."""

from __future__ import annotations

import re

import pytest

from outils_robustesse import EXAMPLES, assert_no_traceback, run_cli

BOURGES = str(EXAMPLES / "bourges.yaml")
ENGLISH = re.compile(r"\b(Invalid|invalid value|does not|is not|Error|Usage:|Missing|No such|Got unexpected|requires an argument|Try )")

# (case, arguments, exit code, French message fragment)
CASES = [
    ("commande-inconnue", ["construire"], 2, "erreur d'utilisation : commande inconnue : « construire »"),
    ("option-inconnue", ["valider", "--nope", BOURGES], 2, "erreur d'utilisation : option inconnue : --nope"),
    ("option-globale-inconnue", ["--zut"], 2, "erreur d'utilisation : option inconnue : --zut"),
    ("profil-absent", ["valider", "absent.yaml"], 2, "« absent.yaml » n'existe pas"),
    ("build-sans-profil", ["build"], 2, "erreur d'utilisation : argument manquant : PROFIL.yaml [PROFIL…]"),
    ("clause-sans-identifiant", ["clause"], 2, "argument manquant : IDENTIFIANT"),
    ("clause-inconnue", ["clause", "etat-justice-gtld"], 2, "clause « etat-justice-gtld » inconnue (vouliez-vous dire « etat-justice-gltd » ?)"),
    ("volet-inconnu", ["clauses", "--volet", "justise"], 2, "volet « justise » inconnu (vouliez-vous dire « justice » ?)"),
    ("partie-inconnue", ["clauses", "--partie", "etta"], 2, "partie « etta » inconnue"),
    ("schema-inconnu", ["schema", "zut"], 2, "« zut » ne fait pas partie des choix : profil, clause"),
    ("type-inconnu", ["init", "Vierzon", "--type", "village"], 2, "valeur invalide pour --type : « village » ne fait pas partie des choix"),
    ("processus-texte", ["build", "-j", "abc", BOURGES], 2, "valeur invalide pour -j / --processus : « abc » n'est pas un nombre entier"),
    ("processus-negatif", ["build", "-j", "-1", BOURGES, BOURGES], 2, "valeur invalide pour -j / --processus : « -1 » : au moins 0 attendu"),
    ("option-sans-valeur", ["build", BOURGES, "-o"], 2, "l'option -o attend une valeur"),
    ("drapeau-avec-valeur", ["build", "--pdf=oui", BOURGES], 2, "l'option --pdf ne prend pas de valeur"),
    ("modele-absent", ["build", "--modele", "absent.docx", BOURGES], 2, "modèle introuvable : « absent.docx »"),
    ("modele-dossier", ["build", "--modele", str(EXAMPLES), BOURGES], 2, "est un dossier, pas un fichier"),
    ("sortie-fichier", ["build", "-o", BOURGES, BOURGES], 2, f"valeur invalide pour -o / --sortie : « {BOURGES} » est un fichier, pas un dossier"),
    ("clauses-fichier", ["verifier-clauses", BOURGES], 2, f"« {BOURGES} » n'est pas un dossier"),
    ("dossier-sans-profil", ["valider", str(EXAMPLES / "annexes")], 2, "aucun profil .yaml trouvé dans les dossiers donnés"),
    ("argument-en-trop", ["schema", "profil", "clause"], 2, "argument(s) en trop"),
]


@pytest.mark.parametrize("case, args, code, fragment", CASES, ids=[c[0] for c in CASES])
def test_usage_errors(case, args, code, fragment):
    result = run_cli(*args)
    assert_no_traceback(result.output)
    assert result.exit_code == code, result.output
    assert fragment in result.output, result.output
    assert not ENGLISH.search(result.output), result.output


def test_init_into_an_impossible_place(tmp_path):
    (tmp_path / "fichier").write_text("x")
    target = tmp_path / "fichier" / "vierzon.yaml"
    result = run_cli("init", "Vierzon", "-o", target)
    assert_no_traceback(result.output)
    assert result.exit_code == 1
    assert f"erreur : {tmp_path / 'fichier'} : impossible d'écrire dans ce dossier (un fichier de ce nom existe déjà)" in result.output
    assert (tmp_path / "fichier").read_text() == "x"


def test_clause_with_a_broken_library_exits_1(make_tree):
    root = make_tree({"bibliotheque.yaml": "volets: [\n"})
    for args in (["clause", "x", "--clauses", root], ["clauses", "--clauses", root], ["valider", BOURGES, "--clauses", root]):
        result = run_cli(*args)
        assert_no_traceback(result.output)
        assert result.exit_code == 1, result.output
        assert "lib/bibliotheque.yaml:2" in result.output and "YAML mal formé" in result.output


def test_debug_shows_the_trace_only_when_asked(tmp_path):
    """--debug is the one way to get a traceback: the error is re-raised for the developer."""
    from csi_docgen.errors import CsiError

    bad = tmp_path / "vide.yaml"
    bad.write_text("")
    result = run_cli("valider", bad)
    assert result.exit_code == 1 and "profil vide" in result.output
    result = run_cli("build", bad, "-o", tmp_path / "sortie")
    assert result.exit_code == 1 and "profil vide" in result.output
    with pytest.raises(CsiError):
        run_cli("--debug", "clause", "x", "--clauses", tmp_path / "absent")


@pytest.mark.parametrize(
    "case, content",
    [("pas-un-zip", b"pas un zip"), ("zip-sans-document", None), ("vide", b"")],
)
def test_unreadable_reference_template(tmp_path, case, content):
    """--modele with a file that is not a Word document: exit 1, French message, nothing written."""
    import zipfile

    from outils_robustesse import snapshot, writer_or_skip

    writer_or_skip()
    modele = tmp_path / "modele.docx"
    if content is None:
        with zipfile.ZipFile(modele, "w") as archive:
            archive.writestr("bonjour.txt", "pas un document Word")
    else:
        modele.write_bytes(content)
    out = tmp_path / "sortie"
    result = run_cli("build", BOURGES, "-o", out, "--modele", modele)
    assert_no_traceback(result.output)
    assert result.exit_code == 1, result.output
    assert "n'est pas un document Word (.docx) lisible" in result.output
    assert snapshot(out) == {}


def test_another_document_as_reference_template_still_gives_a_sound_docx(tmp_path):
    from outils_robustesse import ANNEX, audit, reread, writer_or_skip

    writer_or_skip()
    out = tmp_path / "sortie"
    result = run_cli("build", BOURGES, "-o", out, "--modele", ANNEX)
    assert result.exit_code == 0, result.output
    [written] = out.glob("*.docx")
    assert "Bourges" in reread(written)
    audit(written)


def test_pdf_without_libreoffice_is_a_french_error(tmp_path):
    from outils_robustesse import writer_or_skip

    writer_or_skip()
    empty = tmp_path / "vide"
    empty.mkdir()
    out = tmp_path / "sortie"
    result = run_cli("build", BOURGES, "-o", out, "--pdf", env={"PATH": str(empty), "CSI_SOFFICE": ""})
    assert_no_traceback(result.output)
    assert result.exit_code == 1, result.output
    assert "erreur : LibreOffice est nécessaire pour produire les PDF" in result.output
    assert not out.exists() or not any(out.iterdir())  # said before any contract is written
