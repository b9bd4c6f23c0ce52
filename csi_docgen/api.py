"""The library's front door: from a profile to a written contract."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .assembly import assemble
from .clauses import Library, load_library
from .atomic import require_path
from .contract import Contract
from .profile import Profile, load_profile


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` wrote: the file, its SHA-256, the contract and the profile's warnings."""

    path: Path
    sha256: str
    contract: Contract
    warnings: tuple[str, ...]


def slug(text: str) -> str:
    """"Clermont-Ferrand" → "clermont-ferrand" (for file names; at most 80 characters, so that
    « CSI-…-2021-2026.docx » stays within the 255 bytes a file name may hold)."""
    # A typographic apostrophe separates words like a straight one (« L’Isle » → « l-isle »).
    ascii_text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-") or "contrat"


def default_output(contract: Contract, root: str | Path = "output") -> Path:
    name = slug(contract.collectivite)
    return Path(root) / name / f"CSI-{name}-{contract.periode}.docx"


def _target(collectivite: str, periode: str, output, output_dir, suffix: str = "") -> Path:
    """Where a contract goes: ``output`` (a file), else the default name under ``output_dir`` (or output/<ville>/).

    An ``output`` written with a final slash is a folder (« sortie/ » made a file named « sortie »)."""
    if output is not None:
        if not (isinstance(output, str) and output.endswith(("/", "\\"))):
            return Path(output)
        output_dir = output
    name = slug(collectivite)
    if output_dir is not None:
        return Path(output_dir) / f"CSI-{name}-{periode}{suffix}.docx"
    return Path("output") / name / f"CSI-{name}-{periode}{suffix}.docx"


def _suffix(profile: Profile) -> str:
    """An amended version is not the signed contract: « -avenant-N » in its default name."""
    if profile.data.avenant is None:
        return ""
    from .avenant import chain_number

    return f"-avenant-{chain_number(profile.data.avenant.numero, profile.data.avenant.precedent, Path(profile.base_dir))}"


def _raw_suffix(section, base: Path) -> str:
    """:func:`_suffix` from a profile file's « avenant » section as read (before validation)."""
    if not isinstance(section, dict):
        return ""
    from .avenant import chain_number

    numero = section.get("numero")
    return f"-avenant-{chain_number(numero if isinstance(numero, int) else None, section.get('precedent'), base)}"


def planned_output(source: str | Path, output=None, output_dir=None) -> Path | None:
    """The path ``build`` will write for the profile file ``source``, or None when it cannot build.

    Only what names the file is read (collectivité and période, validated by
    the same models as the whole profile), so a batch can check its paths
    before anything is written without loading every profile twice.
    """
    from pydantic import ValidationError

    from . import french
    from .errors import CsiError
    from .schema import Collectivite, Periode
    from .yamlpos import load_yaml, read_text

    try:
        data = load_yaml(read_text(Path(source), str(source)), str(source)).data
        coll = Collectivite.model_validate(data["collectivite"])
        periode = Periode.model_validate(data["periode"])
    except (CsiError, ValidationError, KeyError, TypeError):
        return None  # the build says what is wrong, and writes nothing
    suffix = _raw_suffix(data.get("avenant"), Path(source).resolve().parent)
    return _target(french.clean_text(coll.nom), french.periode(periode.debut, periode.fin), output, output_dir, suffix)


def contract_from(
    source: str | Path | Mapping[str, Any] | Profile,
    library: Library | None = None,
    *,
    strict: bool = False,
) -> Contract:
    """Load, check and assemble a profile into a Contract (no file written)."""
    library = library or load_library()
    profile = source if isinstance(source, Profile) else load_profile(source, library, strict=strict)
    if profile.data.avenant is not None:  # an amended version: numbered as signed (see avenant.py)
        from .avenant import load_version

        return load_version(profile, library).contract
    return assemble(profile, library)


def build(
    source: str | Path | Mapping[str, Any],
    output: str | Path | None = None,
    *,
    library: Library | None = None,
    template: str | Path | None = None,
    strict: bool = False,
    output_dir: str | Path | None = None,
) -> BuildResult:
    """Build one contract to .docx. ``output`` is a file; ``output_dir`` a folder
    in which the default name is used."""
    for what, value in (("la sortie (output)", output), ("le dossier de sortie (output_dir)", output_dir), ("le modèle (template)", template)):
        if value is not None:
            require_path(what, value)
    library = library or load_library()
    profile = source if isinstance(source, Profile) else load_profile(source, library, strict=strict)
    contract = contract_from(profile, library)
    target = _target(contract.collectivite, contract.periode, output, output_dir, _suffix(profile))
    digest = contract.to_docx(target, template=template)
    return BuildResult(target, digest, contract, contract.warnings + template_warnings(contract, template))


def template_warnings(contract: Contract, template) -> tuple[str, ...]:
    """What was removed from a caller's template (macros, attached template…), as warnings."""
    if template is None:
        return ()
    from .docx.package import prepared

    # The package the contract was just written with (remembered by its digest).
    removed = prepared(template, [a for a in contract.annexes if a.kind == "externe"]).template.removed
    return (f"le modèle « {template} » : contenu retiré : {', '.join(removed)}",) if removed else ()
