"""One verdict on a profile: what ``csi-docgen valider`` prints and what ``check_profile`` returns.

A profile is valid when ``build`` accepts it: it is read, checked against
the library, and its texts are rendered (a clause can print an optional
value the profile leaves out: only rendering finds it). Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .assembly import assemble
from .clauses import Library, load_library
from .errors import InvalidInput, Issue
from .contract import Contract
from .profile import Profile, require_source, resolve_profile


@dataclass(frozen=True)
class ProfileCheck:
    """The verdict on one profile: every error and warning, in the order of the file."""

    issues: tuple[Issue, ...]
    profile: Profile | None = None  # when it has no error
    contract: Contract | None = None  # its texts rendered, when it has no error
    strict: bool = False  # warnings count as errors

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues that make the profile invalid (warnings too when ``strict``; notes never)."""
        return tuple(i for i in self.issues if i.severity == "erreur" or (self.strict and i.severity == "avertissement"))

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "avertissement")

    @property
    def notes(self) -> tuple[Issue, ...]:
        """Remarks a drafter may want to check (reciprocity…); never refused, even by ``strict``."""
        return tuple(i for i in self.issues if i.severity == "note")

    @property
    def valid(self) -> bool:
        return self.contract is not None and not self.errors

    def __bool__(self) -> bool:
        return self.valid


def check_profile(
    source: str | Path | Mapping[str, Any],
    library: Library | None = None,
    *,
    strict: bool = False,
    base_dir: str | Path | None = None,
) -> ProfileCheck:
    """Every error and warning of a profile, its texts rendered; never raises on the profile's content.

    ``library`` defaults to the shipped one. Raises ProfileError only for a
    source of the wrong kind (neither a path nor a mapping).
    """
    require_source(source)
    library = library if library is not None else load_library()
    try:
        profile, issues = resolve_profile(source, library, base_dir=base_dir)
    except InvalidInput as exc:
        return ProfileCheck(tuple(exc.issues), strict=strict)
    if profile is None:
        return ProfileCheck(tuple(issues), strict=strict)
    try:
        contract = assemble(profile, library)
        if profile.data.avenant is not None:  # what « build » checks of the versions it amends
            from .avenant import load_version

            load_version(profile, library)
    except InvalidInput as exc:
        return ProfileCheck((*issues, *exc.issues), profile, strict=strict)
    return ProfileCheck(tuple(issues), profile, contract, strict=strict)
