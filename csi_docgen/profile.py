"""Loading and validating a city profile against the clause library.

A profile picks and parameterises clauses, adds its own (inline clauses and
custom volets) and sets socle measures aside with a motif. Every problem is
reported with the profile's file and line, all at once. Profile values are
data: they are type-checked, never evaluated.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any, Mapping

from . import french, quantities, render, ties
from .clauses import Clause, Library, check_body, check_funders, check_parameters
from .errors import InvalidInput, Issue, IssueCollector, ProfileError, suggest
from .schema import (
    BUILTIN_PARTIES,
    ClauseHeader,
    ClauseRef,
    InlineClause,
    SOCLE_STATUSES,
    ProfileData,
    Source,
    validate,
)
from .values import coerce
from .regular import NOT_REGULAR, shown_path
from .yamlpos import Located, load_yaml, read_text

# Municipal mandates (elected in March of the first year, ending in March of the second).
MANDATES = ((2014, 2020), (2020, 2026), (2026, 2032))
MAX_YEARS = 6
# What « csi-docgen init » writes where the drafter has to fill in a value.
PLACEHOLDER = re.compile(r"\b[ÀA] compléter\b", re.IGNORECASE)


def mandate_at(year: int) -> tuple[int, int] | None:
    """The municipal mandate in progress at the start of ``year`` (None when unknown)."""
    current = None
    for start, end in MANDATES:
        if start <= year:
            current = (start, end)
    if current is None or year >= current[1]:
        return None
    return current


def current_mandate(today: date | None = None) -> tuple[int, int]:
    """The mandate in progress today, or the last one known."""
    year = (today or date.today()).year
    return mandate_at(year) or MANDATES[-1]


@dataclass(frozen=True)
class SelectedClause:
    """A clause the profile keeps, with its checked values and indicator choices."""

    clause: Clause
    values: Mapping[str, Any]
    indicators: Mapping[str, Any]  # indicator id → ValeursIndicateur
    dropped_indicators: tuple[str, ...] = ()
    covers: str | None = None  # socle measure fulfilled by this clause of the profile
    title: str | None = None  # the profile's own title for the article

    @property
    def titre(self) -> str:
        return self.title or self.clause.header.titre


@dataclass(frozen=True)
class SelectedVolet:
    """A division the profile writes: its clauses, its sub-divisions, or the sentence saying they are pending."""

    key: str
    title: str
    custom: bool
    clauses: tuple[SelectedClause, ...]
    pending: str | None = None  # sentence printed when the engagements are not written yet
    subdivisions: tuple["SelectedVolet", ...] = ()

    @property
    def all_clauses(self) -> tuple[SelectedClause, ...]:
        return self.clauses + tuple(s for sub in self.subdivisions for s in sub.clauses)


@dataclass(frozen=True)
class SocleStatus:
    """What the profile says of a socle measure carried by no library clause of a volet."""

    status: str  # "couverte", "deja-en-oeuvre", "sans-objet", "non-retenue" or "non-traitee"
    text: str = ""  # the sentence (deja-en-oeuvre) or the motif
    clause_id: str | None = None  # the profile's clause that covers it


@dataclass
class Profile:
    """A validated profile, resolved against a library, ready to assemble."""

    path: str
    base_dir: Path
    data: ProfileData
    volets: tuple[SelectedVolet, ...]
    socle: dict[str, SocleStatus]  # socle measure id → status, for measures in no volet
    annex_files: tuple[tuple[str, Path, bool], ...]  # (titre, absolute path, accept its tracked changes)
    warnings: list[Issue] = field(default_factory=list)
    # The library's templates with this profile's inline clauses over them (never in the library).
    templates: render.Overlay | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        # The generated repr printed every clause with its header (tens of thousands of characters).
        d = self.data
        return (
            f"<Profile {self.path} — {d.collectivite.nom} — {d.periode.debut}-{d.periode.fin} : "
            f"{len(self.volets)} volet(s), {len(self.kept_ids)} clause(s), {len(self.warnings)} avertissement(s)>"
        )

    @property
    def kept_ids(self) -> list[str]:
        return [s.clause.id for v in self.volets for s in v.all_clauses]

    @property
    def set_aside(self) -> dict[str, str]:
        """Socle measures not retained (« socle_ecarte » or « non-retenue ») → motif."""
        return {k: v.text for k, v in self.socle.items() if v.status == "non-retenue"}


def load_profile(
    source: str | Path | Mapping[str, Any],
    library: Library | None = None,
    *,
    strict: bool = False,
    base_dir: str | Path | None = None,
) -> Profile:
    """Read, validate and resolve a profile (a path, or a dict from a notebook).

    Raises :class:`InvalidInput` with every problem found; with ``strict``
    warnings count as errors too. The clause texts are not rendered yet:
    :func:`csi_docgen.check_profile` gives the whole verdict, rendering included.
    """
    if library is None:
        from .clauses import load_library

        library = load_library()
    profile, issues = resolve_profile(source, library, base_dir=base_dir)
    bad = [i for i in issues if i.severity == "erreur" or (strict and i.severity == "avertissement")]
    if bad or profile is None:
        raise InvalidInput(sorted(bad or issues, key=_order))
    return profile


def _order(issue: Issue):
    return (issue.path or "", issue.line or 0, issue.column or 0)


def resolve_profile(
    source: str | Path | Mapping[str, Any], library: Library, *, base_dir=None
) -> tuple[Profile | None, list[Issue]]:
    """Every error and warning found reading and resolving a profile; the Profile when it has no error.

    Raises ProfileError for a source of the wrong kind and InvalidInput for a
    file that cannot be read as a profile at all (missing, empty, not YAML).
    """
    located, base = _read(source, base_dir, library.memo)
    issues = IssueCollector()
    display = located.path
    if located.data is None:
        raise ProfileError("profil vide", display, 1, hint="partez de « csi-docgen init VILLE »")
    if not isinstance(located.data, dict):
        raise ProfileError(
            "le profil doit être une suite de lignes « clé: valeur » (collectivite, periode, volets…)",
            display,
            located.where(())[0] or 1,
        )
    for line, col in located.removed:
        issues.warn(
            "caractère de contrôle invisible retiré (un document Word ne peut pas le contenir)",
            display,
            line,
            col,
            hint="il vient souvent d'un copier-coller depuis un courriel ou un PDF",
        )
    # Values are data: what a .docx cannot hold is dropped once, here.
    if located.escapes:
        located.data = _cleaned(located, (), located.data, issues)
    model, schema_issues = validate(ProfileData, located)
    issues.extend(schema_issues)
    raw_volets = located.data.get("volets") if isinstance(located.data.get("volets"), list) else []
    inline: dict[str, render.TemplateSource] = {}
    declared = _resolve_parties(located, library, issues)
    volets = _resolve_volets(raw_volets, located, library, issues, inline, declared)
    socle = _resolve_socle(located, library, volets, issues)
    annex_files = _resolve_annexes(located, base, issues)
    if not located.escapes:  # a YAML text without escapes: its values are as read
        for loc in located.matches:  # noted while reading it (_parse_profile)
            _placeholder_warning(located, loc, _value_at(located.data, loc), issues)
    else:  # a notebook's dict (escapes unknown), or values an escape sequence may have changed
        _placeholders(located, (), located.data, issues)
    if model is not None:
        _domain_checks(model, located, library, volets, socle, issues)
    ordered = sorted(issues.issues, key=_order)  # in the order of the file
    if issues.errors:
        return None, ordered
    profile = Profile(
        display, base, model, tuple(volets), socle, tuple(annex_files), sorted(issues.warnings, key=_order), render.Overlay(library.env, inline)
    )
    return profile, ordered


def require_source(source) -> None:
    """ProfileError unless ``source`` is what a profile can be given as (a path or a mapping)."""
    if not isinstance(source, (Mapping, str, PathLike)):
        raise ProfileError(
            f"un profil est un chemin de fichier .yaml ou un dictionnaire, pas {type(source).__name__}",
            "<profil>",
        )


def _parse_profile(text: str, display: str) -> Located:
    """A profile's text as YAML, with the places of « À compléter » values noted as it is read."""
    return load_yaml(text, display, watch=PLACEHOLDER)


