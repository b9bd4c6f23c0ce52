"""The error tree of csi-docgen.

Every problem a user can cause is a :class:`UserError` carrying where it is
(``path``, ``line``, ``column``), what is wrong (``message``, in French) and
an optional ``hint`` ("vouliez-vous dire …"). Errors never print; the CLI
formats them and maps them to exit codes. Several problems found in one pass
travel together in an :class:`InvalidInput`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Issue:
    """One problem (or warning) located in a user file."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    severity: str = "erreur"  # "erreur", "avertissement" or "note" (never refused, even by --strict)

    @property
    def location(self) -> str:
        if not self.path:
            return ""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        text = f"{self.location} : {self.message}" if self.location else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class CsiError(Exception):
    """Base of every error csi-docgen raises on purpose."""

    exit_code = 1


class InvalidInput(CsiError):
    """One or more problems in the user's files: nothing was built."""

    exit_code = 1

    def __init__(self, issues: Sequence[Issue]):
        self.issues = tuple(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class UserError(InvalidInput):
    """A single located problem; the base of the specific families below."""

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ):
        self.issue = Issue(message, str(path) if path else None, line, column, hint)
        super().__init__([self.issue])

    @property
    def path(self) -> str | None:
        return self.issue.path

    @property
    def line(self) -> int | None:
        return self.issue.line

    @property
    def hint(self) -> str | None:
        return self.issue.hint


class YamlError(UserError):
    """A file that is not the YAML we accept."""


class ClauseError(UserError):
    """A clause file of the library is wrong."""


class ProfileError(UserError):
    """A city profile is wrong."""


class RenderError(UserError):
    """A clause or article text could not be rendered."""


class AnnexError(UserError):
    """An external annex is missing, outside the profile's folder or unreadable."""


class OutputError(CsiError):
    """The output could not be written (permissions, disk full…)."""

    exit_code = 1


class ToolMissing(CsiError):
    """An external program (LibreOffice) is needed and absent."""

    exit_code = 1


def suggest(name: str, known: Iterable[str]) -> str | None:
    """French "did you mean" hint for a name close to a known one."""
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f"vouliez-vous dire « {close[0]} » ?" if close else None


@dataclass
class IssueCollector:
    """Gathers every problem of one pass so they are reported together."""

    issues: list[Issue] = field(default_factory=list)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def error(self, message: str, path=None, line=None, column=None, hint=None) -> None:
        self.issues.append(Issue(message, str(path) if path else None, line, column, hint))

    def warn(self, message: str, path=None, line=None, column=None, hint=None) -> None:
        self.issues.append(
            Issue(message, str(path) if path else None, line, column, hint, "avertissement")
        )

    def note(self, message: str, path=None, line=None, column=None, hint=None) -> None:
        self.issues.append(Issue(message, str(path) if path else None, line, column, hint, "note"))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "erreur"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity != "erreur"]

    def raise_if_errors(self, strict: bool = False) -> None:
        bad = [i for i in self.issues if i.severity != "note"] if strict else self.errors
        if bad:
            raise InvalidInput(sorted(bad, key=_issue_order))


def _issue_order(issue: Issue):
    return (issue.path or "", issue.line or 0, issue.column or 0)
