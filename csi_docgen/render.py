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
import re
import traceback
import weakref
import types
from functools import lru_cache
from typing import Any, Iterable

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import french
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


class _SourceLoader(jinja2.BaseLoader):
    """Serves registered template sources under their real file names."""

    def __init__(self) -> None:
        self.sources: dict[str, tuple[str, str]] = {}

    def get_source(self, environment, template):
        try:
            source, filename = self.sources[template]
        except KeyError:
            raise jinja2.TemplateNotFound(template) from None
        return source, filename, lambda: True


# Bounds on what a template may compute: a clause prints a few words.
MAX_TEXT = 100_000  # characters of a string or items of a list built by an operator
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
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_TEXT:
            raise SecurityError(f"texte ou liste trop long produit par « {operator} »")
        if isinstance(result, int) and not isinstance(result, bool) and result.bit_length() > 256:
            raise SecurityError(f"nombre trop grand produit par « {operator} »")
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        # Methods of built-in types (str.center, str.format…) can build huge
        # values; a clause only ever calls article().
        if isinstance(__obj, types.BuiltinFunctionType) or type(__obj).__name__ in ("method-wrapper", "method_descriptor"):
            raise SecurityError(f"appel de « {getattr(__obj, '__name__', '?')} » interdit")
        return super().call(__context, __obj, *args, **kwargs)

    def unsafe_undefined(self, obj: Any, attribute: str):
        return self.undefined(
            f"accès interdit à « {attribute} »",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )


def make_environment() -> SandboxedEnvironment:
    env = _Sandbox(
        loader=_SourceLoader(),
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
    env.filters = dict(french.FILTERS)
    return env


_LINT_ENV = make_environment()


def register(env: SandboxedEnvironment, name: str, source: str, filename: str) -> None:
    env.loader.sources[name] = (source, filename)  # type: ignore[union-attr]


def check_template(env: SandboxedEnvironment, source: str, filename: str, declared: Iterable[str]) -> tuple[list[Issue], set[str]]:
    """Syntax, unknown names and unknown filters of one template; returns used names.

    Every environment comes from :func:`make_environment` and accepts the same
    templates, so the verdict depends only on the text, its file name and the
    declared names: it is remembered (reloading a library costs half as much).
    """
    issues, used = _checked(source, filename, frozenset(declared))
    return list(issues), set(used)


@lru_cache(maxsize=4096)
def _checked(source: str, filename: str, declared: frozenset) -> tuple[tuple[Issue, ...], frozenset]:
    issues, used = _check_template(_LINT_ENV, source, filename, declared)
    return tuple(issues), frozenset(used)


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
    (r"Jinja was looking for the following tags:?", "Jinja attendait l'une des balises suivantes :"),
    (r"The innermost block that needs to be closed is", "le bloc à fermer est"),
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
    return message


def render_markdown_template(
    env: SandboxedEnvironment,
    name: str,
    context: dict[str, Any],
    filename: str,
) -> tuple[Block, ...]:
    """Render a registered template and parse its Markdown into model blocks."""
    return rendered_blocks(render_template(env, name, context, filename))


def render_template(env: SandboxedEnvironment, name: str, context: dict[str, Any], filename: str) -> str:
    """The text of a registered template, or RenderError in French with the clause file's line."""
    try:
        template = env.get_template(name)
        text = template.render(context)
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


# Texts of templates already rendered, per environment (a library), under a
# summary of what they were given (see :func:`context_key`).
_RENDERED: "weakref.WeakKeyDictionary[SandboxedEnvironment, dict]" = weakref.WeakKeyDictionary()
_RENDERED_MAX = 16384


def render_remembered(env: SandboxedEnvironment, name: str, key, context: dict[str, Any], filename: str) -> str:
    """:func:`render_template`, remembered under ``key``; ``key`` None renders every time.

    A clause's text depends only on its template and what the context holds
    (the sandbox lets it reach nothing else, and the filters are pure), so
    a rebuild renders again only the clauses whose values changed.
    """
    if key is None:
        return render_template(env, name, context, filename)
    store = _RENDERED.get(env)
    if store is None:
        store = _RENDERED[env] = {}
    text = store.get((name, key))
    if text is None:
        if len(store) >= _RENDERED_MAX:
            store.clear()
        text = store[name, key] = render_template(env, name, context, filename)
    return text


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
    if dataclasses.is_dataclass(value) and getattr(type(value), "__hash__", None) is not None:
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
