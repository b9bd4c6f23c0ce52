"""Same inputs, same bytes: across runs, working directories, time zones, locales and processes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from csi_docgen.api import build
from outils_robustesse import (
    ANNEX,
    EXAMPLES,
    base_profile,
    replaced,
    reread,
    sha256,
    subprocess_env,
    writer_or_skip,
)

EXTERNES = "annexes:\n  generees: [indicateurs, financement, socle, clauses]\n"


def _profile_folder(root):
    """The base profile with an external annex (docxcompose is the usual source of random ids)."""
    root.mkdir(parents=True)
    shutil.copy(ANNEX, root / "annexe.docx")
    text = replaced(EXTERNES, EXTERNES + "  externes:\n    - titre: Convention de coordination\n      fichier: annexe.docx\n")
    (root / "exempleville.yaml").write_text(text, encoding="utf-8")
    return root / "exempleville.yaml"


def test_two_runs_give_the_same_bytes(tmp_path, library):
    writer_or_skip()
    profile = _profile_folder(tmp_path / "profil")
    first = build(profile, tmp_path / "1.docx", library=library)
    second = build(profile, tmp_path / "2.docx", library=library)
    assert first.sha256 == second.sha256 == sha256(tmp_path / "1.docx") == sha256(tmp_path / "2.docx")
    assert (tmp_path / "1.docx").read_bytes() == (tmp_path / "2.docx").read_bytes()
    reread(tmp_path / "1.docx")


def test_two_working_directories_give_the_same_bytes(tmp_path, library, monkeypatch):
    writer_or_skip()
    digests = []
    for name in ("a", "b/c/d"):
        folder = tmp_path / name
        _profile_folder(folder)
        monkeypatch.chdir(folder)
        result = build("exempleville.yaml", "contrat.docx", library=library)  # relative paths
        digests.append(result.sha256)
        assert sha256(folder / "contrat.docx") == result.sha256
    monkeypatch.chdir(tmp_path)
    digests.append(build(tmp_path / "a" / "exempleville.yaml", tmp_path / "absolu.docx", library=library).sha256)
    assert len(set(digests)) == 1, digests


def _cli_build(tmp_path, name, profiles, *options, **env):
    out = tmp_path / name
    result = subprocess.run(
        [sys.executable, "-m", "csi_docgen", "build", *map(str, profiles), "-o", str(out), *options],
        capture_output=True, text=True, env=subprocess_env(**env), cwd=tmp_path, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    printed = dict(re.findall(r"^(\S+\.docx)  sha256:([0-9a-f]{64})$", result.stdout, re.MULTILINE))
    files = {p.name: sha256(p) for p in sorted(out.glob("*.docx"))}
    assert {re.sub(r".*/", "", k): v for k, v in printed.items()} == files, (result.stdout, files)
    return files


def test_time_zones_locales_and_processes_give_the_same_bytes(tmp_path):
    """Two child processes: Pacific/Auckland (UTC+12/13) against UTC, French against C locale,
    one worker against three, different hash seeds. Same SHA-256, printed and on disk."""
    writer_or_skip()
    profiles = [_profile_folder(tmp_path / "profil"), EXAMPLES / "bourges.yaml", EXAMPLES / "clermont-ferrand.yaml"]
    utc = _cli_build(tmp_path, "utc", profiles, "-j", "1", TZ="UTC", LC_ALL="C", LANG="C", PYTHONHASHSEED="1")
    auckland = _cli_build(
        tmp_path, "auckland", profiles, "-j", "3",
        TZ="Pacific/Auckland", LC_ALL="fr_FR.UTF-8", LANG="fr_FR.UTF-8", PYTHONHASHSEED="2",
    )
    assert len(utc) == 3
    assert utc == auckland
    for path in (tmp_path / "auckland").glob("*.docx"):
        reread(path)