def _read(source, base_dir, memo: render.Memo | None = None) -> tuple[Located, Path]:
    require_source(source)
    if isinstance(source, Mapping):
        # A dict from a notebook: no lines to show, but the same checks.
        try:
            data = _stringify(source)
        except RecursionError:
            raise ProfileError("structure trop profondément imbriquée (ou qui se contient elle-même)", "<profil>") from None
        located = Located(data, "<profil>", {(): (1, 1)})
        return located, Path(base_dir) if base_dir else Path.cwd()
    path = Path(source)
    display = shown_path(source)
    text = read_text(path, display)
    located = memo.parsed(text, display, _parse_profile) if memo is not None else _parse_profile(text, display)
    return located, Path(base_dir) if base_dir else path.resolve().parent


def _stringify(value: Any) -> Any:
    """A notebook dict gets the same treatment as YAML text: scalars as typed."""
    if isinstance(value, Mapping):
        return {str(k): _stringify(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_stringify(v) for v in value]
    return value


def _cleaned(located: Located, loc: tuple, value: Any, issues: IssueCollector) -> Any:
    """``value`` without the characters a .docx cannot hold, with a warning where one was."""
    if isinstance(value, dict):
        return {key: _cleaned(located, loc + (key,), item, issues) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(located, loc + (index,), item, issues) for index, item in enumerate(value)]
    if isinstance(value, str) and french.has_illegal_chars(value):
        if "\ud800" <= max(value) and any("\ud800" <= c <= "\udfff" for c in value):
            # « \ud83d\ude00 » (an escaped pair, as JSON writes an emoji) is one character.
            paired = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
            if paired.count("\ufffd") == value.count("\ufffd") and not french.has_illegal_chars(paired):
                return paired
            value = paired
        line, col = located.where(loc)
        issues.warn(
            "caractère de contrôle invisible retiré de la valeur (un document Word ne peut pas le contenir)",
            located.path,
            line,
            col,
            hint="il vient souvent d'un copier-coller depuis un courriel ou un PDF",
        )
        return french.clean_text(value)
    return value


# --- volets and clauses ------------------------------------------------------


def _resolve_parties(located: Located, library: Library, issues: IssueCollector) -> tuple[str, ...]:
    """The ids of the parties declared under « parties: » (each once, none a fixed party's)."""
    raw = located.data.get("parties")
    if not isinstance(raw, list):
        return ()
    seen: dict[str, int | None] = {}
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue  # the schema reports it
        pid = entry["id"]
        line, col = located.where(("parties", index, "id"))
        if pid in library.parties or pid in BUILTIN_PARTIES:
            issues.error(
                f"la partie « {pid} » existe déjà sans être déclarée",
                located.path,
                line,
                col,
                hint="ne déclarez sous « parties » que les parties autres que l'État et la collectivité, avec un identifiant propre",
            )
        elif pid in seen:
            issues.error(f"partie « {pid} » déclarée deux fois (déjà ligne {seen[pid]})", located.path, line, col)
        else:
            seen[pid] = line
    return tuple(seen)


def _division_words(located: Located) -> list[str]:
    options = located.data.get("options")
    words = options.get("divisions") if isinstance(options, dict) else None
    words = [words] if isinstance(words, str) else words
    if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
        return ["volet"]
    return words


def _resolve_volets(
    raw_volets: list, located: Located, library: Library, issues: IssueCollector, inline: dict, declared: tuple[str, ...] = ()
) -> list[SelectedVolet]:
    display = located.path
    words = _division_words(located)
    selected: list[SelectedVolet] = []
    seen_volets: set[str] = set()
    seen_clauses: dict[str, int | None] = {}
    for index, raw in enumerate(raw_volets):
        if not isinstance(raw, dict) or not isinstance(raw.get("volet"), str):
            continue  # the schema already reported it
        key = raw["volet"]
        custom = str(raw.get("personnalise", "")).lower() in ("true", "oui", "vrai", "yes")
        line, col = located.where(("volets", index, "volet"))
        if key in seen_volets:
            issues.error(f"volet « {key} » donné deux fois", display, line, col, hint="regroupez ses clauses")
            continue
        seen_volets.add(key)
        if not custom and key not in library.volets:
            issues.error(
                f"volet « {key} » inconnu de la bibliothèque",
                display,
                line,
                col,
                hint=suggest(key, library.volets)
                or "pour un volet propre au contrat, ajoutez « personnalise: true » et un « titre »",
            )
            continue
        title = raw.get("titre") if isinstance(raw.get("titre"), str) else library.volets.get(key, key)
        base = ("volets", index)
        chosen = _resolve_clause_list(raw, base, key, located, library, issues, seen_clauses, inline, declared)
        subs = []
        raw_subs = raw.get("sous_divisions") if isinstance(raw.get("sous_divisions"), list) else []
        if raw_subs and len(words) < 2:
            sub_line, sub_col = located.key_where(base + ("sous_divisions",))
            issues.error(
                f"« sous_divisions » sans second niveau de divisions dans « options »",
                display,
                sub_line,
                sub_col,
                hint=f"ajoutez sous « options : » la ligne « divisions: [{words[0]}, axe] » (le mot des sous-divisions)",
            )
        for position, raw_sub in enumerate(raw_subs):
            if not isinstance(raw_sub, dict) or not isinstance(raw_sub.get("titre"), str):
                continue  # the schema already reported it
            sub_base = base + ("sous_divisions", position)
            sub_chosen = _resolve_clause_list(raw_sub, sub_base, key, located, library, issues, seen_clauses, inline, declared)
            pending = _pending(raw_sub, sub_base, sub_chosen, words[-1], located, issues)
            subs.append(SelectedVolet(key, raw_sub["titre"], custom, tuple(sub_chosen), pending))
        pending = _pending(raw, base, chosen or subs, words[0], located, issues, line, col)
        selected.append(SelectedVolet(key, title, custom, tuple(chosen), pending, tuple(subs)))
    return selected


def _resolve_clause_list(
    raw: dict, base: tuple, key: str, located: Located, library: Library, issues: IssueCollector, seen_clauses: dict, inline: dict, declared: tuple
) -> list[SelectedClause]:
    entries = raw.get("clauses") if isinstance(raw.get("clauses"), list) else []
    chosen = []
    for position, entry in enumerate(entries):
        loc = base + ("clauses", position)
        picked = _resolve_entry(entry, loc, key, located, library, issues, inline, declared)
        if picked is None:
            continue
        cid = picked.clause.id
        if cid in seen_clauses:
            entry_line, _ = located.where(loc)
            issues.error(
                f"clause « {cid} » retenue deux fois (déjà ligne {seen_clauses[cid]})",
                located.path,
                entry_line,
            )
            continue
        seen_clauses[cid] = located.where(loc)[0]
        chosen.append(picked)
    return chosen


def _pending(raw: dict, base: tuple, content: list, word: str, located: Located, issues: IssueCollector, line=None, col=None) -> str | None:
    """The sentence of a division marked as pending; an error for a division with nothing in it."""
    sentence = raw.get("en_attente") if isinstance(raw.get("en_attente"), str) and raw["en_attente"].strip() else None
    if content or sentence:
        return sentence
    if "clauses" in raw and not isinstance(raw.get("clauses"), list):
        return None  # the schema already reported it
    if line is None:
        line, col = located.where(base + ("titre",))
    title = raw.get("titre") or raw.get("volet")
    issues.error(
        f"{word} « {title} » sans aucune clause : le contrat imprimerait un titre vide",
        located.path,
        line,
        col,
        hint=f"ajoutez ses clauses, ou marquez-le en attente avec la phrase à imprimer : « en_attente: Les engagements de ce {word} sont en cours d'élaboration. »",
    )
    return None


def _resolve_entry(entry, loc, volet_key, located: Located, library: Library, issues: IssueCollector, inline: dict, declared=()):
    display = located.path
    if isinstance(entry, str) and entry in library.clauses:
        # The common case: a bare id of the library, valid since the library is.
        clause = library.clauses[entry]
        return SelectedClause(clause, _check_values(clause, {}, loc + ("parametres",), located, issues), {})
    if isinstance(entry, str):
        ref, problems = _validate_value(ClauseRef, {"id": entry}, located, loc)
    elif isinstance(entry, dict) and "texte" in entry:
        return _inline_clause(entry, loc, volet_key, located, library, issues, inline, declared)
    elif isinstance(entry, dict):
        ref, problems = validate(ClauseRef, located, loc)
    else:
        line, col = located.where(loc)
        issues.error("clause attendue : un identifiant ou des lignes « id: … »", display, line, col)
        return None
    issues.extend(problems)
    if ref is None:
        return None
    if ref.id not in library.clauses:
        line, col = located.where(loc + ("id",))
        issues.error(
            f"clause « {ref.id} » inconnue de la bibliothèque",
            display,
            line,
            col,
            hint=suggest(ref.id, library.clauses) or "la liste est donnée par « csi-docgen clauses »",
        )
        return None
    clause = library.clauses[ref.id]
    values = _check_values(clause, ref.parametres, loc + ("parametres",), located, issues)
    _check_indicator_ids(clause, ref.indicateurs, loc + ("indicateurs",), located, issues)
    _check_indicator_ids(clause, dict.fromkeys(ref.indicateurs_retires), loc + ("indicateurs_retires",), located, issues, listed=True)
    return SelectedClause(clause, values, ref.indicateurs, tuple(ref.indicateurs_retires), title=ref.titre)


def _validate_value(model, value, located: Located, loc: tuple):
    """Validate a value that is not literally in the located tree (a bare id)."""
    probe = tuple(loc)
    while probe and probe not in located.positions:  # a notebook dict has no positions
        probe = probe[:-1]
    where = located.positions.get(probe, (1, 1))
    shadow = Located(value, located.path, {(): where, ("id",): where}, located.line_offset)
    return validate(model, shadow)


def _period(located: Located) -> tuple[int, int] | None:
    """The contract's years as written, when they are two years in order (the schema reports the rest)."""
    raw = located.data.get("periode") if isinstance(located.data, dict) else None
    try:
        debut, fin = quantities.year(raw["debut"]), quantities.year(raw["fin"])
    except (TypeError, KeyError, quantities.ShapeError):
        return None
    return (debut, fin) if debut <= fin else None


def _check_values(clause: Clause, given: dict, loc: tuple, located: Located, issues: IssueCollector) -> dict:
    display = located.path
    params = clause.params
    values: dict[str, Any] = {}
    inline = loc[-1] == "valeurs"
    period: tuple[int, int] | None | bool = False  # read from the profile when a value first has years
    for name, raw in given.items():
        if name in params and isinstance(raw, str) and PLACEHOLDER.search(raw) and params[name].type in ("choix", "texte"):
            # Still to fill in: a warning (_placeholders), and the draft renders without a choice.
            values[name] = raw if params[name].type == "texte" else None
            continue
        if name not in params:
            line, col = located.key_where(loc + (name,))
            if inline:
                hint = suggest(name, params) or (
                    f"déclarez-le sous « parametres » de la clause (type et description), "
                    f"« valeurs » ne donne que les valeurs des paramètres déclarés"
                    + (f" ({', '.join(params)})" if params else "")
                )
            else:
                hint = suggest(name, params) or (f"paramètres possibles : {', '.join(params)}" if params else "cette clause n'a pas de paramètre")
            issues.error(
                f"{'valeur' if inline else 'paramètre'} « {name} » inconnu{'e' if inline else ''} pour la clause « {clause.id} »",
                display,
                line,
                col,
                hint=hint,
            )
            continue
        value, problem = coerce(params[name], raw)
        if problem:
            line, col = located.where(loc + (name,))
            issues.error(f"paramètre « {name} » : {problem}", display, line, col)
            continue
        if period is False and quantities.has_years(value):
            period = _period(located)
        outside = quantities.years_outside(value, *period) if period else []
        if outside:
            line, col = located.where(loc + (name,))
            issues.error(
                f"paramètre « {name} » : année {', '.join(map(str, outside))} hors de la période du contrat ({period[0]}-{period[1]})",
                display,
                line,
                col,
                hint="chaque année d'un échéancier ou d'un montant est une année du contrat",
            )
            continue
        values[name] = value
    for name, param in params.items():
        if name in values or name in given:  # a value given but refused is reported once, above
            continue
        if param.defaut is not None:
            values[name] = coerce(param, param.defaut)[0]
        elif param.facultatif:
            values[name] = None
        else:
            line, col = located.where(loc[:-1])
            where = "valeurs" if inline else "parametres"
            issues.error(
                f"{'valeur' if inline else 'paramètre'} obligatoire « {name} » absent{'e' if inline else ''} pour la clause « {clause.id} » ({param.description})",
                display,
                line,
                col,
                hint=f"ajoutez « {where}: {{{name}: …}} » sous la clause"
                + (" (« parametres » déclare le paramètre, « valeurs » donne sa valeur dans ce contrat)" if inline else ""),
            )
    return values


def _check_indicator_ids(clause: Clause, given: dict, loc: tuple, located: Located, issues: IssueCollector, listed: bool = False) -> None:
    known = [i.id for i in clause.header.indicateurs]
    for index, name in enumerate(given):
        if name not in known:
            line, col = located.where(loc + (index,)) if listed else located.key_where(loc + (name,))
            issues.error(
                f"indicateur « {name} » inconnu pour la clause « {clause.id} »",
                located.path,
                line,
                col,
                hint=suggest(name, known) or (f"indicateurs de la clause : {', '.join(known)}" if known else "cette clause n'a pas d'indicateur"),
            )


def _inline_clause(
    entry: dict, loc: tuple, volet_key: str, located: Located, library: Library, issues: IssueCollector, templates: dict, declared=()
):
    display = located.path
    inline, problems = validate(InlineClause, located, loc)
    problems = _values_among_declarations(entry, loc, located, problems)
    issues.extend(problems)
    if inline is None:
        return None
    if inline.partie not in library.parties and inline.partie not in declared:
        known = [*library.parties, *declared]
        line, col = located.where(loc + ("partie",))
        issues.error(
            f"partie « {inline.partie} » inconnue",
            display,
            line,
            col,
            hint=suggest(inline.partie, known)
            or f"valeurs possibles : {', '.join(known)} ; une autre partie se déclare sous « parties: »",
        )
        return None
    if inline.id in library.clauses:
        line, col = located.where(loc + ("id",))
        issues.error(
            f"l'identifiant « {inline.id} » est déjà celui d'une clause de la bibliothèque",
            display,
            line,
            col,
            hint="donnez à la clause du profil un identifiant propre, par exemple préfixé du nom de la ville",
        )
        return None
    # Keep the template's line numbers equal to the profile's: a block
    # scalar's text starts on the line after « texte: | ».
    text_line, _ = located.where(loc + ("texte",))
    body = "\n" * (text_line or 0) + inline.texte
    problems = check_parameters(inline.parametres, located, loc + ("parametres",), display)
    problems += check_funders(inline.parametres, inline.partie, located, loc + ("parametres",), display)
    problems += ties.check_ties(library.env, inline.indicateurs, inline.parametres, located, loc + ("indicateurs",), display)
    problems += check_body(library.env, body, display, inline.parametres, located, loc + ("parametres",), library.memo)
    if problems:
        issues.extend(problems)
        return None
    digest = hashlib.sha256(repr(entry).encode("utf-8")).hexdigest()
    header = ClauseHeader(
        id=inline.id,
        titre=inline.titre,
        volet=volet_key,
        partie=inline.partie,
        socle=False,
        source=Source(document="profil", reference=inline.source or f"profil {Path(display).name}"),
        version=inline.version,
        parametres=inline.parametres,
        indicateurs=inline.indicateurs,
    )
    name = f"profil:{digest[:16]}:{inline.id}"
    templates[name] = render.TemplateSource(name, body, display)
    templates.update(ties.tie_sources(name, inline.indicateurs, display))
    clause = Clause(header, name, display, (text_line or 0) + 1, digest, origin="profil")
    values = _check_values(clause, inline.valeurs, loc + ("valeurs",), located, issues)
    return SelectedClause(clause, values, {}, covers=inline.couvre)


def _values_among_declarations(entry: dict, loc: tuple, located: Located, problems: list[Issue]) -> list[Issue]:
    """A value written under an inline clause's « parametres » is named as such, not as a bad declaration."""
    declared = entry.get("parametres")
    if not isinstance(declared, dict):
        return problems
    misplaced = {name for name, decl in declared.items() if not isinstance(decl, dict)}
    if not misplaced:
        return problems
    lines = {located.where(loc + ("parametres", name))[0] for name in misplaced}
    kept = [p for p in problems if p.line not in lines]
    for name in sorted(misplaced, key=lambda n: located.where(loc + ("parametres", n))[0] or 0):
        line, col = located.key_where(loc + ("parametres", name))
        kept.append(
            Issue(
                f"« {name} » : une valeur sous « parametres », qui déclare les paramètres de la clause",
                located.path,
                line,
                col,
                hint=f"déclarez-le sous « parametres » (« {name}: {{type: entier, description: …}} ») "
                f"et donnez sa valeur sous « valeurs » (« valeurs: {{{name}: {_shown_value(declared[name])}}} »)",
            )
        )
    return kept


def _shown_value(raw: Any) -> str:
    text = str(raw) if not isinstance(raw, (dict, list)) else "…"
    return text if len(text) <= 30 else text[:30] + "…"


# --- socle, annexes and domain checks ---------------------------------------


def _resolve_socle(located: Located, library: Library, volets: list[SelectedVolet], issues: IssueCollector) -> dict[str, SocleStatus]:
    """The status of each socle measure carried by no library clause of a volet."""
    display = located.path
    kept = {s.clause.id for v in volets for s in v.all_clauses if s.clause.origin != "profil"}
    socle_ids = [c.id for c in library.socle]
    result: dict[str, SocleStatus] = {}
    where: dict[str, int | None] = {}

    def measure(cid: str, line, col, what: str) -> bool:
        if cid not in library.clauses:
            issues.error(f"mesure « {cid} » inconnue de la bibliothèque", display, line, col, hint=suggest(cid, socle_ids))
        elif not library.clauses[cid].header.socle:
            issues.error(
                f"« {cid} » n'est pas une mesure du socle : {what}",
                display,
                line,
                col,
                hint="une clause hors socle non retenue n'a besoin d'aucun motif",
            )
        elif cid in kept:
            issues.error(f"la mesure « {cid} » est déjà retenue dans un volet (ligne {_kept_line(located, cid)})", display, line, col)
        elif cid in result:
            issues.error(f"la mesure « {cid} » a déjà un statut (ligne {where[cid]})", display, line, col)
        else:
            return True
        return False

    for vindex, volet in enumerate(volets):
        for sel in volet.all_clauses:
            if sel.covers is None:
                continue
            line, col = _covers_where(located, sel.clause.id)
            if measure(sel.covers, line, col, "une clause du profil ne peut couvrir qu'une mesure du socle"):
                result[sel.covers] = SocleStatus("couverte", clause_id=sel.clause.id)
                where[sel.covers] = line
    raw = located.data.get("socle_ecarte")
    for index, entry in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        cid = entry["id"]
        line, col = located.where(("socle_ecarte", index, "id"))
        if measure(cid, line, col, "il n'y a pas à l'écarter") and isinstance(entry.get("motif"), str) and entry["motif"].strip():
            result[cid] = SocleStatus("non-retenue", entry["motif"])
            where[cid] = line
    raw = located.data.get("socle")
    for cid, entry in (raw.items() if isinstance(raw, dict) else ()):
        if not isinstance(entry, dict) or not isinstance(entry.get("statut"), str):
            continue  # the schema reports it
        line, col = located.key_where(("socle", cid))
        status = entry["statut"]
        text = entry.get("texte") if status == "deja-en-oeuvre" else entry.get("motif")
        if measure(str(cid), line, col, "il n'a pas de statut à recevoir") and status in SOCLE_STATUSES:
            result[str(cid)] = SocleStatus(status, text if isinstance(text, str) else "")
            where[str(cid)] = line
    return result


def _kept_line(located: Located, cid: str) -> int | None:
    for loc, (line, _) in located.positions.items():
        if loc and loc[0] == "volets" and _value_at(located.data, loc) == cid:
            return line
    return None


def _covers_where(located: Located, clause_id: str):
    for loc in located.positions:
        if loc and loc[0] == "volets" and loc[-1] == "couvre" and _value_at(located.data, loc[:-1] + ("id",)) == clause_id:
            return located.where(loc)
    return None, None


def _value_at(data, loc):
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _placeholders(located: Located, loc: tuple, value: Any, issues: IssueCollector) -> None:
    """A warning for each value still holding a placeholder of « csi-docgen init »."""
    if isinstance(value, dict):
        for key, item in value.items():
            _placeholders(located, loc + (key,), item, issues)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _placeholders(located, loc + (index,), item, issues)
    elif isinstance(value, str) and PLACEHOLDER.search(value):
        _placeholder_warning(located, loc, value, issues)


def _placeholder_warning(located: Located, loc: tuple, value: str, issues: IssueCollector) -> None:
    line, col = located.where(loc)
    issues.warn(
        f"valeur à compléter : « {value[:60]}{'…' if len(value) > 60 else ''} »",
        located.path,
        line,
        col,
        hint="remplacez « À compléter » par la valeur du contrat ; « build --strict » refuse un profil qui en contient",
    )


def _resolve_annexes(located: Located, base: Path, issues: IssueCollector) -> list[tuple[str, Path]]:
    display = located.path
    annexes = located.data.get("annexes")
    raw = annexes.get("externes") if isinstance(annexes, dict) else None
    if not isinstance(raw, list):
        return []
    result = []
    root = base.resolve()
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("fichier"), str):
            continue
        line, col = located.where(("annexes", "externes", index, "fichier"))
        try:
            target = (base / entry["fichier"]).resolve()
            is_file = target.is_file()
        except (OSError, ValueError):
            issues.error(f"chemin d'annexe invalide : « {entry['fichier'][:80]} »", display, line, col)
            continue
        if not target.is_relative_to(root):
            issues.error(
                f"l'annexe « {entry['fichier']} » est hors du dossier du profil",
                display,
                line,
                col,
                hint="placez le fichier dans le dossier du profil (ou un sous-dossier) et donnez un chemin relatif",
            )
        elif target.suffix.lower() != ".docx":
            issues.error(
                f"l'annexe « {entry['fichier']} » n'est pas un fichier .docx",
                display,
                line,
                col,
                hint="enregistrez-la au format Word (.docx)",
            )
        elif not is_file and target.exists() and not target.is_dir():
            issues.error(f"l'annexe « {entry['fichier']} » : {NOT_REGULAR}", display, line, col)
        elif not is_file:
            issues.error(f"fichier d'annexe introuvable : « {entry['fichier']} »", display, line, col)
        elif not _is_word_document(target):
            issues.error(
                f"l'annexe « {entry['fichier']} » n'est pas un document Word lisible (fichier .docx endommagé ou d'un autre format)",
                display,
                line,
                col,
                hint="ouvrez-la dans Word ou LibreOffice et enregistrez-la au format .docx",
            )
        elif _untrusted_annex(target, entry, display, line, col, issues):
            result.append((str(entry.get("titre") or target.stem), target, entry.get("modifications") == "accepter"))
    return result


