"""Writing the contract: impossible outputs, full disks and interrupted writes.

The output is written atomically: a temporary file next to the target,
then renamed. When anything fails the user gets an ``OutputError`` in
French (exit 1 on the command line), the previous contract keeps its bytes
and no temporary file is left behind.

Tests run as root on CI, where permissions do not stop anything: the
impossible outputs use a path under an existing *file*; the one chmod test
is skipped for root.
"""

from __future__ import annotations

import errno
import os
import zipfile

import pytest

from csi_docgen.api import build
from csi_docgen.errors import CsiError, OutputError
from outils_robustesse import assert_no_traceback, base_profile, reread, run_cli, sha256, snapshot, writer_or_skip


@pytest.fixture
def profile(tmp_path):
    path = tmp_path / "exempleville.yaml"
    path.write_text(base_profile(), encoding="utf-8")
    return path


@pytest.fixture
def previous(tmp_path, profile, library):
    """A good contract already written at the target path."""
    writer_or_skip()
    target = tmp_path / "sortie" / "CSI-exempleville-2021-2026.docx"
    build(profile, target, library=library)
    reread(target)
    return target


# (case, how to make the output impossible, French fragment)
IMPOSSIBLE = [
    ("dossier-sous-un-fichier", "fichier/sous-dossier", "impossible d'écrire dans ce dossier (un élément du chemin est un fichier, pas un dossier)"),
    ("dossier-est-un-fichier", "fichier", "impossible d'écrire dans ce dossier (un fichier de ce nom existe déjà)"),
    ("nom-trop-long", "d" * 300, "impossible d'écrire dans ce dossier (nom de fichier trop long)"),
]
# On the command line an existing file given as -o is a usage error (click checks it).
CLI_IMPOSSIBLE = [
    ("dossier-sous-un-fichier", "fichier/sous-dossier", 1,
     "impossible d'écrire dans ce dossier (un élément du chemin est un fichier, pas un dossier)"),
    ("dossier-est-un-fichier", "fichier", 2,
     "erreur d'utilisation : valeur invalide pour -o / --sortie : « {folder} » est un fichier, pas un dossier"),
    ("nom-trop-long", "d" * 300, 1, "impossible d'écrire dans ce dossier (nom de fichier trop long)"),
]


@pytest.mark.parametrize("case, folder, code, fragment", CLI_IMPOSSIBLE, ids=[c[0] for c in CLI_IMPOSSIBLE])
def test_cli_output_folder_that_cannot_exist(tmp_path, profile, case, folder, code, fragment):
    writer_or_skip()
    (tmp_path / "fichier").write_text("un fichier, pas un dossier")
    before = snapshot(tmp_path)
    result = run_cli("build", profile, "-o", tmp_path / folder)
    assert_no_traceback(result.output)
    assert result.exit_code == code, result.output
    assert fragment.format(folder=tmp_path / folder) in result.output
    if code == 1:
        assert f"erreur : {tmp_path / folder}" in result.output
        assert f"{profile} : aucun contrat écrit" in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("case, folder, fragment", IMPOSSIBLE, ids=[c[0] for c in IMPOSSIBLE])
def test_api_output_folder_that_cannot_exist(tmp_path, profile, library, case, folder, fragment):
    writer_or_skip()
    (tmp_path / "fichier").write_text("un fichier, pas un dossier")
    before = snapshot(tmp_path)
    with pytest.raises(OutputError) as info:
        build(profile, tmp_path / folder / "contrat.docx", library=library)
    assert fragment in str(info.value)
    assert snapshot(tmp_path) == before


def test_output_path_is_a_folder(tmp_path, profile, library):
    writer_or_skip()
    target = tmp_path / "contrat.docx"
    target.mkdir()
    with pytest.raises(OutputError) as info:
        build(profile, target, library=library)
    assert str(info.value) == f"{target} : écriture impossible (c'est un dossier) ; le fichier précédent est intact"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contrat.docx", "exempleville.yaml"]
    assert list(target.iterdir()) == []  # no temporary file left


