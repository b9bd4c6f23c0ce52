"""Is this .docx the contract that was signed? Its bytes against what the profile builds.

Builds are reproducible, so the signed file and a fresh build of its profile
are the same bytes. When they are not, :func:`check_signed` names what
differs — clauses of the manifest kept in the document's custom properties
(added, removed, another version or text), the package parts, the first
paragraph whose text differs — and refuses: an avenant is never drawn
against a text other than the one signed.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from lxml import etree

from .atomic import os_reason
from .errors import UserError
from .docx.properties import CUSTOM_NS, PREFIX, _CLAUSE_VALUE

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class SignedMismatch(UserError):
    """The signed .docx is not what the signed profile builds."""


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist() if not info.is_dir()}


def _manifest(parts: dict[str, bytes]) -> dict[str, str]:
    blob = parts.get("docProps/custom.xml")
    if blob is None:
        return {}
    out = {}
    for prop in etree.fromstring(blob).iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name") or ""
        if name.startswith(f"{PREFIX}clause:"):
            value = next(iter(prop), None)
            out[name[len(PREFIX) + len("clause:"):]] = (value.text or "") if value is not None else ""
    return out


def _paragraphs(parts: dict[str, bytes]) -> list[str]:
    blob = parts.get("word/document.xml")
    if blob is None:
        return []
    root = etree.fromstring(blob)
    return ["".join(t.text or "" for t in p.iter(f"{{{W_NS}}}t")) for p in root.iter(f"{{{W_NS}}}p")]


def _around_difference(a: str, b: str, context: int = 30) -> tuple[str, str]:
    """The two texts around where they start to differ, « … » marking what is cut."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    begin = max(0, start - context)

    def cut(text: str) -> str:
        stop = min(len(text), len(text) - end + context)
        return ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")

    return cut(a), cut(b)


def differences(found: bytes, expected: bytes) -> list[str]:
    """What differs between two builds of a contract, in French, most telling first."""
    try:
        got, want = _parts(found), _parts(expected)
    except zipfile.BadZipFile:
        return ["le fichier n’est pas un document .docx"]
    out = []
    got_manifest, want_manifest = _manifest(got), _manifest(want)
    for clause in sorted(set(got_manifest) | set(want_manifest)):
        a, b = got_manifest.get(clause), want_manifest.get(clause)
        if a == b:
            continue
        if a is None:
            out.append(f"clause « {clause} » absente du document signé")
        elif b is None:
            out.append(f"clause « {clause} » présente dans le document signé mais plus dans le profil")
        else:
            version_a, version_b = _CLAUSE_VALUE.match(a), _CLAUSE_VALUE.match(b)
            if version_a and version_b and version_a["version"] != version_b["version"]:
                out.append(f"clause « {clause} » : version {version_a['version']} signée, version {version_b['version']} aujourd’hui")
            else:
                out.append(f"clause « {clause} » : texte différent de celui signé")
    changed = sorted(name for name in set(got) | set(want) if got.get(name) != want.get(name))
    if changed:
        out.append("parties du document différentes : " + ", ".join(changed))
    old, new = _paragraphs(got), _paragraphs(want)
    for index, (a, b) in enumerate(zip(old, new)):
        if a != b:
            shown_a, shown_b = _around_difference(a, b)
            out.append(f"premier paragraphe différent (n° {index + 1}) : « {shown_a} » dans le document signé, « {shown_b} » d’après le profil")
            break
    else:
        if len(old) != len(new):
            out.append(f"{len(old)} paragraphes dans le document signé, {len(new)} d’après le profil")
    return out


def check_signed(path: str | Path, expected: bytes, profile_path: str) -> str:
    """The SHA-256 of ``path`` when it is exactly ``expected`` (the signed profile's build); else SignedMismatch."""
    path = Path(path)
    try:
        found = path.read_bytes() if path.is_file() else None
    except OSError as exc:
        raise SignedMismatch(f"lecture impossible ({os_reason(exc)})", path) from None
    if found is None:
        raise SignedMismatch("document signé introuvable (--signe)", path, hint="indiquez le .docx du contrat tel qu’il a été signé")
    digest = hashlib.sha256(found).hexdigest()
    wanted = hashlib.sha256(expected).hexdigest()
    if digest == wanted:
        return digest
    details = differences(found, expected)
    raise SignedMismatch(
        f"ce document n’est pas le contrat que produit {profile_path} (SHA-256 {digest[:16]}… au lieu de {wanted[:16]}…) : "
        + " ; ".join(details),
        path,
        hint="un avenant se rédige sur le texte signé : retrouvez le fichier signé, ou le profil et la bibliothèque qui l’ont produit",
    )
