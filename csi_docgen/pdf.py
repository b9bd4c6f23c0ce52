"""PDF copies of written contracts, laid out by LibreOffice.

All files go through ONE ``soffice --headless --convert-to pdf`` call
(starting LibreOffice costs more than converting a contract) with a
throwaway user profile (``-env:UserInstallation``), so a LibreOffice the
user has open, or another conversion running at the same time, does not
block it. LibreOffice converts copies named ``0.docx``, ``1.docx``… in a
temporary folder: two contracts with the same name in different folders
cannot overwrite each other, and odd characters in paths do not reach its
command line. Each PDF is then put in place atomically, and only once all
of them exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from .atomic import write_bytes_atomic
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
    """The LibreOffice program, or ToolMissing saying how to install it."""
    explicit = os.environ.get("CSI_SOFFICE")
    if explicit and Path(explicit).is_file():
        return explicit
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES.get(sys.platform, []):
        if Path(candidate).is_file():
            return candidate
    raise ToolMissing(INSTALL_HINT)


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

    with tempfile.TemporaryDirectory(prefix="csi-pdf-") as work:
        work_dir = Path(work)
        inputs = []
        for index, source in enumerate(sources):
            copy = work_dir / f"{index}.docx"
            try:
                shutil.copyfile(source, copy)
            except OSError as exc:
                raise OutputError(f"{source} : conversion en PDF impossible, fichier illisible") from exc
            inputs.append(copy)
        command = [
            soffice,
            f"-env:UserInstallation={(work_dir / 'profil').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work_dir / "pdf"),
            *map(str, inputs),
        ]
        try:
            result = subprocess.run(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                timeout=timeout or 60 + 30 * len(sources),
                check=False,
            )
        except FileNotFoundError:
            raise ToolMissing(INSTALL_HINT) from None
        except subprocess.TimeoutExpired:
            raise OutputError("LibreOffice n’a pas terminé la conversion en PDF à temps") from None
        made = [work_dir / "pdf" / f"{index}.pdf" for index in range(len(sources))]
        missing = [str(s) for s, pdf in zip(sources, made) if not pdf.is_file() or pdf.stat().st_size == 0]
        if missing:
            detail = result.stderr.decode(errors="replace").strip().splitlines()
            reason = f" ({detail[-1]})" if detail else ""
            raise OutputError("LibreOffice n’a pas converti en PDF : " + ", ".join(missing) + reason)
        for pdf, target in zip(made, targets):
            write_bytes_atomic(target, pdf.read_bytes())
    return targets
