"""What a terminal shows: colour only on a terminal and never with NO_COLOR, no progress line
when stderr is not a terminal, --quiet, --format json. Real processes, on a pseudo-terminal where it matters."""

import json
import os
import pty
import subprocess
import sys

import pytest

from conftest import EXAMPLES, REPO

ESC = "\x1b["


def _env(**extra):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def _on_terminal(args, cwd, **extra):
    """Run csi-docgen with stdout and stderr on a pseudo-terminal; return (exit code, what it showed)."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "csi_docgen", *args], stdin=slave, stdout=slave, stderr=slave,
                               env=_env(**extra), cwd=cwd)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return process.wait(timeout=120), shown.decode("utf-8", "replace")


def _piped(args, cwd, **extra):
    return subprocess.run([sys.executable, "-m", "csi_docgen", *args], capture_output=True, text=True,
                          env=_env(**extra), cwd=cwd, timeout=120)


@pytest.fixture
def warned(example_copy):
    """Bourges running to 2027: valid, with the period warning."""
    path = example_copy / "bourges-2027.yaml"
    path.write_text((example_copy / "bourges.yaml").read_text(encoding="utf-8").replace("  fin: 2026\n", "  fin: 2027\n"), encoding="utf-8")
    return path


def test_colour_on_a_terminal_only_and_never_with_no_color(tmp_path, warned):
    code, shown = _on_terminal(["valider", str(warned)], tmp_path)
    assert code == 0
    assert "avertissement" in shown and f"{ESC}33m" in shown  # yellow
    code, shown = _on_terminal(["valider", str(warned)], tmp_path, NO_COLOR="1")
    assert code == 0 and "avertissement" in shown and ESC not in shown
    piped = _piped(["valider", str(warned)], tmp_path)
    assert piped.returncode == 0 and "avertissement" in piped.stderr
    assert ESC not in piped.stdout + piped.stderr
    forced = _piped(["valider", str(warned)], tmp_path, FORCE_COLOR="1")
    assert ESC in forced.stderr


def test_comparer_colours_removed_and_added_lines(tmp_path, example_copy):
    after = example_copy / "apres.yaml"
    after.write_text((example_copy / "bourges.yaml").read_text(encoding="utf-8").replace("cameras_par_an: 10", "cameras_par_an: 12"), encoding="utf-8")
    code, shown = _on_terminal(["comparer", str(example_copy / "bourges.yaml"), str(after)], tmp_path)
    assert code == 1
    assert f"{ESC}31m- La Ville s’engage" in shown and f"{ESC}32m+ La Ville s’engage" in shown


def test_batch_progress_only_on_a_terminal_and_results_as_they_come(tmp_path, example_copy):
    out = tmp_path / "sortie"
    piped = _piped(["build", str(example_copy), "-o", str(out), "-j", "2"], tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert "Construction" not in piped.stderr
    # The examples' warnings (socle measures their seeds do not speak of), then the summary.
    assert piped.stderr.endswith("3 contrat(s) écrit(s), 0 en erreur\n")
    assert all(line.startswith("avertissement : ") for line in piped.stderr.splitlines()[:-1])
    assert sorted(line.split("  sha256:")[0] for line in piped.stdout.splitlines()) == [
        str(out / "CSI-bourges-2021-2026.docx"), str(out / "CSI-clermont-ferrand-2021-2026-avenant-1.docx"),
        str(out / "CSI-clermont-ferrand-2021-2026.docx")]
    code, shown = _on_terminal(["build", str(example_copy), "-o", str(out), "-j", "2"], tmp_path)
    assert code == 0
    assert "Construction : 0/3" in shown and "Construction : 3/3" in shown
    # The progress line is wiped before any other line (warnings, results) is printed.
    assert str(out) in shown
    assert all(part.split("/3", 1)[1].startswith("\r\x1b[K") for part in shown.split("Construction : ")[1:])


def test_quiet_prints_only_errors(tmp_path, example_copy, warned):
    out = tmp_path / "sortie"
    result = _piped(["build", "-q", str(example_copy / "bourges.yaml"), str(warned), "-o", str(out)], tmp_path)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    assert len(list(out.glob("*.docx"))) == 2
    result = _piped(["valider", "--quiet", str(warned)], tmp_path)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    broken = example_copy / "casse.yaml"
    broken.write_text((example_copy / "bourges.yaml").read_text(encoding="utf-8").replace("cameras_par_an: 10", "cameras_par_an: dix"), encoding="utf-8")
    result = _piped(["valider", "-q", str(broken)], tmp_path)
    assert result.returncode == 1 and "nombre entier attendu" in result.stderr and result.stdout == ""


def test_valider_and_clauses_in_json(tmp_path, example_copy, warned):
    broken = example_copy / "casse.yaml"
    broken.write_text((example_copy / "bourges.yaml").read_text(encoding="utf-8").replace("cameras_par_an: 10", "cameras_par_an: dix"), encoding="utf-8")
    result = _piped(["valider", "--format", "json", str(warned), str(broken)], tmp_path)
    assert result.returncode == 1
    first, second = json.loads(result.stdout)
    assert first["valide"] is True and first["problemes"][0]["gravite"] == "avertissement"
    assert second["valide"] is False
    [problem] = [p for p in second["problemes"] if p["gravite"] == "erreur"]  # Bourges' own warnings come too
    line = next(n for n, text in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1) if "cameras_par_an: dix" in text)
    assert problem["fichier"] == str(broken) and problem["ligne"] == line and "nombre entier attendu" in problem["message"]
    result = _piped(["clauses", "--socle", "--format", "json"], tmp_path)
    clauses = json.loads(result.stdout)
    assert len(clauses) == 24 and all(c["socle"] for c in clauses)
    assert {"id", "titre", "volet", "partie", "version", "parametres", "indicateurs"} <= set(clauses[0])


def test_csi_soffice_that_does_not_exist_is_named_and_nothing_is_written(tmp_path):
    out = tmp_path / "sortie"
    result = _piped(["build", str(EXAMPLES / "bourges.yaml"), "--pdf", "-o", str(out)], tmp_path, CSI_SOFFICE=str(tmp_path / "nope"))
    assert result.returncode == 1
    assert f"CSI_SOFFICE désigne « {tmp_path / 'nope'} », qui n’est pas un fichier" in result.stderr
    assert not out.exists()


def test_shell_completion_as_the_readme_says(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "_CSI_DOCGEN_COMPLETE=bash_source csi-docgen" in readme
    script = _piped([], tmp_path, _CSI_DOCGEN_COMPLETE="bash_source")
    assert script.returncode == 0 and "_csi_docgen_completion()" in script.stdout
    words = _piped([], tmp_path, _CSI_DOCGEN_COMPLETE="bash_complete", COMP_WORDS="csi-docgen va", COMP_CWORD="1")
    assert "plain,valider" in words.stdout


def test_build_errors_are_red_on_a_terminal(tmp_path, example_copy):
    broken = example_copy / "casse.yaml"
    broken.write_text((example_copy / "bourges.yaml").read_text(encoding="utf-8").replace("cameras_par_an: 10", "cameras_par_an: dix"), encoding="utf-8")
    code, shown = _on_terminal(["build", str(broken), "-o", str(tmp_path / "s")], tmp_path)
    assert code == 1 and f"{ESC}31m" in shown and "nombre entier attendu" in shown
    piped = _piped(["build", str(broken), "-o", str(tmp_path / "s")], tmp_path)
    assert piped.returncode == 1 and piped.stderr.startswith("erreur : ") and ESC not in piped.stderr
