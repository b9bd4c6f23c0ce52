"""Size and time: alias bombs, deep nesting, huge files and a library of 10 000 clauses stay bounded."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from csi_docgen import check_profile, load_library, load_profile
from csi_docgen.errors import CsiError, YamlError
from outils_robustesse import assert_no_traceback, normalised, replaced, run_cli, subprocess_env

BILLION_LAUGHS = (
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    + "collectivite: *i\n"
)


def test_billion_laughs_profile_fails_fast(tmp_path, library):
    path = tmp_path / "bombe.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    verdict = check_profile(path, library)  # the content's problems are the verdict, not an exception
    assert time.perf_counter() - start < 2.0
    assert [str(i) for i in verdict.errors] == [f"{path}:2:8 : les alias YAML (« & » et « * ») ne sont pas acceptés (recopiez la valeur)"]
    with pytest.raises(YamlError):
        load_profile(path, library)
    start = time.perf_counter()
    result = run_cli("valider", path)
    assert time.perf_counter() - start < 2.0
    assert result.exit_code == 1 and "les alias YAML" in result.output


def test_billion_laughs_in_a_clause_header_fails_fast(make_tree):
    header = "---\n" + BILLION_LAUGHS.replace("collectivite: *i\n", "id: *i\n") + "---\nTexte.\n"
    root = make_tree({"bibliotheque.yaml": "volets: {a: A}\nparties: {etat: État}\nsources: {c: C}\n", "etat/bombe.md": header})
    start = time.perf_counter()
    with pytest.raises(CsiError) as info:
        load_library(root)
    assert time.perf_counter() - start < 2.0
    assert "lib/etat/bombe.md:3:8 : les alias YAML" in str(info.value)


def test_deep_nesting_is_refused_without_crashing(tmp_path):
    """In a child process: a stack overflow in the parser would kill the test runner."""
    depth = 100_000
    path = tmp_path / "profond.yaml"
    path.write_text("collectivite: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "csi_docgen", "valider", str(path)],
        capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path, timeout=60,
    )
    assert time.perf_counter() - start < 10
    assert result.returncode == 1, result.stderr
    assert_no_traceback(result.stderr)
    assert f"{path}:1:" in result.stderr and "structure trop profondément imbriquée (plus de 64 niveaux)" in result.stderr


def test_deep_dict_from_a_notebook(library):
    deep: dict = {}
    node = deep
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]
    verdict = check_profile({"collectivite": deep}, library)
    assert not verdict.valid and "structure trop profondément imbriquée" in str(verdict.errors[0])
    with pytest.raises(CsiError) as info:
        load_profile({"collectivite": deep}, library)
    assert "structure trop profondément imbriquée" in str(info.value)


def test_oversized_file_is_refused_quickly(tmp_path, library):
    path = tmp_path / "enorme.yaml"
    with path.open("wb") as handle:
        handle.write(b"collectivite:\n  nom: ")
        handle.write(b"x" * (21 * 1024 * 1024))
    start = time.perf_counter()
    verdict = check_profile(path, library)
    assert time.perf_counter() - start < 2.0
    assert str(verdict.errors[0]).startswith(f"{path} : fichier trop volumineux (plus de 20 Mo)")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="pas de /dev/zero")
def test_endless_file_is_refused(library):
    start = time.perf_counter()
    result = run_cli("valider", "/dev/zero")
    assert time.perf_counter() - start < 5.0
    assert result.exit_code == 1 and "ce n'est pas un fichier ordinaire" in result.output


def test_a_long_list_value_stays_fast(tmp_path, library):
    items = ", ".join(f"secteur {i}" for i in range(20_000))
    path = tmp_path / "p.yaml"
    path.write_text(replaced("zones_patrouille: [nord, sud]", f"zones_patrouille: [{items}]"), encoding="utf-8")
    start = time.perf_counter()
    verdict = check_profile(path, library)
    profile = verdict.profile
    assert verdict.valid, verdict.issues
    from csi_docgen import contract_from

    text = contract_from(profile, library).text()
    assert "secteur 19998 et secteur 19999" in text
    assert time.perf_counter() - start < 10


CLAUSE = """\
---
id: etat-securite-generee-{i}
titre: Clause générée {i}
volet: securite
partie: etat
socle: false
source:
  document: circulaire
  reference: annexe, mesure {i}
version: 1
parametres:
  effectif:
    type: entier
    description: Effectif affecté
    min: 1
    unite: agents
    facultatif: true
indicateurs:
  - id: suivi
    libelle: Suivi de la clause {i}
    unite: actions
    periodicite: annuelle
    source: Préfecture
---
L'État s'engage ({i}) à agir dans les quartiers prioritaires.
{{% if effectif %}}Il affecte **{{{{ effectif | quantite }}}}** à cette mission.{{% endif %}}
"""


def test_library_of_ten_thousand_clauses(tmp_path):
    root = tmp_path / "grande"
    (root / "etat").mkdir(parents=True)
    (root / "bibliotheque.yaml").write_text(
        "volets:\n  securite: Sécurité\nparties:\n  etat: Engagements de l'État\n  collectivite: Engagements {collectivite}\n"
        "sources:\n  circulaire: Circulaire\n",
        encoding="utf-8",
    )
    for i in range(10_000):
        (root / "etat" / f"c{i:05d}.md").write_text(CLAUSE.format(i=i), encoding="utf-8")
    start = time.perf_counter()
    library = load_library(root)
    elapsed = time.perf_counter() - start
    assert len(library) == 10_000
    assert elapsed < 20, f"{elapsed:.1f} s pour 10 000 clauses"
    # A contract drawing on it still assembles.
    from csi_docgen import contract_from

    profile = {
        "collectivite": {"nom": "Exempleville", "type": "commune"},
        "periode": {"debut": "2021", "fin": "2026"},
        "signature": {"lieu": "Exempleville"},
        "signataires": [{"partie": "etat", "qualite": "Le préfet"}, {"partie": "collectivite", "qualite": "Le maire"}],
        "volets": [{"volet": "securite", "clauses": [{"id": "etat-securite-generee-9999", "parametres": {"effectif": "12"}}, "etat-securite-generee-0"]}],
    }
    contract = contract_from(profile, library)
    assert "Il affecte **douze (12) agents** à cette mission." in normalised(contract.text())
