"""Atomic file writes: an existing output is replaced only by a complete one."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from pathlib import Path

from .errors import OutputError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, stale temp files are left
    fcntl = None  # type: ignore[assignment]

# French wording of the system errors a user can meet while writing a file
# (``strerror`` follows the system locale, usually English).
_REASONS = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EEXIST: "un fichier de ce nom existe déjà",
    errno.EISDIR: "c'est un dossier",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ENOENT: "dossier introuvable",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ETXTBSY: "fichier occupé",
    errno.EBUSY: "fichier occupé",
    errno.ELOOP: "trop de liens symboliques",
}


def os_reason(exc: OSError) -> str:
    """A French reason for a system error (``disque plein``, ``permission refusée``…)."""
    reason = _REASONS.get(exc.errno)
    if reason:
        return reason
    if isinstance(exc, PermissionError):
        return "permission refusée"
    return f"erreur système {exc.errno}" if exc.errno else "erreur système"


def require_path(what: str, value, kind: str = "un chemin") -> None:
    """OutputError in French unless ``value`` is a path (text or ``os.PathLike``)."""
    if not isinstance(value, (str, os.PathLike)):
        raise OutputError(f"{what} doit être {kind} (texte ou Path), pas {type(value).__name__} ({value!r})")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Temporary files of write_bytes_atomic: ``.NAME.docx.abcd1234.tmp`` (mkstemp's 8 random characters).
_TEMP_NAME = re.compile(r"^\..+\.(docx|pdf)\.[A-Za-z0-9_]{8}\.tmp$", re.IGNORECASE)
STALE_AFTER = 5.0  # seconds: a temp file this old that nobody holds is left from an interrupted write


def _hold(fd: int) -> None:
    """Hold a lock on a temp file being written: a concurrent cleanup leaves it alone."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temp files an interrupted write (kill -9, power cut) left in ``folder``.

    Only files named as this module names them, older than a few seconds,
    and not held by a running write (its lock is gone with its process).
    """
    if fcntl is None:
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not _TEMP_NAME.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER:
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(entry.path)
        except OSError:
            pass  # held by a write in progress, or already gone
        finally:
            os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        _hold(fd)
    except OSError as exc:
        raise OutputError(f"{folder} : impossible d'écrire dans ce dossier ({os_reason(exc)})") from None
    except ValueError:  # a NUL byte in the path
        raise OutputError(f"{path!r} : chemin de sortie invalide") from None
    existed = path.exists()
    try:
        # mkstemp creates the file private (0600): give the contract the mode
        # of the file it replaces, or the usual one (0666 less the umask).
        try:
            mode = path.stat().st_mode & 0o7777 if existed else 0o666 & ~_umask()
            os.chmod(tmp, mode)
        except OSError:
            pass
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        remove_stale_temporaries(folder)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise
        intact = " ; le fichier précédent est intact" if existed else " ; aucun fichier écrit"
        raise OutputError(f"{path} : écriture impossible ({os_reason(exc)}){intact}") from None


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(path, text.encode(encoding))
