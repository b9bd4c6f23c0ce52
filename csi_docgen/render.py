"""Clause text rendering: sandboxed Jinja2 (typography and Markdown: :mod:`.blocks`).

Each clause body is a Jinja2 template registered under its own name with its
real file name, so errors point at the clause file and its true line (the
front matter is blanked out, not cut, to keep line numbers). Every value a
template prints is escaped for Markdown and wrapped in private-use markers:
a profile value is printed exactly as typed, never evaluated nor typeset.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import traceback
import types
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import budget, diskcache, french
from .blocks import rendered_blocks
from .errors import Issue, RenderError, suggest
from .model import Block

# Names a template may always use besides its declared parameters.
GLOBAL_NAMES = frozenset({"collectivite", "contrat", "article"})

_MD_PUNCT = set("\\`*_{}[]()#+-.!<>&|~\"'")
_MD_PUNCT_RE = re.compile("[" + re.escape("".join(sorted(_MD_PUNCT))) + "]")


class _MissingValue(Exception):
    pass


def _escape_markdown(text: str) -> str:
    return _MD_PUNCT_RE.sub(r"\\\g<0>", text)


def _finalize(value: Any) -> str:
    if value is None:
        raise _MissingValue()
    if isinstance(value, bool):
        value = "oui" if value else "non"
    # A value is inline text: its line breaks (CRLF, CR or LF) become spaces.
    text = french.clean_text(str(value)).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    # The markers delimit values: one inside a value would end it early.
    text = french.apostrophes(french.strip_markers(text))
    return french.VALUE_START + _escape_markdown(text) + french.VALUE_END


@dataclass(frozen=True)
class TemplateSource:
    """The text of one template and the file it comes from (its errors name that file)."""

    name: str
    text: str
    filename: str

    @cached_property
    def sha256(self) -> str:
        """What the rendering memo keys on: the text and its file name (errors and lines depend on both)."""
        return hashlib.sha256(f"{self.filename}\0{self.text}".encode("utf-8")).hexdigest()


class _SourceLoader(jinja2.BaseLoader):
    """Serves a fixed set of template sources under their real file names.

    The set never changes once the environment exists (a Library is a
    snapshot), so a compiled template is always up to date.
    """

    def __init__(self, sources: Mapping[str, TemplateSource]) -> None:
        self.sources = MappingProxyType(dict(sources))

    def get_source(self, environment, template):
        try:
            source = self.sources[template]
        except KeyError:
            raise jinja2.TemplateNotFound(template) from None
        return source.text, source.filename, lambda: True

    def list_templates(self):
        return sorted(self.sources)


# Bounds on what a template may compute: a clause prints a few words.
MAX_TEXT = budget.MAX_TEXT  # characters of a string or items of a list built by an operator
MAX_EXPONENT = 64
_HUGE_FORMAT = re.compile(r"%[^a-zA-Z%]*(\*|\d{6,})")


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with French refusals and bounded arithmetic."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"puissance trop grande (exposant {right!r})")
        if operator == "%" and isinstance(left, str) and _HUGE_FORMAT.search(left):
            raise SecurityError("largeur de mise en forme trop grande avec « % »")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_TEXT:
                    raise SecurityError("texte ou liste trop long produit par « * »")
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, (str, list, tuple)):
            if len(result) > MAX_TEXT:
                raise SecurityError(f"texte ou liste trop long produit par « {operator} »")
            budget.charge(len(result))
        if isinstance(result, int) and not isinstance(result, bool) and result.bit_length() > 256:
            raise SecurityError(f"nombre trop grand produit par « {operator} »")
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        # Methods of built-in types (str.center, str.format…) can build huge
        # values; a clause only ever calls article().
        if isinstance(__obj, types.BuiltinFunctionType) or type(__obj).__name__ in ("method-wrapper", "method_descriptor"):
            raise SecurityError(f"appel de « {getattr(__obj, '__name__', '?')} » interdit")
        return super().call(__context, __obj, *args, **kwargs)

    def _generate(self, source, name, filename, defer_init=False):
        return super()._generate(budget.instrument(source), name, filename, defer_init)  # loops and « ~ » counted

    def unsafe_undefined(self, obj: Any, attribute: str):
        return self.undefined(
            f"accès interdit à « {attribute} »",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )


def make_environment(sources: Mapping[str, TemplateSource] = MappingProxyType({}), bytecode_cache=None) -> SandboxedEnvironment:
    """A sandbox serving ``sources``, and never more (see :class:`Overlay` for templates known later).

    ``bytecode_cache``: where compiled templates are kept between processes
    (see :mod:`csi_docgen.diskcache`).
    """
    env = _Sandbox(
        bytecode_cache=bytecode_cache,
        loader=_SourceLoader(sources),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,  # one template per clause: never evict and recompile
    )
    # Only the documented names: no range, lipsum, cycler, namespace…, and
    # only the French filters (a default filter such as center(10**9) could
    # exhaust memory).
    env.globals.clear()
    env.filters = {**french.FILTERS, **budget.FILTERS}
    return env


class Overlay:
    """Templates over an environment that never enter it: a profile's inline clauses, another articles folder.

    A name of the overlay hides the environment's template of that name; any
    other name is the environment's. Each overlay template is compiled once,
    on first use, and dies with the overlay (a profile holds its own).
    """

    def __init__(self, env: SandboxedEnvironment, sources: Mapping[str, TemplateSource] = MappingProxyType({})) -> None:
        self.env = env
        self.sources = MappingProxyType(dict(sources))
        self._compiled: dict[str, jinja2.Template] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.sources

    def source(self, name: str) -> TemplateSource:
        """The source of ``name``, from the overlay or the environment."""
        found = self.sources.get(name)
        return found if found is not None else self.env.loader.sources[name]  # type: ignore[union-attr]

    def get_template(self, name: str) -> jinja2.Template:
        source = self.sources.get(name)
        if source is None:
            return self.env.get_template(name)
        template = self._compiled.get(name)
        if template is None:
            env = self.env
            code = env.compile(source.text, name, source.filename)
            template = self._compiled[name] = env.template_class.from_code(env, code, env.make_globals(None), None)
        return template

    def over(self, sources: Mapping[str, TemplateSource]) -> "Overlay":
        """An overlay of ``sources`` over this one's (for one build)."""
        if not sources:
            return self
        return Overlay(self.env, {**self.sources, **sources})


