"""PDF copies of written contracts, laid out by LibreOffice.

The files go through as few LibreOffice calls as there are processor
cores (starting LibreOffice costs more than converting a contract, and one
LibreOffice lays out on one core only); each call runs the macro of
:mod:`.pdf_macro`, which updates the table of contents (so that the
Sommaire shows page numbers) before exporting each contract. The
contracts are shared among the calls, largest first, and the calls run at
the same time. Each call has a throwaway user profile
(``-env:UserInstallation``), so a LibreOffice the user has open, or another
conversion running at the same time, does not block it. LibreOffice
converts copies named ``0.docx``, ``1.docx``… in a
temporary folder: two contracts with the same name in different folders
cannot overwrite each other, and odd characters in paths do not reach its
command line. Each PDF is then put in place atomically, and only once all
of them exist.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable

from . import pdf_macro
from .atomic import os_reason, write_bytes_atomic
from .errors import OutputError, ToolMissing

INSTALL_HINT = (
    "LibreOffice est nécessaire pour produire les PDF : sous Debian ou Ubuntu, "
    "« apt-get install libreoffice-writer-nogui » ; sous Windows ou macOS, installez LibreOffice "
    "depuis https://www.libreoffice.org/download/ (ou indiquez le programme soffice dans la "
    "variable d’environnement CSI_SOFFICE)."
)
_CANDIDATES = {
    "win32": [
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ],
    "darwin": ["/Applications/LibreOffice.app/Contents/MacOS/soffice"],
}


def find_soffice() -> str:
    """The LibreOffice program, or ToolMissing saying how to install it.

    ``CSI_SOFFICE``, when set, must name an executable file: it is never
    silently replaced by another LibreOffice.
    """
    explicit = os.environ.get("CSI_SOFFICE")
    if explicit:
        try:
            is_file = Path(explicit).is_file()
        except (OSError, ValueError):
            is_file = False
        if not is_file:
            raise ToolMissing(f"CSI_SOFFICE désigne « {explicit} », qui n’est pas un fichier : {INSTALL_HINT}")
        if not os.access(explicit, os.X_OK):
            raise ToolMissing(
                f"CSI_SOFFICE désigne « {explicit} », qui n’est pas exécutable "
                "(indiquez le programme soffice de LibreOffice, ou rendez-le exécutable)"
            )
        return explicit
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES.get(sys.platform, []):
        if Path(candidate).is_file():
            return candidate
    raise ToolMissing(INSTALL_HINT)


MAX_PROCESSES = 4  # each LibreOffice takes a few hundred megabytes
TIMEOUT_VARIABLE = "CSI_PDF_DELAI"  # seconds for a whole conversion (default: 60 + 30 per contract of a call)


def _timeout_from_environment() -> float | None:
    raw = os.environ.get(TIMEOUT_VARIABLE)
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1
    if not 0 < value <= 86_400:
        raise OutputError(f"{TIMEOUT_VARIABLE} vaut « {raw} » : un nombre de secondes est attendu (entre 1 et 86400)")
    return value


def _stop(process) -> None:
    """Kill LibreOffice and every process it started (its own process group), then reap it."""
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if process.poll() is None:
        process.kill()
    process.wait()


def _share(inputs: list[Path], count: int) -> list[list[Path]]:
    """Split the files into ``count`` groups of about the same total size (largest first)."""
    groups: list[list[Path]] = [[] for _ in range(count)]
    totals = [0] * count
    for size, path in sorted(((p.stat().st_size, p) for p in inputs), key=lambda item: item[0], reverse=True):
        smallest = totals.index(min(totals))
        groups[smallest].append(path)
        totals[smallest] += size
    return [g for g in groups if g]


def _run_all(soffice: str, work_dir: Path, groups: list[list[Path]], timeout: float) -> str:
    """Run one LibreOffice per group at the same time; return what they wrote on stderr."""
    processes, logs = [], []
    (work_dir / "pdf").mkdir(exist_ok=True)
    deadline = time.monotonic() + timeout
    try:
        for number, group in enumerate(groups):
            command = [
                soffice,
                f"-env:UserInstallation={(work_dir / f'profil-{number}').as_uri()}",
                "--headless",
                "--norestore",
                "--nologo",
                pdf_macro.macro_call(work_dir, [p.stem for p in group]),
            ]
            pdf_macro.seed_profile(work_dir / f"profil-{number}")
            log = work_dir / f"soffice-{number}.log"
            logs.append(log)
            with open(log, "wb") as err:
                # Its own process group (session): on a timeout the whole of it is killed.
                processes.append(
                    subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, start_new_session=os.name == "posix")
                )
        for process in processes:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    except FileNotFoundError:
        raise ToolMissing(INSTALL_HINT) from None
    except subprocess.TimeoutExpired:
        raise OutputError(
            f"LibreOffice n’a pas terminé la conversion en PDF en {timeout:.0f} s : arrêté "
            f"(délai réglable par la variable d’environnement {TIMEOUT_VARIABLE}, en secondes)"
        ) from None
    except OSError as exc:  # not a program (Exec format error), permission refused…
        raise ToolMissing(f"impossible de lancer LibreOffice « {soffice} » ({os_reason(exc)}) : {INSTALL_HINT}") from None
    finally:
        for process in processes:
            _stop(process)
    return "\n".join(log.read_text(errors="replace") for log in logs if log.exists())


def to_pdf(docx_paths: Iterable, outdir=None, *, timeout: float | None = None) -> list[Path]:
    """Convert .docx files to PDF; return the PDF paths, in the input order.

    The PDFs go to ``outdir``, or next to each .docx when ``outdir`` is None.
    """
    sources = [Path(p) for p in docx_paths]
    if not sources:
        return []
    for source in sources:
        if not source.is_file():
            raise OutputError(f"{source} : conversion en PDF impossible, fichier introuvable")
    targets = [(Path(outdir) if outdir is not None else s.parent) / f"{s.stem}.pdf" for s in sources]
    keys = [os.path.normcase(os.path.abspath(t)) for t in targets]
    clashes = sorted({str(t) for t, k in zip(targets, keys) if keys.count(k) > 1})
    if clashes:
        raise OutputError(
            "conversion en PDF impossible : plusieurs contrats donneraient le même PDF (" + ", ".join(clashes) + ")"
        )
    soffice = find_soffice()
    timeout = timeout or _timeout_from_environment()

    work = tempfile.mkdtemp(prefix="csi-pdf-")
    try:
        work_dir = Path(work)
        inputs = []
        for index, source in enumerate(sources):
            copy = work_dir / f"{index}.docx"
            try:
                shutil.copyfile(source, copy)
            except OSError as exc:
                raise OutputError(f"{source} : conversion en PDF impossible, fichier illisible") from exc
            inputs.append(copy)
        groups = _share(inputs, min(len(inputs), MAX_PROCESSES, os.cpu_count() or 1))
        limit = timeout or 60 + 30 * max(len(g) for g in groups)
        errors = _run_all(soffice, work_dir, groups, limit)
        made = [work_dir / "pdf" / f"{index}.pdf" for index in range(len(sources))]
        missing = [str(s) for s, pdf in zip(sources, made) if not pdf.is_file() or pdf.stat().st_size == 0]
        if missing:
            detail = errors.strip().splitlines()
            reason = f" ({detail[-1]})" if detail else ""
            raise OutputError("LibreOffice n’a pas converti en PDF : " + ", ".join(missing) + reason)
        for pdf, target in zip(made, targets):
            write_bytes_atomic(target, pdf.read_bytes())
    finally:
        shutil.rmtree(work, ignore_errors=True)  # LibreOffice's profile and copies, always
    return targets
