"""Agreement in number of the library's texts, for ``verifier-clauses``.

Several communes may sign one contract: ``{{ collectivite.Sujet }}`` then
prints « Les communes ». A verb, a possessive or « le maire » written in the
singular next to it reads wrong (« Les communes s’engage à renforcer sa police
municipale »). This reads each template's source, so every branch of every
``{% if %}`` is seen, and warns at the line the drafter has to change.
"""

from __future__ import annotations

import re

from .errors import Issue

_SUBJECT = re.compile(r"\{\{-?\s*collectivite\.[Ss]ujet\s*-?\}\}")
# The word after the subject: « {{ collectivite.Sujet }} s’engage », « …, dotée d’une fourrière, s’engage »,
# « {{ collectivite.Sujet }} y désigne »; a word glued to « {{ … }} » (« s’engage{{ collectivite.nt }} ») is not taken.
_WORD_AFTER = re.compile(r"(?:,[^,{}\n]*,)?[ \t]+(?:(?:y|en|ne)[ \t]+)?((?:s[’'])?[^\W\d_]+)(?=[\s,.;:)]|$)")
_NOT_A_VERB = frozenset(
    "et ou de du des le la les à au aux dans pour par avec sur qui que dont y en ne".split()
)
_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
# « {% if collectivite.pluriel %}…{% else %}…{% endif %} » already writes both forms.
_BOTH_FORMS = re.compile(r"\{%-?\s*if\s+collectivite\.pluriel\s*-?%\}.*?\{%-?\s*endif\s*-?%\}", re.S)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|\n\s*\n")
_POSSESSIVE = re.compile(r"\b(?:[Ss]on|[Ss]a|[Ss]es)\b")
_CONTRACTED = re.compile(r"\b([àÀ]|[Dd]e)[ \t]+(?=\{\{-?\s*collectivite\.sujet\s*-?\}\})")
_MAIRE = re.compile(r"\b(?:[Ll]e|[Dd]u|[Aa]u) maire\b")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _line(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def template_issues(text: str, filename: str) -> list[Issue]:
    """Warnings for one template's source (front matter blanked: lines are the file's)."""
    issues = []
    for subject in _SUBJECT.finditer(text):
        word = _WORD_AFTER.match(text, subject.end())
        if word and word.group(1).lower() not in _NOT_A_VERB and not word.group(1).endswith("nt"):
            verb = word.group(1)
            fix = (
                f"écrivez « {verb}{{{{ collectivite.nt }}}} »"
                if verb.endswith("e")
                else f"écrivez les deux formes : « {{% if collectivite.pluriel %}}…{{% else %}}{verb}{{% endif %}} »"
            )
            issues.append(_issue(
                f"« {verb} » reste au singulier quand plusieurs communes signent (« Les communes {verb} »)",
                filename, text, word.start(1), f"{fix} ; voir clauses/README.md, « Accorder au pluriel »",
            ))
    # Possessives and « le maire » are looked for outside of every tag and of the texts written in both forms;
    # sentences end where the text without its tags does (« (CSU).{% else %} »).
    untagged = _TAG.sub(_blank, text)
    masked = _TAG.sub(_blank, _BOTH_FORMS.sub(_blank, text))
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(untagged)] + [len(text)]:
        if _SUBJECT.search(text, start, end):
            for found in _POSSESSIVE.finditer(masked, start, end):
                word = found.group(0).lower()
                issues.append(_issue(
                    f"« {found.group(0)} » dans une phrase qui nomme la collectivité : « leur{'s' if word == 'ses' else ''} » quand plusieurs communes signent",
                    filename, text, found.start(), f"écrivez « {{{{ collectivite.{word} }}}} » si c'est celui de la collectivité ; voir clauses/README.md, « Accorder au pluriel »",
                ))
        start = end
    for found in _CONTRACTED.finditer(text):
        name = "a" if found.group(1).lower() == "à" else "de"
        issues.append(_issue(
            f"« {found.group(1)} {{{{ collectivite.sujet }}}} » donnerait « {found.group(1)} les communes » quand plusieurs communes signent",
            filename, text, found.start(), f"écrivez « {{{{ collectivite.{name} }}}} » (« {'aux' if name == 'a' else 'des'} communes », « {'à la' if name == 'a' else 'de la'} commune »)",
        ))
    for found in _MAIRE.finditer(masked):
        issues.append(_issue(
            f"« {found.group(0)} » : « les maires » quand plusieurs communes signent",
            filename, text, found.start(), "écrivez « {{ collectivite.executif }} » ou les deux formes avec « {% if collectivite.pluriel %}…{% else %}…{% endif %} »",
        ))
    return issues


def _issue(message: str, filename: str, text: str, offset: int, hint: str) -> Issue:
    line, column = _line(text, offset)
    return Issue(message, filename, line, column, hint=hint, severity="avertissement")


def agreement_warnings(library) -> list[Issue]:
    """Every text of ``library`` (clauses and fixed articles) that would stay singular for several communes."""
    sources = library.env.loader.sources
    return [issue for name in sorted(sources) for issue in template_issues(sources[name].text, sources[name].filename)]