def check_template(
    env: SandboxedEnvironment, source: str, filename: str, declared: Iterable[str], memo: "Memo | None" = None
) -> tuple[list[Issue], set[str]]:
    """Syntax, unknown names and unknown filters of one template; returns used names.

    The verdict depends only on the text, its file name and the declared
    names (every environment accepts the same templates): with ``memo`` it
    is remembered (a profile's inline clauses are checked again on every
    load of the profile).
    """
    declared = frozenset(declared)
    key = ("check", source, filename, declared)
    known = memo.get(key) if memo is not None else None
    if known is None:
        issues, used = _check_template(env, source, filename, declared)
        known = (tuple(issues), frozenset(used))
        if memo is not None:
            memo.put(key, known)
    return list(known[0]), set(known[1])


def _check_template(env: SandboxedEnvironment, source: str, filename: str, declared: Iterable[str]) -> tuple[list[Issue], set[str]]:
    try:
        ast = env.parse(source, filename=filename)
    except jinja2.TemplateSyntaxError as exc:
        return [Issue(f"syntaxe Jinja incorrecte : {_french_jinja(exc.message or '')}", filename, exc.lineno)], set()
    every = list(ast.find_all(nodes.Node))  # one walk of the tree, then filtered

    def of(kind):
        return [node for node in every if isinstance(node, kind)]

    issues = _forbidden_constructs(of, filename)
    declared = set(declared)
    for filter_node in of(nodes.Filter):
        if filter_node.name not in env.filters:
            issues.append(
                Issue(
                    f"filtre « {filter_node.name} » inconnu",
                    filename,
                    filter_node.lineno,
                    hint=suggest(filter_node.name, french.FILTERS)
                    or f"filtres disponibles : {', '.join(french.FILTERS)}",
                )
            )
    for test_node in of(nodes.Test):
        if test_node.name not in env.tests:
            issues.append(Issue(f"test « {test_node.name} » inconnu", filename, test_node.lineno, hint=suggest(test_node.name, env.tests)))
    if any(i.message.startswith(("filtre", "test")) for i in issues):
        # meta would fail on an unknown filter: approximate the names used.
        used = {n.name for n in of(nodes.Name) if n.ctx == "load"}
    elif not any(isinstance(node, _SCOPING) or (isinstance(node, nodes.Name) and node.ctx != "load") for node in every):
        # Nothing assigns a name (no for, set, macro…): every name read is
        # undeclared, which is what meta would compute, ten times faster.
        used = {n.name for n in of(nodes.Name) if n.name != "self"}
    else:
        try:
            used = meta.find_undeclared_variables(ast)
        except jinja2.TemplateSyntaxError as exc:
            return [Issue(f"syntaxe Jinja incorrecte : {_french_jinja(exc.message or '')}", filename, exc.lineno)], set()
    reported = set()
    for name_node in of(nodes.Name):
        name = name_node.name
        if name_node.ctx == "load" and name in used and name not in declared and name not in GLOBAL_NAMES and name not in reported:
            reported.add(name)
            issues.append(
                Issue(
                    f"« {name} » n'est pas un paramètre déclaré dans l'en-tête",
                    filename,
                    name_node.lineno,
                    hint=suggest(name, declared | GLOBAL_NAMES) or "déclarez-le sous « parametres »",
                )
            )
    return sorted(issues, key=lambda i: i.line or 0), used


