"""Runaway inputs and unusual files: bounded in time and memory, refused at once in French.

A clause written in a profile runs under a rendering budget (loops, ``~``,
``*``, rendered size); every input must be a regular file (a FIFO or a
device would block a read forever); ``comparer`` stays linear on long
contracts. Each case ends in a French error (exit 1, nothing written) or a
good result, within 20 s.
"""

from __future__ import annotations

import os
import sys
import time

import pytest

from outils_robustesse import assert_no_traceback, base_profile, replaced, run_cli, snapshot

INLINE_TEXT = "L'État et {{ collectivite.sujet }} accompagnent {{ public }}."


def profile_with_clause(folder, text: str, *, items: int = 0) -> object:
    text = "{{ public }} : " + text  # every declared parameter is used
    body = "\n".join("          " + line for line in text.split("\n"))
    profile = replaced("          " + INLINE_TEXT, body)
    if items:
        profile = replaced(
            "          public:\n            type: texte\n            description: Public accompagné\n",
            "          public:\n            type: texte\n            description: Public accompagné\n"
            "          zones:\n            type: liste\n            description: Zones\n",
            profile,
        )
        profile = replaced(
            "          public: les personnes sans domicile\n",
            "          public: les personnes sans domicile\n          zones: [" + ", ".join(f"z{i}" for i in range(items)) + "]\n",
            profile,
        )
    path = folder / "exempleville.yaml"
    path.write_text(profile, encoding="utf-8")
    return path


RUNAWAY = [
    ("boucles-imbriquees", "{% for a in zones %}{% for b in zones %}{% for c in zones %}x{% endfor %}{% endfor %}{% endfor %}",
     1000, "trop de tours de boucle"),
    ("concatenation-doublee", "{% set x = 'abcdefgh' %}" + "{% set x = x ~ x %}" * 40 + "{{ x }}", 0,
     "texte trop long produit par « ~ »"),
    ("concatenation-en-boucle", "{% for a in zones %}{% set y = public ~ public ~ public %}{{ y }}{% endfor %}", 1000, ""),
    ("travail-en-boucle", "{% for a in zones %}{% for b in zones %}{% set y = (public ~ a) * 200 %}{% endfor %}{% endfor %}",
     140, "trop de texte construit"),
    ("sortie-enorme", "{% for a in zones %}{% for b in zones %}" + "x" * 200 + "{% endfor %}{% endfor %}", 140,
     "texte produit trop long"),
]


@pytest.mark.parametrize("case, text, items, fragment", RUNAWAY, ids=[c[0] for c in RUNAWAY])
def test_runaway_clause_in_a_profile(tmp_path, case, text, items, fragment):
    profile = profile_with_clause(tmp_path, text, items=items)
    started = time.monotonic()
    result = run_cli("build", profile, "-o", tmp_path / "sortie")
    assert time.monotonic() - started < 20
    assert_no_traceback(result.output)
    if not fragment:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output
    assert fragment in result.output
    assert "exempleville.yaml" in result.output
    assert not (tmp_path / "sortie").exists() or not any((tmp_path / "sortie").iterdir())


