"""YAML reading that keeps positions and leaves typing to the schema.

PyYAML's resolver would read ``01000`` as 512, ``NO`` as False and a date as
a ``datetime.date``. Here every scalar stays the string the user typed; the
pydantic schema decides types. Positions come from the composer's node marks
and are kept in a map from a key path (``("volets", 0, "clauses")``) to
``(line, column)``, 1-based. Duplicate keys, aliases (billion laughs) and
explicit tags (``!!python/object``) are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import YamlError

MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
STR_TAG = "tag:yaml.org,2002:str"
NULL_WORDS = {"", "~", "null", "Null", "NULL"}


class _PlainLoader(yaml.SafeLoader):
    """A loader whose resolver types nothing: plain scalars are strings."""


_PlainLoader.yaml_implicit_resolvers = {}


@dataclass
class Located:
    """A YAML document as plain data plus the position of each value."""

    data: Any
    path: str
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def where(self, loc: tuple) -> tuple[int | None, int | None]:
        """Line and column of the value at ``loc``, or of its nearest parent."""
        loc = tuple(loc)
        while True:
            if loc in self.positions:
                line, col = self.positions[loc]
                return line + self.line_offset, col
            if not loc:
                return None, None
            loc = loc[:-1]

    def key_where(self, loc: tuple) -> tuple[int | None, int | None]:
        """Position of the key itself (for unknown or duplicate keys)."""
        key_loc = ("__key__",) + tuple(loc)
        if key_loc in self.positions:
            line, col = self.positions[key_loc]
            return line + self.line_offset, col
        return self.where(loc)


def read_text(path: Path, display: str) -> str:
    """Read a user file as UTF-8 (BOM tolerated) with a French error otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlError("fichier introuvable", display) from None
    except IsADirectoryError:
        raise YamlError("un fichier est attendu, c'est un dossier", display) from None
    except OSError as exc:
        raise YamlError(f"lecture impossible ({exc.strerror})", display) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
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


def load_yaml(text: str, display: str, line_offset: int = 0) -> Located:
    """Parse one YAML document into strings, lists and dicts with positions."""
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
    if "*" in text:
        _refuse_aliases(text, display, line_offset)
    try:
        node = yaml.compose(text, Loader=_PlainLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        raise YamlError(
            f"YAML mal formé : {_french_problem(exc.problem or exc.context or '')}",
            display,
            line,
            column,
            hint="vérifiez l'indentation et les « : » de cette ligne ou de la précédente",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - composer always marks
        raise YamlError(f"YAML mal formé : {exc}", display) from None
    located = Located(None, display, {}, line_offset)
    if node is None:
        return located
    located.data = _convert(node, (), located, set())
    return located


def _refuse_aliases(text: str, display: str, line_offset: int) -> None:
    """Aliases (and so billion-laughs bombs) are refused where they are used."""
    try:
        for event in yaml.parse(text, Loader=_PlainLoader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(
                    "les alias YAML (« & » et « * ») ne sont pas acceptés",
                    display,
                    event.start_mark.line + 1 + line_offset,
                    event.start_mark.column + 1,
                    hint="recopiez la valeur",
                )
    except yaml.YAMLError:
        return  # compose() below reports the syntax error with its position


def _french_problem(problem: str) -> str:
    known = {
        "mapping values are not allowed here": "deux-points inattendu (une valeur contenant « : » doit être entre guillemets)",
        "could not find expected ':'": "« : » attendu après une clé",
        "found character '\\t' that cannot start any token": "tabulation interdite",
        "did not find expected key": "clé attendue (indentation incohérente ?)",
        "found undefined alias": "alias inconnu",
        "expected <block end>, but found '-'": "tiret de liste mal indenté",
        "did not find expected '-' indicator": "tiret de liste attendu",
        "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
        "found unknown escape character": "séquence d'échappement inconnue entre guillemets doubles",
    }
    for english, french in known.items():
        if problem.startswith(english):
            return french
    return problem


def _convert(node: yaml.Node, loc: tuple, located: Located, seen: set[int]) -> Any:
    if id(node) in seen:
        raise YamlError(
            "les alias YAML (« & » et « * ») ne sont pas acceptés",
            located.path,
            node.start_mark.line + 1 + located.line_offset,
            node.start_mark.column + 1,
            hint="recopiez la valeur",
        )
    seen.add(id(node))
    located.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in (MAP_TAG, SEQ_TAG, STR_TAG):
        raise YamlError(
            f"étiquette YAML « {node.tag.replace('tag:yaml.org,2002:', '!!')} » non autorisée",
            located.path,
            node.start_mark.line + 1 + located.line_offset,
            node.start_mark.column + 1,
            hint="retirez l'étiquette : les valeurs sont lues comme du texte",
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(
                    "une clé doit être un simple mot",
                    located.path,
                    key_node.start_mark.line + 1 + located.line_offset,
                    key_node.start_mark.column + 1,
                )
            if key_node.value == "<<":
                raise YamlError(
                    "la fusion YAML « << » n'est pas acceptée",
                    located.path,
                    key_node.start_mark.line + 1 + located.line_offset,
                )
            key = key_node.value
            if key in result:
                first_line = located.positions[("__key__",) + loc + (key,)][0]
                raise YamlError(
                    f"clé « {key} » en double (déjà donnée ligne {first_line + located.line_offset})",
                    located.path,
                    key_node.start_mark.line + 1 + located.line_offset,
                    key_node.start_mark.column + 1,
                    hint="YAML garderait silencieusement la dernière valeur : supprimez l'une des deux",
                )
            located.positions[("__key__",) + loc + (key,)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = _convert(value_node, loc + (key,), located, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loc + (i,), located, seen) for i, item in enumerate(node.value)]
    # A plain (unquoted) null word means "no value"; a quoted one stays text.
    if node.style is None and node.value in NULL_WORDS:
        return None
    return node.value


def load_yaml_file(path: Path, display: str | None = None) -> Located:
    display = display or str(path)
    return load_yaml(read_text(path, display), display)
