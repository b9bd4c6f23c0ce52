"""Loading and checking the clause library.

A clause file is a YAML front matter between ``---`` lines, then a Markdown
body with Jinja2 placeholders. :func:`load_library` reads every file of a
folder, checks everything a drafter can get wrong and reports all problems
at once, each with its file and line.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict

from . import diskcache, french, render, ties
from .errors import ClauseError, InvalidInput, Issue, IssueCollector, YamlError, suggest
from .regular import shown_path
from .resources import clauses_dir, templates_dir
from .schema import Bool, ClauseHeader, Parametre, validate
from .values import coerce
from .yamlpos import Located, load_yaml, load_yaml_file, read_text

DECLARATIONS = "bibliotheque.yaml"


@dataclass(frozen=True)
class Clause:
    """A clause of the library (or inline in a profile): its header, its compiled text's name and where it comes from."""

    header: ClauseHeader
    template_name: str
    path: str  # as shown to users
    body_line: int  # first line of the body in the file
    sha256: str
    origin: str = "bibliotheque"

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def params(self) -> dict[str, Parametre]:
        return self.header.parametres

    # Typeset once per clause, on first use (every contract quoting the clause shows them).
    @cached_property
    def title(self) -> str:
        """The title in French typography."""
        return french.typography(self.header.titre)

    @cached_property
    def indicator_labels(self) -> tuple[tuple[str, str], ...]:
        """(libellé, source) of each indicator, in French typography."""
        return tuple((french.typography(i.libelle), french.typography(i.source)) for i in self.header.indicateurs)


@dataclass(frozen=True)
class FixedArticle:
    """An editable fixed article of every contract (objet, durée, gouvernance…), from ``templates/articles``."""

    id: str
    title: str
    position: str  # "debut" or "fin"
    template_name: str
    path: str
    optional: bool = False  # a profile may leave it out (« articles: {id: {omis: oui}} »)


