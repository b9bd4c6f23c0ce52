"""A rendering budget for clause texts: loops, concatenations and output are counted.

A clause written in a profile is untrusted text run by Jinja's sandbox. The
sandbox stops what is unsafe, not what is merely huge: three nested loops
over a thousand items, or a text doubled by ``~`` fourteen times, run
without bound. Each rendering of a clause therefore gets a budget:

* ``MAX_LOOP_STEPS`` loop iterations in all (every ``{% for %}``, nested or not);
* ``MAX_TEXT`` characters for one string built by ``~`` (as for ``*`` and ``+``,
  see :mod:`.render`), and ``MAX_TEXT_WORK`` characters built in all;
* ``MAX_RENDERED`` characters of rendered text.

Running out is a ``SecurityError`` (French), which :mod:`.render` reports
with the clause file and line. The budget of the rendering in progress is
held in a context variable set by :func:`render_within_budget`, so
renderings in threads do not share one.

Hooks: :func:`instrument` rewrites a parsed template before it is compiled
(each loop's iterable and each ``~`` expression go through a counting
filter); :data:`FILTERS` are those filters.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from jinja2 import nodes
from jinja2.sandbox import SecurityError
from jinja2.visitor import NodeTransformer

MAX_LOOP_STEPS = 20_000
MAX_TEXT = 100_000
MAX_TEXT_WORK = 5_000_000
MAX_RENDERED = 1_000_000

LOOP_FILTER = "_budget_boucle"
TEXT_FILTER = "_budget_texte"


@dataclass
class Budget:
    """What one rendering may still spend: loop steps and characters of text."""

    steps: int = MAX_LOOP_STEPS
    work: int = MAX_TEXT_WORK


_current: ContextVar[Budget | None] = ContextVar("csi_docgen_render_budget", default=None)


def charge(size: int) -> None:
    """Count ``size`` characters built by an operator against the rendering in progress."""
    budget = _current.get()
    if budget is None:
        return
    budget.work -= size
    if budget.work < 0:
        raise SecurityError(f"trop de texte construit (plus de {MAX_TEXT_WORK:,} caractères)".replace(",", " "))


def _loop(iterable: Iterable) -> Iterator:
    budget = _current.get()
    for item in iterable:
        if budget is not None:
            budget.steps -= 1
            if budget.steps < 0:
                raise SecurityError(
                    f"trop de tours de boucle (plus de {MAX_LOOP_STEPS:,} en tout)".replace(",", " ")
                )
        yield item


def _text(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise SecurityError("texte trop long produit par « ~ »")
        charge(len(value))
    return value


FILTERS = {LOOP_FILTER: _loop, TEXT_FILTER: _text}


class _Instrument(NodeTransformer):
    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, LOOP_FILTER, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node, TEXT_FILTER, [], [], None, None, lineno=node.lineno)


def instrument(tree: nodes.Template) -> nodes.Template:
    """``tree`` with its loops and ``~`` expressions counted (changed in place, returned)."""
    return _Instrument().visit(tree)


def render_within_budget(template, context: dict) -> str:
    """``template.render(context)`` under a fresh budget."""
    token = _current.set(Budget())
    try:
        pieces = []
        size = 0
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_RENDERED:
                raise SecurityError(f"texte produit trop long (plus de {MAX_RENDERED:,} caractères)".replace(",", " "))
            pieces.append(piece)
        return "".join(pieces)
    finally:
        _current.reset(token)
