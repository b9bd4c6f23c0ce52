"""Indicators fed by the commitment: an indicator's reference and target written from the clause's parameters.

A clause header may give an indicator ``reference`` and ``cible`` texts with
``{{ … }}`` of its parameters (« +{{ effectif_supplementaire | nombre }} »):
the figure stated in the article then appears in the indicator annex
without being typed twice. Each text is a template of the clause's
sandboxed environment, checked when the clause loads (names, filters) and
rendered with the contract's values; a text that needs an optional value the
profile leaves out (printed without an ``{% if %}``) gives an empty cell.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from . import french, render
from .errors import Issue, RenderError
from .yamlpos import Located

FIELDS = ("reference", "cible")
_LINE_BREAKS = re.compile(r"[ \t\r\n]+")  # not the no-break spaces of « 250 000 € »
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def tie_name(template_name: str, indicator_id: str, field: str) -> str:
    return f"{template_name}#indicateur:{indicator_id}:{field}"


def check_ties(env, indicateurs, params: Iterable[str], located: Located, base: tuple, display: str) -> list[Issue]:
    """Syntax and names of each tie text, at the line of its key."""
    issues: list[Issue] = []
    declared = set(params)
    for index, indicator in enumerate(indicateurs):
        for field in FIELDS:
            source = getattr(indicator, field)
            if source is None:
                continue
            problems, _ = render.check_template(env, source, display, declared)
            line, col = located.where(base + (index, field))
            for problem in problems:
                issues.append(Issue(f"indicateur « {indicator.id} », « {field} » : {problem.message}", display, line, col, problem.hint))
    return issues


def tie_sources(template_name: str, indicateurs, display: str) -> dict[str, render.TemplateSource]:
    """The template sources of a clause's tie texts (served with the clause's own)."""
    sources = {}
    for indicator in indicateurs:
        for field in FIELDS:
            source = getattr(indicator, field)
            if source is not None:
                name = tie_name(template_name, indicator.id, field)
                sources[name] = render.TemplateSource(name, source, display)
    return sources


def tie_text(templates, template_name: str, indicator, field: str, context: dict[str, Any], display: str) -> str:
    """The text of one tie with this contract's values; empty when it uses a value left out.

    ``templates``: the environment or :class:`~csi_docgen.render.Overlay` that serves the clause.
    """
    source = getattr(indicator, field)
    if source is None:
        return ""
    env = templates.env if isinstance(templates, render.Overlay) else templates
    _, used = render.check_template(env, source, display, context)
    if used and all(context.get(name) is None for name in used):
        return ""
    try:
        text = render.render_template(templates, tie_name(template_name, indicator.id, field), context, display)
    except RenderError:
        if any(context.get(name) is None for name in used):
            return ""  # a value the profile leaves out, printed or formatted without an « if »
        raise
    text = french.strip_markers(french.typography(text))
    return french.clean_text(_ESCAPED.sub(r"\1", _LINE_BREAKS.sub(" ", text).strip()))
