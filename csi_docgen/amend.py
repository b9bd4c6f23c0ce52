"""Drawing an avenant: every check first, then the avenant and the consolidated contract written.

:func:`draw_avenant` loads the signed version and the amended one (with
their chain, see :mod:`csi_docgen.avenant`), refuses — French error, file and
line, nothing written — when the amended profile does not name the signed
one as its precedent, when they are not two versions of one contract, when
nothing changed, or when the signed .docx given is not what the signed
profile builds (:mod:`csi_docgen.signed`); then writes the avenant and the
consolidated .docx with Word revisions (:mod:`csi_docgen.docx.revisions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import changes as am
from .avenant import AUTHOR, Version, _where, avenant_contract, load_version
from .api import slug
from .clauses import Library
from .contract import Contract
from .errors import ProfileError
@dataclass(frozen=True)
class AvenantResult:
    number: int
    avenant_path: Path
    consolidated_path: Path
    avenant_sha256: str
    consolidated_sha256: str
    signed_sha256: str  # of the signed version's document (checked against --signe when given)
    changes: tuple[am.Amendment, ...]
    avenant: Contract
    amended: Contract


def _same_contract(signed: Version, amended: Version) -> None:
    a, b = signed.profile.data, amended.profile.data
    checks = (
        ("collectivite.nom", a.collectivite.nom, b.collectivite.nom),
        ("collectivite.type", a.collectivite.type, b.collectivite.type),
        ("collectivite.code_insee", a.collectivite.code_insee, b.collectivite.code_insee),
        ("periode.debut", a.periode.debut, b.periode.debut),
    )
    for key, old, new in checks:
        if old != new:
            raise ProfileError(
                f"{key} : « {new} » ici, « {old} » dans le contrat signé ({signed.path}) — ce ne sont pas deux versions du même contrat",
                amended.path,
                _where(amended.profile, *key.split(".")),
                hint="un avenant modifie le contrat signé de la même collectivité pour la même période",
            )


def _revision_date(amended: Version) -> Optional[str]:
    when = amended.profile.data.avenant.date
    return f"{when.isoformat()}T00:00:00Z" if when else None


def names(amended: Version) -> tuple[str, str]:
    """File names of the avenant and of the consolidated contract."""
    base = f"{slug(amended.contract.collectivite)}-{amended.contract.periode}"
    return f"Avenant-{amended.number}-{base}.docx", f"CSI-{base}-consolide-avenant-{amended.number}.docx"


def draw_avenant(
    signed_source,
    amended_source,
    output_dir=None,
    *,
    signed_docx=None,
    library: Library | None = None,
    template=None,
) -> AvenantResult:
    """Check both versions, then write the avenant and the consolidated contract with tracked changes.

    Raises InvalidInput (French message, file and line) and writes nothing
    when a profile is invalid, the versions are not of one contract, nothing
    changed, or ``signed_docx`` is not what the signed profile builds.
    """
    import hashlib

    from .atomic import require_path, write_bytes_atomic
    from .clauses import load_library
    from .docx.revisions import tracked_docx
    from .docx.writer import render_docx
    from .signed import check_signed

    for what, value in (("le dossier de sortie", output_dir), ("le document signé", signed_docx), ("le modèle", template)):
        if value is not None:
            require_path(what, value)
    library = library or load_library()
    signed = load_version(signed_source, library)
    amended = load_version(amended_source, library)
    if amended.previous is None:
        raise ProfileError(
            "ce profil ne dit pas quelle version il modifie",
            amended.path,
            1,
            hint=f"ajoutez « avenant: » avec « precedent: {Path(signed.path).name} » (le profil du contrat signé)",
        )
    if Path(amended.previous.path).resolve() != Path(signed.path).resolve():
        raise ProfileError(
            f"avenant.precedent désigne {amended.previous.path}, pas {signed.path}",
            amended.path,
            _where(amended.profile, "avenant", "precedent"),
            hint="donnez en premier le profil de la version que cet avenant modifie",
        )
    _same_contract(signed, amended)
    root = signed.root
    if root.profile.data.signature.date is None:
        raise ProfileError(
            "signature.date : le contrat signé n’a pas de date de signature ; un avenant cite le contrat et sa date",
            root.path,
            _where(root.profile, "signature"),
            hint="renseignez la date à laquelle le contrat a été signé (AAAA-MM-JJ)",
        )
    changes = am.amendments(signed.contract, amended.contract)
    if not changes:
        raise ProfileError(
            f"aucune différence d’article, d’intitulé ou d’annexe avec {signed.path} : rien à modifier par avenant",
            amended.path,
        )

    signed_bytes = render_docx(signed.contract, template)
    signed_sha = hashlib.sha256(signed_bytes).hexdigest()
    if signed_docx is not None:
        if signed.number:
            root_bytes = render_docx(root.contract, template)
            check_signed(signed_docx, root_bytes, root.path)
        else:
            check_signed(signed_docx, signed_bytes, signed.path)
    avenant = avenant_contract(signed, amended, changes, signed_sha)
    avenant_bytes = render_docx(avenant, template)
    consolidated = tracked_docx(signed_bytes, render_docx(amended.contract, template), AUTHOR.format(n=amended.number), _revision_date(amended))

    folder = Path(output_dir) if output_dir is not None else Path("output") / slug(amended.contract.collectivite)
    avenant_name, consolidated_name = names(amended)
    avenant_path, consolidated_path = folder / avenant_name, folder / consolidated_name
    write_bytes_atomic(avenant_path, avenant_bytes)
    write_bytes_atomic(consolidated_path, consolidated)
    return AvenantResult(
        amended.number,
        avenant_path,
        consolidated_path,
        hashlib.sha256(avenant_bytes).hexdigest(),
        hashlib.sha256(consolidated).hexdigest(),
        signed_sha,
        changes,
        avenant,
        amended.contract,
    )