def _fifo(path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("pas de tubes nommés sur ce système")
    os.mkfifo(path)


def test_fifo_as_profile_in_a_folder_and_as_annex(tmp_path):
    good = tmp_path / "exempleville.yaml"
    good.write_text(base_profile(), encoding="utf-8")
    _fifo(tmp_path / "tube.yaml")
    started = time.monotonic()
    result = run_cli("build", tmp_path / "tube.yaml", "-o", tmp_path / "sortie")
    assert result.exit_code == 1 and "ce n'est pas un fichier ordinaire" in result.output, result.output
    result = run_cli("build", tmp_path, "-o", tmp_path / "sortie2")
    assert_no_traceback(result.output)
    assert result.exit_code == 1 and "tube.yaml" in result.output and "ce n'est pas un fichier ordinaire" in result.output
    annexed = tmp_path / "annexe"
    annexed.mkdir()
    _fifo(annexed / "annexe.docx")
    (annexed / "p.yaml").write_text(
        replaced("annexes:\n  generees: [indicateurs, financement, socle, clauses]\n",
                 "annexes:\n  generees: [indicateurs, financement, socle, clauses]\n  externes:\n"
                 "    - titre: Tube\n      fichier: annexe.docx\n"),
        encoding="utf-8",
    )
    result = run_cli("build", annexed / "p.yaml", "-o", tmp_path / "sortie3")
    assert_no_traceback(result.output)
    assert result.exit_code == 1 and "ce n'est pas un fichier ordinaire" in result.output, result.output
    assert time.monotonic() - started < 20
    assert snapshot(tmp_path / "sortie3") == {}


def test_fifo_in_the_clause_library(tmp_path):
    import shutil

    from outils_robustesse import REPO

    library = tmp_path / "clauses"
    shutil.copytree(REPO / "clauses", library)
    profile = tmp_path / "exempleville.yaml"
    profile.write_text(base_profile(), encoding="utf-8")
    _fifo(library / "tube.md")
    result = run_cli("build", profile, "-o", tmp_path / "sortie", "--clauses", library)
    assert_no_traceback(result.output)
    assert result.exit_code == 1 and "ce n'est pas un fichier ordinaire" in result.output, result.output
    (library / "tube.md").unlink()
    (library / "bibliotheque.yaml").unlink()
    _fifo(library / "bibliotheque.yaml")
    result = run_cli("build", profile, "-o", tmp_path / "sortie", "--clauses", library)
    assert_no_traceback(result.output)
    assert result.exit_code == 1 and "ce n'est pas un fichier ordinaire" in result.output, result.output
    assert_no_traceback(run_cli("verifier-clauses", library).output)


def test_device_as_template(tmp_path):
    profile = tmp_path / "exempleville.yaml"
    profile.write_text(base_profile(), encoding="utf-8")
    result = run_cli("build", profile, "-o", tmp_path / "sortie", "--modele", "/dev/zero")
    assert_no_traceback(result.output)
    assert result.exit_code in (1, 2) and "/dev/zero" in result.output


def test_comparer_is_linear_on_repeated_paragraphs(tmp_path):
    repeated = "\n\n".join(["Paragraphe répété de la clause."] * 20_000)
    before = profile_with_clause(tmp_path, repeated)
    text = before.read_text(encoding="utf-8")
    first = "          Paragraphe répété de la clause."
    at = text.index(first, text.index(first) + 1)  # the second paragraph changes
    after = tmp_path / "apres.yaml"
    after.write_text(text[:at] + "          Paragraphe modifié au milieu." + text[at + len(first):], encoding="utf-8")
    started = time.monotonic()
    result = run_cli("comparer", before, after)
    assert time.monotonic() - started < 20
    assert_no_traceback(result.output)
    assert "+ Paragraphe modifié au milieu." in result.output, result.output[-2000:]
    assert result.output.count("- Paragraphe répété de la clause.") == 1


@pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin", reason="noms de fichiers en octets non UTF-8")
def test_file_names_that_are_not_utf8(tmp_path):
    """A profile (with a clause written in it) and an output folder whose names hold a byte
    that is not UTF-8, printed on a strict UTF-8 output: a contract, no traceback."""
    import subprocess

    from outils_robustesse import subprocess_env

    folder = os.fsencode(tmp_path)
    with open(folder + b"/profil-\xff.yaml", "wb") as handle:
        handle.write(base_profile().encode("utf-8"))
    result = subprocess.run(
        [sys.executable, "-m", "csi_docgen", "build", folder + b"/profil-\xff.yaml", "-o", folder + b"/sortie-\xfe"],
        capture_output=True, timeout=120, env=subprocess_env(PYTHONIOENCODING="utf-8:strict"),
    )
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert_no_traceback(output)
    assert result.returncode == 0, output
    written = os.listdir(folder + b"/sortie-\xfe")
    assert written == [b"CSI-exempleville-2021-2026.docx"]


UNCLEAR = [
    ("date-en-secondes", ("  date: 2021-09-01", "  date: 1626912000"), 1, "date attendue au format AAAA-MM-JJ"),
    ("emoji-echappe", ("presence_renforcee: en soirée", 'presence_renforcee: "en soirée \\ud83d\\ude00"'), 0, ""),
    ("nom-de-300-caracteres", ("  nom: Exempleville", "  nom: " + "Exempleville-sur-Loire " * 14), 0, ""),
]


@pytest.mark.parametrize("case, change, code, fragment", UNCLEAR, ids=[c[0] for c in UNCLEAR])
def test_unclear_cases_are_said_plainly(tmp_path, case, change, code, fragment):
    profile = tmp_path / "exempleville.yaml"
    profile.write_text(replaced(*change), encoding="utf-8")
    result = run_cli("build", profile, "-o", tmp_path / "sortie")
    assert_no_traceback(result.output)
    assert result.exit_code == code, result.output
    assert fragment in result.output
    assert "caractère de contrôle" not in result.output
    if code == 0:
        from outils_robustesse import reread

        (written,) = (tmp_path / "sortie").iterdir()
        assert len(written.name) < 120
        text = reread(written)
        if case == "emoji-echappe":
            assert "en soirée \U0001F600" in text