# Nodes that open a scope or bind names (meta handles their rules).
_SCOPING = (nodes.For, nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.With, nodes.Scope, nodes.OverlayScope, nodes.Block)

# Tags that reach other templates: a clause stands alone.
_FORBIDDEN_TAGS = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
}


def _forbidden_constructs(of, filename: str) -> list[Issue]:
    """What a clause text may not do, refused before any rendering (``of(kind)``: the nodes of a kind)."""
    issues = []
    hint = "un texte de clause n'emploie que ses paramètres, les noms documentés et les filtres français"
    for kind, tag in _FORBIDDEN_TAGS.items():
        for node in of(kind):
            issues.append(Issue(f"balise « {tag} » interdite dans un texte de clause", filename, node.lineno, hint=hint))
    for node in of(nodes.Getattr):
        if node.attr.startswith("_"):
            issues.append(Issue(f"accès interdit à « {node.attr} »", filename, node.lineno, hint=hint))
    for node in of(nodes.Getitem):
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
            issues.append(Issue(f"accès interdit à « {node.arg.value} »", filename, node.lineno, hint=hint))
    for node in of(nodes.Name):
        if node.name == "self" or node.name.startswith("_"):
            issues.append(Issue(f"« {node.name} » est un nom interne de Jinja, interdit dans un texte de clause", filename, node.lineno, hint=hint))
    for node in of(nodes.Call):
        if not (isinstance(node.node, nodes.Name) and node.node.name == "article"):
            issues.append(
                Issue(
                    "appel interdit dans un texte de clause : seul « article(\"identifiant\") » peut être appelé",
                    filename,
                    node.lineno,
                    hint=hint,
                )
            )
    return issues


