"""Clause text rendering: sandboxed Jinja2, then French typography, then Markdown.

Each clause body is a Jinja2 template registered under its own name with its
real file name, so errors point at the clause file and its true line (the
front matter is blanked out, not cut, to keep line numbers). Every value a
template prints is escaped for Markdown and wrapped in private-use markers:
a profile value is printed exactly as typed, never evaluated nor typeset.
"""

from __future__ import annotations

import traceback
from typing import Any, Iterable

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markdown_it import MarkdownIt

from . import french
from .errors import Issue, RenderError, suggest
from .model import Block, ListBlock, Paragraph, Run

# Names a template may always use besides its declared parameters.
GLOBAL_NAMES = frozenset({"collectivite", "contrat", "article"})

_MD_PUNCT = set("\\`*_{}[]()#+-.!<>&|~\"'")


class _MissingValue(Exception):
    pass


def _escape_markdown(text: str) -> str:
    return "".join("\\" + ch if ch in _MD_PUNCT else ch for ch in text)


def _finalize(value: Any) -> str:
    if value is None:
        raise _MissingValue()
    if isinstance(value, bool):
        value = "oui" if value else "non"
    text = french.clean_text(str(value)).replace("\r", "").replace("\n", " ")
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


def make_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=_SourceLoader(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(french.FILTERS)
    return env


def register(env: SandboxedEnvironment, name: str, source: str, filename: str) -> None:
    env.loader.sources[name] = (source, filename)  # type: ignore[union-attr]


def check_template(env: SandboxedEnvironment, source: str, filename: str, declared: Iterable[str]) -> tuple[list[Issue], set[str]]:
    """Syntax, unknown names and unknown filters of one template; returns used names."""
    try:
        ast = env.parse(source, filename=filename)
    except jinja2.TemplateSyntaxError as exc:
        return [Issue(f"syntaxe Jinja incorrecte : {_french_jinja(exc.message or '')}", filename, exc.lineno)], set()
    issues = []
    declared = set(declared)
    for filter_node in ast.find_all(nodes.Filter):
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
    if issues:
        # meta would fail on an unknown filter: approximate the names used.
        used = {n.name for n in ast.find_all(nodes.Name) if n.ctx == "load"}
    else:
        try:
            used = meta.find_undeclared_variables(ast)
        except jinja2.TemplateSyntaxError as exc:
            return [Issue(f"syntaxe Jinja incorrecte : {_french_jinja(exc.message or '')}", filename, exc.lineno)], set()
    reported = set()
    for name_node in ast.find_all(nodes.Name):
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


def _french_jinja(message: str) -> str:
    replacements = [
        ("unexpected end of template", "fin de texte inattendue"),
        ("Jinja was looking for the following tags", "Jinja attendait l'une des balises suivantes"),
        ("The innermost block that needs to be closed is", "le bloc à fermer est"),
        ("Encountered unknown tag", "balise inconnue"),
        ("Expected an expression", "expression attendue"),
        ("end of statement block", "fin de balise"),
        ("unexpected char", "caractère inattendu"),
        ("unexpected", "inattendu :"),
        ("expected token", "élément attendu"),
        ("got", "reçu"),
        ("No filter named", "aucun filtre nommé"),
        ("No test named", "aucun test nommé"),
    ]
    for english, fr in replacements:
        message = message.replace(english, fr)
    return message


def render_markdown_template(
    env: SandboxedEnvironment,
    name: str,
    context: dict[str, Any],
    filename: str,
) -> tuple[Block, ...]:
    """Render a registered template and parse its Markdown into model blocks."""
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
            f"valeur inconnue : {exc.message}",
            filename,
            _template_line(exc, filename),
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"syntaxe Jinja incorrecte : {_french_jinja(exc.message or '')}", filename, exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"texte impossible à produire : {exc}", filename, _template_line(exc, filename)) from None
    except RenderError:
        raise
    except (TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise RenderError(
            f"texte impossible à produire : {exc}",
            filename,
            _template_line(exc, filename),
        ) from None
    return markdown_blocks(french.typography(text))


def _template_line(exc: BaseException, filename: str) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line


# --- Markdown → blocks -----------------------------------------------------

_MD = (
    MarkdownIt("commonmark", {"html": False, "typographer": False})
    .disable(
        [
            "heading",
            "lheading",
            "code",
            "fence",
            "blockquote",
            "hr",
            "html_block",
            "reference",
            "link",
            "image",
            "autolink",
            "html_inline",
            "backticks",
        ]
    )
)


def markdown_blocks(text: str) -> tuple[Block, ...]:
    tokens = _MD.parse(text)
    blocks: list[Block] = []
    list_stack: list[tuple[bool, list]] = []
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append((token.type == "ordered_list_open", []))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            ordered, items = list_stack.pop()
            if list_stack:  # nested list: flatten into the parent
                list_stack[-1][1].extend(items)
            else:
                blocks.append(ListBlock(tuple(items), ordered))
        elif token.type == "inline":
            runs = _inline_runs(token.children or [])
            if not runs:
                continue
            if list_stack:
                list_stack[-1][1].append(runs)
            else:
                blocks.append(Paragraph(runs))
    return tuple(blocks)


def _inline_runs(children) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = 0
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("text", "code_inline"):
            _append(runs, french.strip_markers(child.content), bold > 0, italic > 0)
        elif kind == "softbreak":
            _append(runs, " ", bold > 0, italic > 0)
        elif kind == "hardbreak":
            _append(runs, "\n", bold > 0, italic > 0)
    # Drop edge whitespace left by Jinja blocks.
    if runs:
        runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic)
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic)
    return tuple(r for r in runs if r.text)


def _append(runs: list[Run], text: str, bold: bool, italic: bool) -> None:
    if runs and runs[-1].bold == bold and runs[-1].italic == italic:
        runs[-1] = Run(runs[-1].text + text, bold, italic)
    else:
        runs.append(Run(text, bold, italic))

