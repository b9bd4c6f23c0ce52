"""Rendered clause text → model blocks: French typography, then Markdown.

A clause's text, once rendered by Jinja (:mod:`.render`), is typeset
(:func:`csi_docgen.french.typography`) and cut into paragraphs and lists.
markdown-it is the Markdown parser; it costs about a microsecond per
character and tens of microseconds per call, so the shapes most clause
files are made of — plain paragraphs, lists of plain « - » lines — are
recognised without it, and whatever is left is parsed in one call per
contract. tests/test_chemins_rapides.py checks that every path gives what
markdown-it alone gives.
"""

from __future__ import annotations

import re
from typing import Any


from . import french
from .model import Block, ListBlock, Paragraph, Run

def rendered_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of one rendered clause text (typography, then Markdown)."""
    return rendered_blocks_many([text])[0]


def rendered_blocks_many(texts: list[str]) -> list[tuple[Block, ...]]:
    """The blocks of rendered clause texts, with ONE markdown-it call for all of them.

    markdown-it costs tens of microseconds per call before the first
    character: a contract's texts are parsed together, separated by a
    paragraph of their own (:data:`_SEPARATOR`), and the tokens are cut
    there. Equal to parsing each text alone (tests/test_chemins_rapides.py).
    """
    plans = [_plan(french.typography(french.clean_text(text))) for text in texts]  # [("blocs", blocks) | ("markdown", source)]
    parsed = iter(_parse_many([source for plan in plans for kind, source in plan if kind == "markdown"]))
    results = []
    for plan in plans:
        blocks: list[Block] = []
        for kind, part in plan:
            blocks += next(parsed) if kind == "markdown" else part
        results.append(tuple(blocks))
    return results


_MD = None  # the markdown-it parser, made on first use: most texts never need it, and importing it costs 70 ms


def _parser():
    """markdown-it with CommonMark's rules, minus what a clause text cannot hold."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark", {"html": False, "typographer": False}).disable(
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
    return _MD


# A chunk of text (between blank lines) with none of these, once its
# backslash escapes are set aside, is a plain paragraph for markdown-it (with
# the rules enabled above): no emphasis, entity, list, heading or line-break
# marker can start anywhere. Such chunks skip markdown-it, which costs about
# a microsecond per character; tests/test_chemins_rapides.py checks that the
# result is the same on random texts.
_MARKDOWN_SYNTAX = re.compile(r"[\\*_&<>`\t\r\0]|^[ \u00a0]*(?:[-+#>=]|\d{1,9}[.)])|  $", re.MULTILINE)
_SYNTAX_CHARS = re.compile(r"[\\*_&<>`\t\r\0]")  # its first alternative alone: one fast scan
_LINE_START = re.compile(r"[ \u00a0]*(?:[-+#>=]|\d{1,9}[.)])")  # its second, tried at line starts only
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation: that character, literally
_BLANK_LINES = re.compile(r"(\n(?: *\n)+)")


def _is_plain(chunk: str) -> bool:
    """No match of :data:`_MARKDOWN_SYNTAX` once escapes are set aside (tested by parts: faster)."""
    if "\\" in chunk:
        chunk = _ESCAPE.sub("", chunk)
    if _SYNTAX_CHARS.search(chunk) or "  \n" in chunk or chunk.endswith("  "):
        return False
    return not any(_LINE_START.match(line) for line in chunk.split("\n"))


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a typeset text (what markdown-it alone would give)."""
    blocks: list[Block] = []
    for kind, part in _plan(text):
        blocks += _parsed_blocks(part) if kind == "markdown" else part
    return tuple(blocks)


def _plan(text: str) -> list[tuple[str, Any]]:
    """Cut a typeset text into blocks found without markdown-it and sources for it, in order."""
    pieces = _BLANK_LINES.split(text)  # chunk, blank lines, chunk, …
    chunks = pieces[0::2]
    if _is_plain(text):  # the common case: then every chunk is plain too
        return [("blocs", tuple(block for chunk in chunks for block in _plain_paragraphs(chunk)))]
    plan: list[tuple[str, Any]] = []
    pending: list[str] = []  # chunks (with their separators) for markdown-it
    for n, chunk in enumerate(chunks):
        blocks = None
        if _is_plain(chunk):
            # After a chunk with syntax, an indented chunk may continue a list item.
            if not (pending and chunk[:1] == " "):
                blocks = _plain_paragraphs(chunk)
        elif not pending and _standalone(chunks, n):
            blocks = _simple_list(chunk)
        if blocks is None:
            if pending:
                pending.append(pieces[2 * n - 1])
            pending.append(chunk)
            continue
        if pending:
            plan.append(("markdown", "".join(pending)))
            pending = []
        plan.append(("blocs", blocks))
    if pending:
        plan.append(("markdown", "".join(pending)))
    return plan


def _standalone(chunks: list[str], n: int) -> bool:
    """Nothing after chunk ``n`` can join it: a following list or indented text would (loose lists)."""
    return n + 1 == len(chunks) or (_is_plain(chunks[n + 1]) and chunks[n + 1][:1] != " ")


_SIMPLE_ITEM = re.compile(r"- [^ \n]")


def _simple_list(chunk: str) -> tuple[Block, ...] | None:
    """The most common list of a clause file, or None: only lines « - text » of plain text.

    Such a chunk is one bulleted list with one item per line (markdown-it
    agrees: tests/test_chemins_rapides.py); anything else goes to markdown-it.
    """
    lines = chunk.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or not all(_SIMPLE_ITEM.match(line) and _is_plain(line[2:]) for line in lines):
        return None
    items = []
    for line in lines:
        paragraph = _plain_paragraphs(line[2:])
        if paragraph:
            items.append(paragraph[0].runs)
    return (ListBlock(tuple(items), False),)


_SEPARATOR = "\ue0ff"  # a paragraph of its own between two texts parsed together


def _parse_many(sources: list[str]) -> list[tuple[Block, ...]]:
    if len(sources) < 2 or any(_SEPARATOR in source for source in sources):
        return [_parsed_blocks(source) for source in sources]
    tokens = _parser().parse(f"\n\n{_SEPARATOR}\n\n".join(sources))
    out, start = [], 0
    for i, token in enumerate(tokens):
        if token.type == "inline" and token.content == _SEPARATOR and tokens[i - 1].type == "paragraph_open":
            out.append(_blocks_from_tokens(tokens[start : i - 1]))
            start = i + 2  # after paragraph_close
    out.append(_blocks_from_tokens(tokens[start:]))
    if len(out) != len(sources):  # pragma: no cover - a separator swallowed by a text: parse one by one
        return [_parsed_blocks(source) for source in sources]
    return out


def _plain_paragraphs(chunk: str) -> tuple[Block, ...]:
    """What markdown-it makes of a plain chunk: one paragraph of soft-broken lines."""
    if "\n" in chunk:
        content = " ".join(line for line in (part.strip(" ") for part in chunk.split("\n")) if line)
    else:  # most paragraphs of a clause file are one line
        content = chunk.strip(" ")
    if "\\" in content:
        content = _ESCAPE.sub(r"\1", content)
    content = french.strip_markers(content).strip()
    return (Paragraph((Run(content, False, False),)),) if content else ()


def _parsed_blocks(text: str) -> tuple[Block, ...]:
    return _blocks_from_tokens(_parser().parse(text))


def _blocks_from_tokens(tokens) -> tuple[Block, ...]:
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