_JINJA_FRENCH = [
    (r"unexpected end of template", "fin de texte inattendue"),
    (r"You probably made a nesting mistake\. Jinja is expecting this tag, but currently looking for",
     "Les blocs sont sans doute mal imbriqués : cette balise viendra plus loin, Jinja attend d'abord"),
    (r"Jinja was looking for the following tags:?", "Jinja attendait l'une des balises suivantes :"),
    (r"The innermost block that needs to be closed is", "Le bloc à fermer est"),
    (r"Missing end of raw directive", "« {% raw %} » sans « {% endraw %} »"),
    (r"Missing end of comment tag", "commentaire « {# » sans « #} »"),
    (r"Missing end of (\w+) tag", r"balise \1 non fermée"),
    (r"Encountered unknown tag", "balise inconnue"),
    (r"Expected an expression", "expression attendue"),
    (r"end of statement block", "fin de balise « %} »"),
    (r"end of print statement", "fin de « }} »"),
    (r"unexpected char", "caractère inattendu"),
    (r"expected token", "élément attendu"),
    (r"unexpected", "inattendu :"),
    (r"\bexpected\b", "attendu :"),
    (r"\bgot\b", "reçu"),
    (r"\bat (\d+)", r"en position \1"),
    (r"No filter named", "aucun filtre nommé"),
    (r"No test named", "aucun test nommé"),
    (r"\bfound\b", "trouvé"),
    (r"' or '", "' ou '"),
]


def _french_jinja(message: str) -> str:
    for english, fr in _JINJA_FRENCH:
        message = re.sub(english, fr, message, flags=re.IGNORECASE)
    # 'endif' → « endif » (names of tags and filters, as every other message quotes them)
    return re.sub(r"'([^'\s]+)'", "« \\1 »", message)


def render_markdown_template(templates, name: str, context: dict[str, Any], filename: str) -> tuple[Block, ...]:
    """Render a template of ``templates`` (an environment or an :class:`Overlay`) into model blocks."""
    return rendered_blocks(render_template(templates, name, context, filename))


def render_template(templates, name: str, context: dict[str, Any], filename: str) -> str:
    """The text of template ``name`` of ``templates`` (an environment or an :class:`Overlay`),
    or RenderError in French with the clause file's line."""
    try:
        template = templates.get_template(name)
        text = budget.render_within_budget(template, context)
    except _MissingValue as exc:
        raise RenderError(
            "une valeur facultative non renseignée est imprimée",
            filename,
            _template_line(exc, filename),
            hint="entourez-la d'un {% if … %} … {% endif %} ou renseignez-la dans le profil",
        ) from None
    except SecurityError as exc:
        raise RenderError(
            f"opération interdite dans un texte de clause ({exc})",
            filename,
            _template_line(exc, filename),
            hint="un texte de clause ne peut accéder qu'aux paramètres et aux noms documentés",
        ) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(
            f"valeur inconnue : {_french_undefined(exc.message or '')}",
            filename,
            _template_line(exc, filename),
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"syntaxe Jinja incorrecte : {_french_jinja(exc.message or '')}", filename, exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"texte impossible à produire : {exc}", filename, _template_line(exc, filename)) from None
    except RenderError:
        raise
    except RecursionError as exc:
        raise RenderError(
            "texte impossible à produire : le texte s'emploie lui-même sans fin",
            filename,
            _template_line(exc, filename),
        ) from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError) as exc:
        reason = str(exc) if isinstance(exc, ValueError) and str(exc) else "opération impossible sur ces valeurs"
        if isinstance(exc, TypeError):
            reason = "opération impossible sur ces valeurs (types incompatibles)"
        elif isinstance(exc, ArithmeticError):
            reason = "calcul impossible (nombre trop grand ou division par zéro)"
        raise RenderError(
            f"texte impossible à produire : {reason}",
            filename,
            _template_line(exc, filename),
        ) from None
    return text


