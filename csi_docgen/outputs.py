"""Output paths of a batch, checked before anything is written.

Two profiles of one batch must never write the same file: versions of one
contract, two « Saint-Denis », « Orléans » typed in two Unicode forms, or
names without Latin letters all slug to the same name. Paths are compared
as the file system may see them: absolute, symbolic links resolved, in
Unicode NFC and case-folded (macOS and Windows ignore case; macOS
normalises Unicode), the PDF copies included.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence


def path_key(path: str | os.PathLike) -> str:
    """The form under which two paths name one file on a case-insensitive, normalising file system."""
    full = os.path.normcase(os.path.realpath(os.fspath(path)))
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", full).casefold())


def outputs_of(docx: Path, pdf: bool) -> list[Path]:
    """The files a build writes for one contract: the .docx and, with ``pdf``, its PDF beside it."""
    return [docx, docx.with_suffix(".pdf")] if pdf else [docx]


def clashes(plans: Sequence[tuple[str, Iterable[Path]]]) -> list[str]:
    """French messages for every file two profiles would both write.

    ``plans`` pairs each profile (as shown to the user) with the files its
    build would write. Returns an empty list when every path is distinct.
    """
    owners: dict[str, tuple[str, Path]] = {}
    messages = []
    for profile, paths in plans:
        for path in paths:
            key = path_key(path)
            if key not in owners:
                owners[key] = (profile, path)
                continue
            first, first_path = owners[key]
            if first == profile:
                continue
            same = "" if str(first_path) == str(path) else f" (« {first_path} » et « {path} » désignent le même fichier)"
            messages.append(
                f"« {first} » et « {profile} » écriraient tous deux {path}{same}"
            )
    return messages