@dataclass(frozen=True)
class Library:
    """The clause library as loaded: a snapshot that nothing changes afterwards.

    It owns its Jinja environment, which serves exactly the templates of its
    clauses and fixed articles (a profile's inline clauses live in the
    profile's own :class:`~csi_docgen.render.Overlay`). Loading the library
    again reads every file again. ``memo`` remembers rendered texts between
    builds by their content (:class:`~csi_docgen.render.Memo`): dropping
    the library drops it.
    """

    root: Path
    volets: dict[str, str]
    parties: dict[str, str]
    sources: dict[str, str]
    clauses: dict[str, Clause]
    env: Any = field(repr=False, default=None, compare=False)
    fixed: tuple[FixedArticle, ...] = ()
    memo: render.Memo = field(repr=False, default_factory=render.Memo, compare=False)

    def __len__(self) -> int:
        return len(self.clauses)

    def __getitem__(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self.clauses

    @property
    def socle(self) -> list[Clause]:
        return [c for c in self.clauses.values() if c.header.socle]

    def select(self, volet=None, partie=None, socle=None) -> list[Clause]:
        return [
            c
            for c in self.clauses.values()
            if (volet is None or c.header.volet == volet)
            and (partie is None or c.header.partie == partie)
            and (socle is None or c.header.socle == socle)
        ]

    def counts(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(partie, volet) → (clauses, of which socle), in declaration order."""
        out: dict[tuple[str, str], tuple[int, int]] = {}
        for partie in self.parties:
            for volet in self.volets:
                chosen = self.select(volet=volet, partie=partie)
                if chosen:
                    out[(partie, volet)] = (len(chosen), sum(c.header.socle for c in chosen))
        return out


def split_front_matter(text: str, display: str) -> tuple[str, str, int]:
    """Header text, body text (header lines blanked) and the body's first line."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ClauseError(
            "le fichier doit commencer par une ligne « --- » suivie de l'en-tête",
            display,
            1,
            hint="voir clauses/README.md, « À quoi ressemble une clause »",
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            header = "\n".join(lines[1:index])
            body = "\n" * (index + 1) + "\n".join(lines[index + 1 :])
            return header, body, index + 2
    raise ClauseError(
        "l'en-tête n'est pas fermé par une ligne « --- »",
        display,
        1,
        hint="ajoutez une ligne « --- » entre l'en-tête et le texte",
    )


def load_library(path: str | Path | None = None) -> Library:
    """Load and check a clause library folder (the shipped one by default)."""
    root = _root(path)
    library, issues = _read_library(root)
    if issues.errors:
        issues.raise_if_errors()
    return library


def check_library(path: str | Path | None = None) -> tuple[Library | None, list[Issue]]:
    """Every problem of a library, for ``verifier-clauses``; never raises on content."""
    root = _root(path)
    library, issues = _read_library(root)
    return (None if issues.errors else library), issues.issues


def _display(root: Path, file: Path) -> str:
    try:
        return shown_path(Path(root.name) / file.relative_to(root))
    except ValueError:
        return shown_path(file)


def _root(path) -> Path:
    if path is None:
        return clauses_dir()
    if not isinstance(path, (str, PathLike)):
        raise ClauseError(f"une bibliothèque de clauses est un chemin de dossier, pas {type(path).__name__}", "<bibliothèque>")
    return Path(path)


def _read_library(root: Path) -> tuple[Library, IssueCollector]:
    try:
        is_dir = root.is_dir()
    except (OSError, ValueError):
        is_dir = False
    if not is_dir:
        raise ClauseError("dossier de clauses introuvable", str(root))
    # A library without any problem, read before by a process, comes back
    # from the user's cache folder under the digest of every file it is made
    # of (see csi_docgen.diskcache); anything else is read and checked.
    key = _library_key(root)
    kept = diskcache.load("bibliotheques", key) if key else None
    if isinstance(kept, tuple) and len(kept) == 6:
        volets, parties, sources, clauses, fixed, templates = kept
        env = render.make_environment(templates, diskcache.jinja_bytecode_cache())
        return Library(root, volets, parties, sources, clauses, env, fixed), IssueCollector()
    library, issues = _check_library_files(root)
    if key and not issues.issues:
        templates = dict(library.env.loader.sources)  # type: ignore[union-attr]
        diskcache.store("bibliotheques", key, (library.volets, library.parties, library.sources, library.clauses, library.fixed, templates))
    return library, issues


def _library_key(root: Path) -> str | None:
    """The digest of every file a library is read from (and of the code that reads it); None if one cannot be read."""
    digest = hashlib.sha256(diskcache.code_fingerprint("csi_docgen", "jinja2", "pydantic", "yaml").encode())
    digest.update(str(root.resolve()).encode("utf-8", "surrogateescape"))
    try:
        fixed_folder = templates_dir() / "articles"
        files = [root / DECLARATIONS, *sorted(root.rglob("*.md")), *sorted(fixed_folder.glob("*.md"))]
        for file in files:
            if not stat.S_ISREG(os.stat(file).st_mode):  # a FIFO would block: the checks say what it is
                return None
            digest.update(b"\0" + str(file).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(file.read_bytes())
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _check_library_files(root: Path) -> tuple[Library, IssueCollector]:
    issues = IssueCollector()
    decl_path = root / DECLARATIONS
    volets, parties, sources = _read_declarations(decl_path, _display(root, decl_path), issues)
    templates: dict[str, render.TemplateSource] = {}
    checking = Library(root, volets, parties, sources, {}, render.make_environment())
    clauses = checking.clauses  # filled here, never after
    first_seen: dict[str, str] = {}
    for file in sorted(root.rglob("*.md")):
        if file.name.upper() == "README.MD":
            continue
        display = _display(root, file)
        try:
            clause, clause_sources = read_clause_file(file, display, checking)
        except ClauseError as exc:
            issues.extend(exc.issues)
            continue
        except YamlError as exc:
            issues.extend(exc.issues)
            continue
        cid = clause.id
        if cid in clauses:
            issues.error(
                f"identifiant « {cid} » déjà employé par {first_seen[cid]}",
                display,
                clause.body_line and _header_line(file, "id"),
                hint="chaque clause a un identifiant unique",
            )
            continue
        first_seen[cid] = display
        clauses[cid] = clause
        templates.update(clause_sources)
    fixed: tuple[FixedArticle, ...] = ()
    try:
        fixed, fixed_sources = read_fixed_articles()
    except InvalidInput as exc:
        issues.extend(exc.issues)
    else:
        templates.update(fixed_sources)
    env = render.make_environment(templates, diskcache.jinja_bytecode_cache())
    library = Library(root, volets, parties, sources, clauses, env, fixed)
    return library, issues


class _FixedHeader(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    titre: str
    position: Literal["debut", "fin"]
    facultatif: Bool = False


def read_fixed_articles(folder: str | Path | None = None) -> tuple[tuple[FixedArticle, ...], dict[str, render.TemplateSource]]:
    """The fixed articles of ``folder`` (``templates/articles`` by default) and their template sources.

    Raises InvalidInput with every header problem.
    """
    folder = Path(folder) if folder is not None else templates_dir() / "articles"
    found = []
    sources = {}
    issues: list[Issue] = []
    for file in sorted(folder.glob("*.md")):
        display = f"templates/articles/{file.name}"
        text = read_text(file, display)
        header_text, body, _ = split_front_matter(text, display)
        located = load_yaml(header_text, display, line_offset=1)
        header, problems = validate(_FixedHeader, located)
        issues += problems
        if header is not None:
            name = f"fixe:{header.id}"
            found.append(FixedArticle(header.id, header.titre, header.position, name, display, header.facultatif))
            sources[name] = render.TemplateSource(name, body, display)
    if issues:
        raise InvalidInput(issues)
    return tuple(found), sources


def _header_line(file: Path, key: str) -> int | None:
    for number, line in enumerate(file.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return None


def _read_declarations(path: Path, display: str, issues: IssueCollector):
    located = load_yaml_file(path, display)
    data = located.data if isinstance(located.data, dict) else {}
    result = []
    for key in ("volets", "parties", "sources"):
        section = data.get(key)
        if not isinstance(section, dict) or not section:
            line, _ = located.where((key,))
            issues.error(f"section « {key} » absente ou vide (clé: titre attendues)", display, line)
            result.append({})
            continue
        result.append({str(k): str(v) for k, v in section.items()})
    unknown = set(data) - {"volets", "parties", "sources"}
    for key in sorted(unknown):
        line, _ = located.key_where((key,))
        issues.error(f"section « {key} » inconnue", display, line, hint=suggest(key, ["volets", "parties", "sources"]))
    return tuple(result)


def read_clause_file(file: Path, display: str, library: Library) -> tuple[Clause, dict[str, render.TemplateSource]]:
    """A clause and its template sources (its text, its indicators' tie texts)."""
    text = read_text(file, display)
    header_text, body, body_line = split_front_matter(text, display)
    located = load_yaml(header_text, display, line_offset=1)
    if not isinstance(located.data, dict):
        raise ClauseError("l'en-tête doit être une suite de lignes « clé: valeur »", display, 2)
    issues = check_clause(located, body, display, library)
    if issues:
        raise _bundle(issues)
    header = ClauseHeader.model_validate(located.data)
    name = f"clause:{header.id}"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    sources = {name: render.TemplateSource(name, body, display), **ties.tie_sources(name, header.indicateurs, display)}
    return Clause(header, name, display, body_line, digest), sources


def _bundle(issues: list[Issue]) -> ClauseError:
    error = ClauseError(issues[0].message, issues[0].path, issues[0].line, issues[0].column, issues[0].hint)
    error.issues = tuple(issues)
    error.args = ("\n".join(str(i) for i in issues),)
    return error


def check_clause(located: Located, body: str, display: str, library: Library) -> list[Issue]:
    """Every problem of one clause (header and body), even when the header is invalid."""
    header, issues = validate(ClauseHeader, located)
    issues += control_characters("", display, located.removed)
    raw = located.data
    issues += _check_references(raw, located, display, library)
    raw_params = raw.get("parametres") if isinstance(raw.get("parametres"), dict) else {}
    if header is not None:
        issues += check_parameters(header.parametres, located, ("parametres",), display)
        issues += check_funders(header.parametres, header.partie, located, ("parametres",), display)
        issues += ties.check_ties(library.env, header.indicateurs, header.parametres, located, ("indicateurs",), display)
    issues += check_body(library.env, body, display, raw_params, located, ("parametres",))
    issues += check_situation(body, display, header.parametres if header is not None else None, located)
    return sorted(issues, key=lambda i: (i.line or 0, i.column or 0))


# A clause never decides on its own whether a structure exists or is to be created.
CREATION = re.compile(r"\bcré(?:er|ation|ations)\b", re.IGNORECASE)
SITUATIONS = ("a-creer", "existant")


def check_situation(body: str, display: str, params: dict[str, Parametre] | None, located: Located) -> list[Issue]:
    """A text that speaks of creating something needs the profile's choice « situation: a-creer | existant »."""
    if params is None:
        return []
    situation = params.get("situation")
    if situation is not None:
        if situation.type != "choix" or sorted(situation.valeurs or ()) != sorted(SITUATIONS) or situation.defaut is not None or situation.facultatif:
            line, col = located.key_where(("parametres", "situation"))
            return [
                Issue(
                    "paramètre « situation » : choix obligatoire attendu, de valeurs « a-creer » et « existant », sans valeur par défaut",
                    display,
                    line,
                    col,
                    hint="c'est au profil de dire si la structure existe déjà ou doit être créée (voir clauses/README.md, « Écrire une variante »)",
                )
            ]
        return []
    found = CREATION.search(body)
    if not found:
        return []
    line = body.count("\n", 0, found.start()) + 1
    column = found.start() - (body.rfind("\n", 0, found.start()) + 1) + 1
    return [
        Issue(
            f"le texte parle de « {found.group(0)} » sans laisser le profil choisir si la structure existe déjà",
            display,
            line,
            column,
            hint="déclarez « situation: {type: choix, valeurs: [a-creer, existant]} » et écrivez les deux variantes (voir clauses/README.md, « Écrire une variante »)",
        )
    ]


def _check_references(raw: dict, located: Located, display: str, library: Library) -> list[Issue]:
    issues = []
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    for loc, value, known, what in (
        (("volet",), raw.get("volet"), library.volets, "volet « {} » inconnu"),
        (("partie",), raw.get("partie"), library.parties, "partie « {} » inconnue"),
        (("source", "document"), source.get("document"), library.sources, "document source « {} » inconnu"),
    ):
        if not isinstance(value, str) or not known or value in known:
            continue
        line, col = located.where(loc)
        issues.append(
            Issue(
                what.format(value) + " de bibliotheque.yaml",
                display,
                line,
                col,
                suggest(value, known) or f"valeurs possibles : {', '.join(known)}",
            )
        )
    return issues


def check_parameters(params: dict[str, Parametre], located: Located, base: tuple, display: str) -> list[Issue]:
    """Defaults must fit their declared type."""
    issues = []
    for name, param in params.items():
        if param.defaut is None:
            continue
        _, problem = coerce(param, param.defaut)
        if problem:
            line, col = located.where(base + (name, "defaut"))
            issues.append(Issue(f"paramètre « {name} » : valeur par défaut invalide : {problem}", display, line, col))
    return issues


# Parties that are several payers at once: their amounts must name who pays.
JOINT_PARTIES = frozenset({"commun"})


def check_funders(params: dict[str, Parametre], partie: str, located: Located, base: tuple, display: str) -> list[Issue]:
    """An amount of a joint commitment names its funder (« Engagement commun » pays nothing)."""
    issues = []
    if partie not in JOINT_PARTIES:
        return issues
    for name, param in params.items():
        if param.type == "montant" and param.financeur is None:
            line, col = located.key_where(base + (name,))
            issues.append(
                Issue(
                    f"paramètre « {name} » : montant d'un engagement commun sans « financeur »",
                    display,
                    line,
                    col,
                    hint="dites qui apporte ce montant : « financeur: etat », « financeur: collectivite » ou le nom du financeur",
                )
            )
    return issues


def control_characters(text: str, display: str, positions=()) -> list[Issue]:
    """Invisible control characters (a .docx cannot hold them), one error per line."""
    found = list(positions)
    if french.has_illegal_chars(text):
        for number, line in enumerate(text.split("\n"), 1):
            if french.has_illegal_chars(line):
                column = next(i for i, ch in enumerate(line, 1) if french.has_illegal_chars(ch))
                found.append((number, column))
    return [
        Issue(
            "caractère de contrôle invisible dans le texte (un document Word ne peut pas le contenir)",
            display,
            line,
            column,
            hint="supprimez-le : il vient souvent d'un copier-coller depuis un courriel ou un PDF",
        )
        for line, column in sorted(set(found))
    ]


def check_body(env, body: str, display: str, params: dict[str, Parametre], located: Located, base: tuple, memo=None) -> list[Issue]:
    """Jinja syntax, undeclared names, unknown filters and unused parameters."""
    issues, used = render.check_template(env, body, display, params, memo)
    issues += control_characters(body, display)
    if issues:
        return issues
    for name in params:
        if name not in used:
            line, col = located.key_where(base + (name,))
            issues.append(
                Issue(
                    f"paramètre « {name} » déclaré mais jamais employé dans le texte",
                    display,
                    line,
                    col,
                    hint=f"employez {{{{ {name} }}}} dans le texte ou retirez la déclaration",
                )
            )
    return issues
