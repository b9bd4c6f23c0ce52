"""Nothing left behind: stale temp files cleaned, LibreOffice killed whole, its folder removed.

A write interrupted by kill -9 leaves ``.NAME.docx.XXXXXXXX.tmp`` next to
the contract: the next write in that folder removes it (it is old and no
write holds it). A LibreOffice that hangs is stopped with every process it
started (its own process group) after ``CSI_PDF_DELAI`` seconds, and the
conversion's temporary folder is removed in every case. A ``CSI_SOFFICE``
that is not a program is a French error.
"""

from __future__ import annotations

import os
import tempfile
import time

import pytest

from outils_robustesse import EXAMPLES, assert_no_traceback, base_profile, run_cli, writer_or_skip

TARGET = "CSI-exempleville-2021-2026.docx"
posix_only = pytest.mark.skipif(os.name != "posix", reason="groupes de processus et verrous POSIX")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1][0] not in "ZX"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


@posix_only
def test_stale_temporary_files_are_removed(tmp_path):
    writer_or_skip()
    profile = tmp_path / "exempleville.yaml"
    profile.write_text(base_profile(), encoding="utf-8")
    out = tmp_path / "sortie"
    out.mkdir()
    stale = out / f".{TARGET}.a1b2c3d4.tmp"
    stale.write_bytes(b"PK" + b"\0" * 1000)  # what a killed write leaves
    old = time.time() - 3600
    os.utime(stale, (old, old))
    other_stale = out / ".autre-contrat.docx.zz99yy88.tmp"
    other_stale.write_bytes(b"PK")
    os.utime(other_stale, (old, old))
    fresh = out / f".{TARGET}.e5f6g7h8.tmp"  # a write in progress elsewhere
    fresh.write_bytes(b"PK")
    unrelated = out / ".notes.txt.tmp"
    unrelated.write_bytes(b"a moi")
    os.utime(unrelated, (old, old))
    result = run_cli("build", profile, "-o", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([TARGET, fresh.name, unrelated.name])


def _fake_soffice(folder, body: str) -> str:
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@posix_only
def test_hanging_libreoffice_is_killed_with_its_children(tmp_path, monkeypatch):
    writer_or_skip()
    work_tmp = tmp_path / "tmp"
    work_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work_tmp))
    pid_file = tmp_path / "enfant.pid"
    soffice = _fake_soffice(tmp_path, f'sleep 300 &\necho $! > "{pid_file}"\nsleep 300\n')
    started = time.monotonic()
    result = run_cli("build", EXAMPLES / "bourges.yaml", "-o", tmp_path / "sortie", "--pdf",
                     env={"CSI_SOFFICE": soffice, "CSI_PDF_DELAI": "2"})
    assert time.monotonic() - started < 20
    assert_no_traceback(result.output)
    assert result.exit_code == 1, result.output
    assert "n’a pas terminé la conversion en PDF en 2 s" in result.output and "CSI_PDF_DELAI" in result.output
    deadline = time.monotonic() + 5
    child = int(pid_file.read_text())
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "un processus lancé par LibreOffice survit à la commande"
    assert list(work_tmp.iterdir()) == []  # the csi-pdf-* folder is gone
    assert not list((tmp_path / "sortie").glob("*.pdf"))


@posix_only
@pytest.mark.parametrize(
    "case, content, mode, fragment",
    [
        ("non-executable", "#!/bin/sh\nexit 0\n", 0o644, "n’est pas exécutable"),
        ("pas-un-programme", "du texte, pas un programme\n", 0o755, "impossible de lancer LibreOffice"),
        ("dossier", None, None, "n’est pas un fichier"),
    ],
)
def test_csi_soffice_that_is_not_a_program(tmp_path, monkeypatch, case, content, mode, fragment):
    writer_or_skip()
    work_tmp = tmp_path / "tmp"
    work_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work_tmp))
    target = tmp_path / "soffice"
    if content is None:
        target.mkdir()
    else:
        target.write_text(content, encoding="utf-8")
        target.chmod(mode)
    if os.geteuid() == 0 and mode == 0o644 and os.access(target, os.X_OK):
        pytest.skip("root exécute tout")
    result = run_cli("build", EXAMPLES / "bourges.yaml", "-o", tmp_path / "sortie", "--pdf", env={"CSI_SOFFICE": str(target)})
    assert_no_traceback(result.output)
    assert result.exit_code == 1, result.output
    assert fragment in result.output and "LibreOffice" in result.output
    assert list(work_tmp.iterdir()) == []
    assert not list((tmp_path / "sortie").glob("*.pdf")) if (tmp_path / "sortie").exists() else True


def test_bad_pdf_timeout_is_a_french_error(tmp_path):
    writer_or_skip()
    soffice = _fake_soffice(tmp_path, "exit 0\n") if os.name == "posix" else None
    env = {"CSI_PDF_DELAI": "bientôt"}
    if soffice:
        env["CSI_SOFFICE"] = soffice
    result = run_cli("build", EXAMPLES / "bourges.yaml", "-o", tmp_path / "sortie", "--pdf", env=env)
    assert_no_traceback(result.output)
    assert result.exit_code == 1 and "CSI_PDF_DELAI vaut « bientôt »" in result.output, result.output
