"""An external annex's file, read on every build (its digest keys the prepared package), and the errors that name it."""

from __future__ import annotations

from ..errors import AnnexError
from .template import read_with_digest


def annex_error(annex, problem: str, hint: str | None = None):
    return AnnexError(f"annexe {annex.number} « {annex.title} » : {problem}", annex.file, hint=hint)


def read_external(annex) -> tuple[bytes, str]:
    """The bytes of one external annex and their SHA-256, or AnnexError saying why they cannot be read."""
    if not annex.file:
        raise annex_error(annex, "aucun fichier indiqué")
    try:
        return read_with_digest(annex.file)
    except FileNotFoundError:
        raise annex_error(annex, "fichier introuvable") from None
    except IsADirectoryError:
        raise annex_error(annex, "c’est un dossier, pas un document .docx") from None
    except PermissionError:
        raise annex_error(annex, "fichier illisible (permission refusée)") from None
    except OSError as exc:
        raise annex_error(annex, f"fichier illisible ({exc.strerror})") from None
    except ValueError:  # a NUL character in the path
        raise annex_error(annex, "chemin invalide (caractère nul)") from None
