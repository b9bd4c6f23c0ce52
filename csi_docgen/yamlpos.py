"""YAML reading that keeps positions and leaves typing to the schema.

PyYAML's resolver would read ``01000`` as 512, ``NO`` as False and a date as
a ``datetime.date``. Here every scalar stays the string the user typed; the
pydantic schema decides types. Positions come from the parser's event marks
and are kept in a map from a key path (``("volets", 0, "clauses")``) to
``(line, column)``, 1-based. Duplicate keys, aliases (billion laughs),
explicit tags (``!!python/object``), nesting deeper than 64 levels and files
over 20 MB are refused; invisible control characters are removed (their
positions are kept for a warning).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import YamlError
from .regular import NOT_REGULAR, NotRegularFile, open_regular, shown_path
from .xmlchars import XML_ILLEGAL

MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
STR_TAG = "tag:yaml.org,2002:str"
NULL_WORDS = {"", "~", "null", "Null", "NULL"}


class _PlainLoader(yaml.SafeLoader):
    """A loader whose resolver types nothing: plain scalars are strings."""


_PlainLoader.yaml_implicit_resolvers = {}

# libyaml's parser, when PyYAML was built with it: same events, twenty times faster.
_CLoader = getattr(yaml, "CSafeLoader", None)


@dataclass
class Located:
    """A YAML document as plain data plus the position of each value."""

    data: Any
    path: str
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0
    # (line, column) of each invisible control character removed before parsing
    removed: list[tuple[int, int]] = field(default_factory=list)
    # False when no value can hold a character the text does not: the text had
    # no backslash, so no escape sequence such as "\x01" (control characters
    # of the text itself are removed before parsing)
    escapes: bool = True
    # Where a text value matches the pattern load_yaml was asked to watch for
    matches: list[tuple] = field(default_factory=list)

    def where(self, loc: tuple) -> tuple[int | None, int | None]:
        """Line and column of the value at ``loc``, or of its nearest parent."""
        loc = tuple(loc)
        while True:
            if loc in self.positions:
                line, col = self.positions[loc]
                return (line + self.line_offset if line is not None else None), col
            if not loc:
                return None, None
            loc = loc[:-1]

    def key_where(self, loc: tuple) -> tuple[int | None, int | None]:
        """Position of the key itself (for unknown or duplicate keys)."""
        key_loc = ("__key__",) + tuple(loc)
        if key_loc in self.positions:
            line, col = self.positions[key_loc]
            return (line + self.line_offset if line is not None else None), col
        return self.where(loc)


MAX_BYTES = 20 * 1024 * 1024  # a profile or a clause is a few kilobytes
MAX_DEPTH = 64  # nesting levels; a profile needs about eight

# Characters the YAML reader refuses (C0 and C1 controls except tab and line
# breaks, U+FFFE/U+FFFF, lone surrogates). They come from copy-pastes; they
# are removed before parsing and their positions kept for a warning.
_UNREADABLE = re.compile(f"[{XML_ILLEGAL}\x7f-\x84\x86-\x9f]")


def read_text(path: Path, display: str) -> str:
    """Read a user file as UTF-8 (BOM tolerated) with a French error otherwise."""
    try:
        with open_regular(path) as handle:
            # Read at most MAX_BYTES + 1 bytes, but ask for a buffer that size only
            # when the size is unknown (a pipe): it would be allocated on every read.
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(size + 1 if 0 < size <= MAX_BYTES else MAX_BYTES + 1)
            if 0 < size < len(raw) <= MAX_BYTES:  # it grew meanwhile: read on, to the limit
                raw += handle.read(MAX_BYTES + 1 - len(raw))
    except FileNotFoundError:
        raise YamlError("fichier introuvable", display) from None
    except IsADirectoryError:
        raise YamlError("un fichier est attendu, c'est un dossier", display) from None
    except NotRegularFile:
        raise YamlError(NOT_REGULAR, display, hint="donnez le chemin d'un fichier .yaml ou .md ordinaire") from None
    except OSError as exc:
        from .atomic import os_reason

        raise YamlError(f"lecture impossible ({os_reason(exc)})", display) from None
    except ValueError:  # a NUL byte in the path
        raise YamlError("chemin de fichier invalide (caractère nul)", str(display).replace("\x00", "\\0")) from None
    if len(raw) > MAX_BYTES:
        raise YamlError(
            f"fichier trop volumineux (plus de {MAX_BYTES // (1024 * 1024)} Mo)",
            display,
            hint="un profil ou une clause ne fait que quelques kilo-octets : est-ce le bon fichier ?",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError(
            "le fichier est encodé en UTF-16",
            display,
            1,
            hint="enregistrez-le en UTF-8 depuis votre éditeur",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"PK\x03\x04", b"%PDF")):  # a contract given for its profile
        raise YamlError(
            "ce fichier est un document (.docx, .pdf…), pas un texte YAML",
            display,
            hint="donnez le profil .yaml de la ville : c'est de lui que le contrat se construit",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(
            "le fichier n'est pas encodé en UTF-8",
            display,
            line,
            hint="enregistrez-le en UTF-8 depuis votre éditeur (il semble être en Latin-1 ou Windows-1252)",
        ) from None


def load_yaml(text: str, display: str, line_offset: int = 0, watch=None) -> Located:
    """Parse one YAML document into strings, lists and dicts with positions.

    ``watch``: a compiled pattern; the place of every text value it matches
    is listed in :attr:`Located.matches` (in the order of the document).
    """
    if text.startswith("\ufeff"):  # a BOM left by a caller that did not use read_text
        text = text[1:]
    if "\t" in text:
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlError(
                    "tabulation dans l'indentation",
                    display,
                    number + line_offset,
                    hint="YAML n'accepte que des espaces pour indenter",
                )
    removed: list[tuple[int, int]] = []
    if _UNREADABLE.search(text):
        text = _remove_unreadable(text, removed, line_offset)
    located = Located(None, display, {}, line_offset, removed, escapes="\\" in text)
    located.data = _parse(text, located, watch)
    return located


def _remove_unreadable(text: str, removed: list[tuple[int, int]], line_offset: int) -> str:
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = _UNREADABLE.search(line)
        if match:
            removed.append((number + 1 + line_offset, match.start() + 1))
            lines[number] = _UNREADABLE.sub("", line)
    return "\n".join(lines)


def _parse(text: str, located: Located, watch=None) -> Any:
    """The document built from the parser's events, read lazily.

    libyaml when present (fast), PyYAML for the wording of syntax errors.
    Events, unlike PyYAML's composer, need no recursion, and reading them
    lazily stops at the first problem: a deeply nested document neither
    overflows the stack (libyaml's composer would crash) nor makes PyYAML's
    scanner crawl (it is quadratic in the nesting depth).
    """
    if _CLoader is not None:
        try:
            return _build_with(_CLoader, text, located, watch)
        except yaml.YAMLError:
            located.positions.clear()  # parse again with PyYAML, whose messages are translated
            located.matches.clear()
    try:
        return _build_with(_PlainLoader, text, located, watch)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + located.line_offset if mark else None
        column = mark.column + 1 if mark else None
        raise YamlError(
            f"YAML mal formé : {_french_problem(exc.problem or exc.context or '')}",
            located.path,
            line,
            column,
            hint=_open_quote_hint(exc, text, located.line_offset)
            or "vérifiez l'indentation et les « : » de cette ligne ou de la précédente",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - the parser always marks
        raise YamlError(f"YAML mal formé : {_french_problem(str(exc))}", located.path) from None


def _open_quote_hint(exc: yaml.MarkedYAMLError, text: str, offset: int) -> str | None:
    """The line of a quote left open: the parser stumbles much later, where the quoted text ends."""
    start = None
    if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
        start = exc.context_mark.index  # the value runs to the end of the file
    elif exc.problem_mark is not None and (exc.problem or "").startswith("expected <block end>, but found"):
        before = text[: exc.problem_mark.index].rstrip(" ")
        if before[-1:] in ("\"", "'"):  # the quote that closed the value is the one a later line opened
            opening = before.rfind(before[-1], 0, len(before) - 1)
            start = opening if opening >= 0 and "\n" in before[opening:] else None
    if start is None:
        return None
    line = text.count("\n", 0, start) + 1 + offset
    return f"le guillemet ouvert ligne {line} est-il fermé ? Une valeur entre guillemets se ferme sur sa ligne par le même guillemet"


def _build_with(loader_class, text: str, located: Located, watch=None) -> Any:
    # What yaml.parse does, without a generator around each event: the
    # parser's get_event returns None after the last one.
    loader = loader_class(text)
    try:
        return _build(iter(loader.get_event, None), located, watch)
    finally:
        loader.dispose()


def _french_problem(problem: str) -> str:
    known = {
        "mapping values are not allowed here": "deux-points inattendu (une valeur contenant « : » doit être entre guillemets)",
        "could not find expected ':'": "« : » attendu après une clé",
        "found character '\\t' that cannot start any token": "tabulation interdite",
        "found character": "caractère qui ne peut pas commencer une valeur (mettez la valeur entre guillemets)",
        "did not find expected key": "clé attendue (indentation incohérente ?)",
        "found undefined alias": "alias inconnu",
        "expected <block end>, but found '-'": "tiret de liste mal indenté",
        "expected <block end>, but found": "indentation incohérente",
        "did not find expected '-' indicator": "tiret de liste attendu",
        "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
        "found unknown escape character": "séquence d'échappement inconnue entre guillemets doubles",
        "expected the node content, but found '<stream end>'": "fin de fichier inattendue (crochet ou accolade non fermé ?)",
        "expected the node content": "valeur attendue",
        "expected ',' or ']'": "« , » ou « ] » attendu (crochet non fermé ?)",
        "expected ',' or '}'": "« , » ou « } » attendu (accolade non fermée ?)",
        "but found another document": "un seul document est attendu (ligne « --- » en trop ?)",
        "expected '<document start>'": "début de document attendu (ligne « --- » ou « ... » en trop ?)",
        "found duplicate anchor": "ancre « & » donnée deux fois",
        "found undefined tag handle": "préfixe d'étiquette « ! » inconnu",
        "found unexpected ':'": "deux-points inattendu",
        "block sequence entries are not allowed here": "tiret de liste inattendu ici",
        "expected a comment or a line break": "fin de ligne attendue après la valeur",
        "while scanning": "valeur illisible",
        "expected alphabetic or numeric character": "nom d'ancre ou d'alias invalide",
        "found a tab character": "tabulation interdite",
    }
    for english, french in known.items():
        if problem.startswith(english) or (english.startswith("but found") and english in problem):
            return french
    return f"syntaxe incorrecte ({problem})" if problem else "syntaxe incorrecte"


class _Frame:
    """A mapping or sequence being built (see :func:`_build`)."""

    __slots__ = ("value", "loc", "key", "is_map")

    def __init__(self, value, loc: tuple, is_map: bool):
        self.value = value
        self.loc = loc
        self.key: Any = _NO_KEY
        self.is_map = is_map


_NO_KEY = object()


_SCALAR = yaml.ScalarEvent
_MAPPING = yaml.MappingStartEvent
_SEQUENCE = yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _build(events, located: Located, watch=None) -> Any:
    """Strings, lists and dicts from the events, with positions; no recursion.

    Problems are reported where they are met: an alias (and so a
    billion-laughs bomb) or a nesting too deep stops the reading at once.
    """
    offset = located.line_offset
    display = located.path
    positions = located.positions

    def fail(message: str, mark, hint: str | None = None, column: bool = True):
        raise YamlError(message, display, mark.line + 1 + offset, mark.column + 1 if column else None, hint=hint)

    stack: list[_Frame] = []
    parent: _Frame | None = None
    root: Any = None
    documents = 0
    for event in events:
        kind = type(event)
        if kind in _ENDS:
            done = stack.pop()
            parent = stack[-1] if stack else None
            if parent is not None:
                _attach(parent, done.value)
            else:
                root = done.value
            continue
        if kind is not _SCALAR and kind is not _MAPPING and kind is not _SEQUENCE:
            if kind is yaml.AliasEvent:
                fail("les alias YAML (« & » et « * ») ne sont pas acceptés", event.start_mark, hint="recopiez la valeur")
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    fail("un seul document est attendu (ligne « --- » en trop ?)", event.start_mark, column=False)
            continue
        mark = event.start_mark
        if parent is not None and parent.is_map and parent.key is _NO_KEY:
            # It is a key.
            if kind is not _SCALAR:
                fail("une clé doit être un simple mot", mark)
            if event.tag is not None:
                _check_tag(event, STR_TAG, fail)
            key = event.value
            if key == "<<" and not event.style:
                fail("la fusion YAML « << » n'est pas acceptée", mark, column=False)
            key_loc = ("__key__",) + parent.loc + (key,)
            if key in parent.value:
                first_line = positions[key_loc][0]
                fail(
                    f"clé « {key} » en double (déjà donnée ligne {first_line + offset})",
                    mark,
                    hint="YAML garderait silencieusement la dernière valeur : supprimez l'une des deux",
                )
            positions[key_loc] = (mark.line + 1, mark.column + 1)
            parent.key = key
            continue
        if parent is None:
            loc: tuple = ()
        elif parent.is_map:
            loc = parent.loc + (parent.key,)
        else:
            loc = parent.loc + (len(parent.value),)
        positions[loc] = (mark.line + 1, mark.column + 1)
        if kind is _SCALAR:
            if event.tag is not None:
                _check_tag(event, STR_TAG, fail)
            # A plain (unquoted) null word means "no value"; a quoted one stays text.
            value = None if not event.style and event.value in NULL_WORDS else event.value
            if watch is not None and value is not None and watch.search(value):
                located.matches.append(loc)
            if parent is None:
                root = value
            else:
                _attach(parent, value)
            continue
        is_map = kind is _MAPPING
        if event.tag is not None:
            _check_tag(event, MAP_TAG if is_map else SEQ_TAG, fail)
        if len(stack) >= MAX_DEPTH:
            fail(
                f"structure trop profondément imbriquée (plus de {MAX_DEPTH} niveaux)",
                mark,
                hint="un profil n'a que quelques niveaux d'indentation : vérifiez les crochets et les tirets",
            )
        parent = _Frame({} if is_map else [], loc, is_map)
        stack.append(parent)
    return root


def _attach(frame: _Frame, value: Any) -> None:
    if frame.is_map:
        frame.value[frame.key] = value
        frame.key = _NO_KEY
    else:
        frame.value.append(value)


def _check_tag(event, default: str, fail) -> None:
    tag = event.tag
    if tag is None or tag == "!" or tag == default:
        return
    fail(
        f"étiquette YAML « {tag.replace('tag:yaml.org,2002:', '!!')} » non autorisée",
        event.start_mark,
        hint="retirez l'étiquette : les valeurs sont lues comme du texte",
    )


def load_yaml_file(path: Path, display: str | None = None) -> Located:
    display = display or shown_path(path)
    return load_yaml(read_text(path, display), display)