class Memo:
    """What a rebuild does not compute again, keyed by content: a library's one memo.

    - the blocks of a rendered text, by its template's content
      (:attr:`TemplateSource.sha256`) and what it was given: a clause's text
      depends on nothing else (the sandbox lets it reach nothing else, the
      filters are pure), so a rebuild renders, typesets and parses again only
      the texts whose template or values changed;
    - the verdict of :func:`check_template` on a text (a profile's inline
      clauses are checked on every load of the profile);
    - a profile's text read as YAML with its positions (:meth:`parsed`), by
      the text itself: reading it is a pure function of the text; the values
      are never changed after parsing (a profile's checks build new values).

    A :class:`~csi_docgen.clauses.Library` carries one; drop the library (or
    call :meth:`clear`) to drop it. It pays in a notebook or a négociation:
    benchmarks/RESULTS.md, the warm rebuild against « mémo vidé ».
    """

    MAX = 16384
    PARSED_MAX = 64  # profiles of a batch or a notebook

    def __init__(self) -> None:
        self._blocks: dict[tuple, tuple[Block, ...]] = {}
        self._parsed: dict[tuple, Any] = {}
        self._code: str | None = None  # fingerprint of the code, for the disk keys

    def parsed(self, text: str, display: str, parse):
        """``parse(text, display)``, remembered by the text; each caller gets its own copy of the result's top."""
        key = (parse, display, text)
        found = self._parsed.get(key)
        if found is None:
            found = parse(text, display)
            if len(self._parsed) >= self.PARSED_MAX:
                self._parsed.clear()
            self._parsed[key] = found
        return dataclasses.replace(found)

    def __len__(self) -> int:
        return len(self._blocks)

    def get(self, key) -> tuple[Block, ...] | None:
        return None if key is None else self._blocks.get(key)

    def recall(self, key):
        """What was rendered under ``key``: remembered here, or kept on disk by an earlier process."""
        found = self.get(key)
        if found is None and key is not None:
            disk_key = self._disk_key(key)
            if disk_key is not None:
                found = diskcache.load("textes", disk_key)
                if found is not None:
                    self.put(key, found)
        return found

    def keep(self, key, value) -> None:
        """Remember what was rendered under ``key``, here and on disk for later processes."""
        self.put(key, value)
        disk_key = self._disk_key(key) if key is not None else None
        if disk_key is not None:
            diskcache.store("textes", disk_key, value)

    def _disk_key(self, key) -> str | None:
        """The key on disk: the memo's key as text, with the code that renders and typesets."""
        text = repr(key)
        if " at 0x" in text:  # an object without a faithful repr: kept in memory only
            return None
        if self._code is None:
            self._code = diskcache.code_fingerprint("csi_docgen", "jinja2", "markdown_it", "babel", "num2words")
        return hashlib.sha256(f"{self._code}\n{text}".encode("utf-8")).hexdigest()

    def put(self, key, blocks: tuple[Block, ...]) -> None:
        if key is None:
            return
        if len(self._blocks) >= self.MAX:
            self._blocks.clear()
        self._blocks[key] = blocks

    def clear(self) -> None:
        self._blocks.clear()
        self._parsed.clear()


def context_key(value: Any):
    """A hashable summary of a context value that tells apart every value a template could print.

    Types are part of it (``1``, ``True`` and ``1.0`` are equal in Python but
    print differently), and so are a number's unit and gender. Raises
    TypeError for a value it does not know how to summarise.
    """
    if isinstance(value, french.Nombre):
        return ("Nombre", int(value), value.unite, value.unite_singulier, value.genre)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(context_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, context_key(v)) for k, v in value.items()))
    if value is None or isinstance(value, (str, int, float, bool, dt.date)):
        return (type(value).__name__, value)
    if (
        dataclasses.is_dataclass(value)
        and getattr(type(value), "__hash__", None) is not None
        and all(f.repr and f.compare for f in dataclasses.fields(value))  # its repr and equality tell it whole
    ):
        return (type(value).__qualname__, value)  # frozen dataclasses: Designation, ContractInfo
    raise TypeError(f"no key for {type(value).__name__}")


_UNDEFINED = [
    (re.compile(r"^'([^']*)' is undefined$"), r"« \1 » n'est pas défini"),
    (re.compile(r"^'(?:[\w.]+ object|[^']*)' has no attribute '([^']*)'$"), r"attribut « \1 » inexistant"),
    (re.compile(r"^'(?:[\w.]+ object|[^']*)' has no element (.*)$"), r"élément \1 inexistant"),
    (re.compile(r"^No caller defined$"), "« caller » employé hors d'un appel de macro"),
]


def _french_undefined(message: str) -> str:
    for pattern, french_text in _UNDEFINED:
        if pattern.search(message):
            return pattern.sub(french_text, message)
    return message


def _template_line(exc: BaseException, filename: str) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line