def test_output_path_with_a_nul_byte(tmp_path, profile, library):
    writer_or_skip()
    with pytest.raises(CsiError):
        build(profile, tmp_path / "con\x00trat.docx", library=library)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exempleville.yaml"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root écrit partout : les permissions ne l'arrêtent pas")
def test_read_only_folder(tmp_path, profile, library):
    writer_or_skip()
    locked = tmp_path / "verrou"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run_cli("build", profile, "-o", locked)
        assert result.exit_code == 1
        assert "impossible d'écrire dans ce dossier (permission refusée)" in result.output
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


# --- disk full, interrupted writes -------------------------------------------------------------------


def _fail_with(code):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


# (case, what fails, errno, French reason)
FAILURES = [
    ("disque-plein-au-renommage", "os.replace", errno.ENOSPC, "disque plein"),
    ("disque-plein-a-la-synchro", "os.fsync", errno.ENOSPC, "disque plein"),
    ("quota", "os.fsync", errno.EDQUOT, "quota de disque dépassé"),
    ("erreur-disque", "os.replace", errno.EIO, "erreur d'entrée-sortie du disque"),
    ("lecture-seule", "os.replace", errno.EROFS, "système de fichiers en lecture seule"),
    ("permission", "os.replace", errno.EACCES, "permission refusée"),
]


@pytest.mark.parametrize("case, target, code, reason", FAILURES, ids=[c[0] for c in FAILURES])
def test_failed_write_keeps_the_previous_contract(monkeypatch, library, profile, previous, case, target, code, reason):
    folder = previous.parent
    before = snapshot(folder)
    monkeypatch.setattr(target, _fail_with(code))
    with pytest.raises(OutputError) as info:
        build(profile, previous, library=library)
    assert str(info.value) == f"{previous} : écriture impossible ({reason}) ; le fichier précédent est intact"
    assert snapshot(folder) == before  # same bytes, no temporary file left


@pytest.mark.parametrize("case, target, code, reason", FAILURES[:2], ids=[c[0] for c in FAILURES[:2]])
def test_failed_write_through_the_cli(monkeypatch, profile, previous, case, target, code, reason):
    folder = previous.parent
    before = snapshot(folder)
    monkeypatch.setattr(target, _fail_with(code))
    result = run_cli("build", profile, "-o", folder)
    assert_no_traceback(result.output)
    assert result.exit_code == 1
    assert f"erreur : {previous} : écriture impossible ({reason}) ; le fichier précédent est intact" in result.output
    assert snapshot(folder) == before


def test_failed_first_write_leaves_nothing(monkeypatch, tmp_path, profile, library):
    writer_or_skip()
    monkeypatch.setattr("os.replace", _fail_with(errno.ENOSPC))
    target = tmp_path / "neuf" / "contrat.docx"
    with pytest.raises(OutputError) as info:
        build(profile, target, library=library)
    assert str(info.value) == f"{target} : écriture impossible (disque plein) ; aucun fichier écrit"
    assert snapshot(tmp_path / "neuf") == {}


def test_interrupted_write_leaves_no_temporary_file(monkeypatch, library, profile, previous):
    """Ctrl-C while the bytes are being written: the interruption goes on, the old file stays."""
    folder = previous.parent
    before = snapshot(folder)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(profile, previous, library=library)
    assert snapshot(folder) == before


def test_a_failing_zip_writer_is_an_error_not_a_half_file(monkeypatch, library, profile, previous):
    """The zip is built in memory before anything touches the disk."""
    folder = previous.parent
    before = snapshot(folder)

    def broken_writestr(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken_writestr)
    with pytest.raises(OutputError) as info:
        build(profile, previous, library=library)
    assert "disque plein" in str(info.value)
    assert snapshot(folder) == before


def test_new_contract_has_ordinary_permissions(tmp_path, profile, library):
    writer_or_skip()
    target = tmp_path / "contrat.docx"
    build(profile, target, library=library)
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    target.chmod(0o640)
    build(profile, target, library=library)
    assert target.stat().st_mode & 0o777 == 0o640
    assert sha256(target)
    reread(target)