def _untrusted_annex(target: Path, entry: dict, display, line, col, issues: IssueCollector) -> bool:
    """Check an annex under the untrusted-file policy (see untrusted.py); warn of what will be removed."""
    from . import untrusted

    try:
        cleaned = untrusted.inspect_file(target, accept_changes=entry.get("modifications") == "accepter")
    except untrusted.Refused as exc:
        issues.error(f"l'annexe « {entry['fichier']} » : {exc.problem}", display, line, col, hint=exc.hint)
        return False
    except OSError:
        return True  # said again, in French, when the annex is read for the contract
    if cleaned.removed:
        issues.warn(f"l'annexe « {entry['fichier']} » : {cleaned.note()}", display, line, col)
    return True


def _is_word_document(path: Path) -> bool:
    """A zip that holds a main document part (what python-docx will open)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


PARTY_GROUPS = {"etat": "etat", "parquet": "etat", "education-nationale": "etat", "collectivite": "collectivite", "commun": "commun"}


def _domain_checks(model: ProfileData, located: Located, library: Library, volets, socle: dict[str, SocleStatus], issues: IssueCollector) -> None:
    display = located.path
    kept = {s.clause.id for v in volets for s in v.all_clauses}
    missing = [c for c in library.socle if c.id not in kept and c.id not in socle]
    line, col = located.key_where(("socle",)) if "socle" in located.data else located.key_where(("volets",))
    for clause in missing:
        issues.warn(
            f"mesure du socle non traitée : « {clause.id} » ({clause.header.titre})",
            display,
            line,
            col,
            hint="retenez-la dans un volet, couvrez-la par une clause du profil (« couvre: »), ou donnez son statut sous « socle: »",
        )
    for cid, status in socle.items():
        if status.status == "non-traitee":
            entry_line, entry_col = located.key_where(("socle", cid))
            issues.warn(
                f"mesure du socle non traitée : « {cid} » ({library.clauses[cid].header.titre})",
                display,
                entry_line,
                entry_col,
            )
    for index, volet in enumerate(volets):
        chosen = volet.all_clauses
        groups = {PARTY_GROUPS.get(s.clause.header.partie, "partenaire") for s in chosen}
        if len(chosen) and groups <= {"etat"} | {"partenaire"} and "commun" not in groups:
            side = "de l'État seul"
        elif len(chosen) and groups == {"collectivite"}:
            side = "de la collectivité seule"
        else:
            continue
        vline, vcol = located.where(("volets", index, "volet"))
        # Real contracts often have such volets: a note, never escalated by --strict.
        issues.note(
            f"volet « {volet.title} » : engagements {side}",
            display,
            vline,
            vcol,
            hint="la circulaire veut des engagements réciproques ; vérifiez que c'est voulu",
        )
    period = model.periode
    line, col = located.where(("periode",))
    mandate = mandate_at(period.debut)
    if mandate is not None and period.fin > mandate[1]:
        issues.warn(
            f"le contrat court jusqu'en {period.fin}, au-delà de la fin du mandat municipal en cours à son début ({mandate[0]}-{mandate[1]})",
            display,
            line,
            col,
        )
    if period.fin - period.debut > MAX_YEARS:
        issues.warn(f"durée de {period.fin - period.debut} ans, plus de {MAX_YEARS} ans", display, line, col)
    _signatory_checks(model, located, library, volets, issues)
    _fixed_article_checks(model, located, library, issues)
    sides = {s.partie for s in model.signataires}
    line, col = located.key_where(("signataires",))
    if "etat" not in sides:
        issues.error("aucun signataire pour l'État (partie: etat)", display, line, col)
    if "collectivite" not in sides:
        issues.error("aucun signataire pour la collectivité (partie: collectivite)", display, line, col)
    if model.signature.date and not (period.debut - 1 <= model.signature.date.year <= period.fin):
        line, col = located.where(("signature", "date"))
        issues.warn(f"date de signature ({model.signature.date.year}) hors de la période du contrat", display, line, col)


def _fixed_article_checks(model: ProfileData, located: Located, library: Library, issues: IssueCollector) -> None:
    """« articles: » names fixed articles of the contract, and leaves out only optional ones."""
    headers = {a.id: a.optional for a in library.fixed}
    for key, change in model.articles.items():
        line, col = located.key_where(("articles", key))
        if key not in headers:
            issues.error(
                f"article fixe « {key} » inconnu",
                located.path,
                line,
                col,
                hint=suggest(key, headers) or f"articles fixes : {', '.join(headers)}",
            )
        elif change.omis and not headers[key]:
            issues.error(
                f"l'article « {key} » ne peut pas être omis",
                located.path,
                line,
                col,
                hint=f"remplacez son texte (« texte: ») ; articles facultatifs : {', '.join(k for k, v in headers.items() if v)}",
            )


def _signatory_checks(model: ProfileData, located: Located, library: Library, volets, issues: IssueCollector) -> None:
    """Each signatory signs for a known party; each party with engagements has someone to bind it."""
    display = located.path
    signing = ["etat", "parquet", "education-nationale", "collectivite", *(p.id for p in model.parties)]
    for index, signatory in enumerate(model.signataires):
        if signatory.partie not in signing:
            line, col = located.where(("signataires", index, "partie"))
            issues.error(
                f"partie « {signatory.partie} » inconnue pour un signataire",
                display,
                line,
                col,
                hint=suggest(signatory.partie, signing)
                or f"valeurs possibles : {', '.join(signing)} ; une autre partie se déclare sous « parties: »",
            )
    sides = {s.partie for s in model.signataires}
    engaged = {s.clause.header.partie for v in volets for s in v.all_clauses}
    names = {"parquet": "le parquet", "education-nationale": "l'Éducation nationale"}
    names.update({p.id: p.nom for p in model.parties})
    for partie, name in names.items():
        if partie in engaged and partie not in sides:
            line, col = located.key_where(("signataires",))
            issues.warn(
                f"{name} a des engagements dans le contrat mais aucun signataire ne l'engage (partie: {partie})",
                display,
                line,
                col,
                hint="ajoutez un signataire qui peut l'engager (sa qualité suffit, le nom peut rester à compléter) "
                "ou rattachez ces engagements à l'État",
            )


__all__ = ["Profile", "SelectedClause", "SelectedVolet", "load_profile", "resolve_profile"]
