"""French formatting: numbers, amounts, dates, words and typography.

Babel formats numbers, currency and dates the way the fr_FR locale wants them
(narrow no-break spaces as thousands separators); num2words writes numbers
in words. The typography pass adds the no-break spaces French wants before
``: ; ! ?`` and inside « guillemets », and curls straight quotes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .xmlchars import XML_ILLEGAL

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, used before ; ! ? and in numbers
LOCALE = "fr_FR"


class Nombre(int):
    """An integer parameter value that remembers the unit its clause declared."""

    unite: str | None
    unite_singulier: str | None
    genre: str

    def __new__(cls, value: int, unite=None, unite_singulier=None, genre="m"):
        obj = super().__new__(cls, value)
        obj.unite = unite
        obj.unite_singulier = unite_singulier
        obj.genre = genre
        return obj

    def __str__(self) -> str:  # {{ n }} alone: « 1 250 »
        return nombre(self)


class Euros(int):
    """An amount parameter value: {{ somme }} alone prints « 250 000 € »."""

    def __str__(self) -> str:
        return montant(self)


def _form(value, name: str):
    """The form ``name`` of a value of :mod:`.quantities` (« 5,5 », « vingt (20) »…), or None."""
    method = getattr(value, name, None)
    return method() if callable(method) else None


def nombre(value: int) -> str:
    """1250 → "1 250" with a narrow no-break space; a decimal value keeps its comma (« 5,5 »)."""
    form = _form(value, "chiffres")
    if form is not None:
        return form
    from babel.numbers import format_decimal  # babel and num2words: imported when a figure is written

    return format_decimal(int(value), locale=LOCALE)


def montant(value: int) -> str:
    """250000 → "250 000 €"; a yearly or staged amount in its own words (« 100 000 € par an »)."""
    if not isinstance(value, int):
        return str(value)
    from babel.numbers import format_currency

    return format_currency(
        int(value), "EUR", locale=LOCALE, format="#,##0\u00a0¤", currency_digits=False
    )


# The words num2words gives for 0 to 16 (a test holds them equal): the
# number of copies and most counts of a contract, written without importing it.
SMALL_NUMBERS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
).split()


def en_lettres(value: int, genre: str = "m") -> str:
    value = int(value)
    if 0 <= value < len(SMALL_NUMBERS):
        words = SMALL_NUMBERS[value]
    else:
        from num2words import num2words

        words = num2words(value, lang="fr")
    if genre == "f" and (words == "un" or words.endswith("-un") or words.endswith(" un")):
        words += "e"
    return words


def lettres(value: int) -> str:
    """12 → "douze (12)": the legal way of writing a count."""
    form = _form(value, "lettres")
    if form is not None:
        return form
    genre = getattr(value, "genre", "m")
    return f"{en_lettres(value, genre)} ({nombre(value)})"


def quantite(value: int) -> str:
    """12 → "douze (12) policiers municipaux", with the parameter's unit."""
    form = _form(value, "quantite")
    if form is not None:
        return form
    unite = getattr(value, "unite", None)
    if not unite:
        return lettres(value)
    if abs(int(value)) <= 1 and getattr(value, "unite_singulier", None):
        unite = value.unite_singulier
    return f"{lettres(value)} {unite}"


def numero(number: int) -> str:
    """An article's number as legal French writes it: 1 → "1er", 12 → "12"."""
    return "1er" if number == 1 else str(number)


def article_label(number: int) -> str:
    """4 → "Article 4", 1 → "Article 1er"."""
    return f"Article {numero(number)}"


def signature_statement(signature) -> str:
    """« Fait à …, le …, en N exemplaires originaux. » of a signature page (a blank line without a date)."""
    when = f", le {date_longue(signature.date)}" if signature.date else ", le " + "." * 20
    return f"Fait à {signature.place}{when}, en {en_lettres(signature.copies)} ({signature.copies}) exemplaires originaux."


PRESENCE = "En présence de\u00a0:"


def witness_lines(signature) -> tuple[str, ...]:
    """Under « En présence de : », « Le préfet du Puy-de-Dôme, Philippe CHOPIN ; » …, the last one ending with a full stop."""
    lines = [f"{p.qualite}, {p.nom}" if p.nom else p.qualite for p in signature.witnesses]
    return tuple(line + ("." if i == len(lines) - 1 else NNBSP + ";") for i, line in enumerate(lines))


def date_longue(value: dt.date) -> str:
    """date(2021, 7, 22) → "22 juillet 2021" (a no-break space after the day); the first of a month is "1er"."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    from babel.dates import format_date

    text = format_date(value, format="d MMMM y", locale=LOCALE)
    if value.day == 1:
        text = "1er" + text[1:]
    day, rest = text.split(" ", 1)
    return day + NBSP + rest  # the day never ends a line without its month


def periode(debut: int, fin: int) -> str:
    """(2021, 2026) → "2021-2026"."""
    return f"{debut}-{fin}"


def compte(n: int, nom: str) -> str:
    """(1, "annexe") → "1 annexe", (2, "annexe") → "2 annexes" (0 and 1 take the singular)."""
    return f"{n} {nom if n < 2 else nom + 's'}"


def liste(items) -> str:
    """["a", "b", "c"] → "a, b et c"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """4 → "IV": the numbering of the contract's titres."""
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def majuscule(value) -> str:
    """« quinze (15) policiers » → « Quinze (15) policiers »: a value that starts a sentence."""
    text = str(value)
    return text[:1].upper() + text[1:]


FILTERS = {
    "lettres": lettres,
    "quantite": quantite,
    "nombre": nombre,
    "montant": montant,
    "date_longue": date_longue,
    "periode": periode,
    "liste": liste,
    "majuscule": majuscule,
}


# --- grammar of the collectivity -----------------------------------------

# kind → (noun, gender, executive)
KIND_GRAMMAR = {
    "commune": ("commune", "f", "le maire"),
    "ville": ("ville", "f", "le maire"),
    "metropole": ("métropole", "f", "le président de la métropole"),
    "communaute-urbaine": ("communauté urbaine", "f", "le président de la communauté urbaine"),
    "communaute-agglomeration": (
        "communauté d’agglomération",
        "f",
        "le président de la communauté d’agglomération",
    ),
    "communaute-communes": ("communauté de communes", "f", "le président de la communauté de communes"),
    "etablissement-public": (
        "établissement public de coopération intercommunale",
        "m",
        "le président de l’établissement public de coopération intercommunale",
    ),
    # Parties other than the collectivité (« parties: » of a profile).
    "departement": ("département", "m", "le président du conseil départemental"),
    "region": ("région", "f", "le président du conseil régional"),
    "bailleur": ("bailleur social", "m", "le directeur général"),
    "transporteur": ("exploitant de transport", "m", "le directeur général"),
    "association": ("association", "f", "le président de l’association"),
    "entreprise": ("entreprise", "f", "le directeur général"),
    "autre": ("partenaire", "m", "son représentant"),
}
# Kinds named by their own name (« Keolis », « Office public de l’habitat du Cher »)
# unless the profile gives a ``sujet``.
NAMED_KINDS = ("bailleur", "transporteur", "association", "entreprise", "autre")

_VOWEL = re.compile(r"^[aeiouyéèêàâîôûh]", re.IGNORECASE)


@dataclass(frozen=True)
class Designation:
    """How the French text names the collectivity, with agreement."""

    nom: str
    sujet: str  # "la commune" / "Bourges Plus"
    genre: str  # "m" or "f"
    executif: str
    proper: bool  # True when the subject is a proper name
    kind: str = "commune"
    membres: tuple[str, ...] = ()  # several communes signing together: « les communes »

    @property
    def pluriel(self) -> bool:
        return bool(self.membres)

    @property
    def Sujet(self) -> str:  # noqa: N802 - drafters write {{ collectivite.Sujet }}
        return self.sujet[:1].upper() + self.sujet[1:]

    @property
    def de(self) -> str:
        if self.proper:
            return f"d’{self.sujet}" if _VOWEL.match(self.sujet) else f"de {self.sujet}"
        if self.sujet.startswith("le "):
            return "du " + self.sujet[3:]
        if self.sujet.startswith("les "):
            return "des " + self.sujet[4:]
        return f"de {self.sujet}"

    @property
    def a(self) -> str:
        if self.proper:
            return f"à {self.sujet}"
        if self.sujet.startswith("le "):
            return "au " + self.sujet[3:]
        if self.sujet.startswith("les "):
            return "aux " + self.sujet[4:]
        return f"à {self.sujet}"

    @property
    def e(self) -> str:
        """Agreement of an adjective or participle: « dotée », « dotées » for several communes."""
        return ("e" if self.genre == "f" else "") + ("s" if self.pluriel else "")

    # Agreement in number, for clause texts: « s’engage{{ collectivite.nt }} »,
    # « {{ collectivite.sa }} police municipale ».
    @property
    def nt(self) -> str:
        """Ending of a verb in « -e » whose subject is the collectivity: « s’engage » / « s’engagent »."""
        return "nt" if self.pluriel else ""

    @property
    def son(self) -> str:
        return "leur" if self.pluriel else "son"

    @property
    def sa(self) -> str:
        return "leur" if self.pluriel else "sa"

    @property
    def ses(self) -> str:
        return "leurs" if self.pluriel else "ses"

    @property
    def elle(self) -> str:
        """The pronoun: « elle », « il », « elles »."""
        return ("elle" if self.genre == "f" else "il") + ("s" if self.pluriel else "")

    @property
    def Executif(self) -> str:  # noqa: N802
        return self.executif[:1].upper() + self.executif[1:]

    @property
    def complete(self) -> str:
        """"la ville de Clermont-Ferrand", "Clermont Auvergne Métropole"."""
        if self.pluriel:  # « les communes de Riom et de Mozac »
            return "les communes " + liste([(f"d’{m}" if _VOWEL.match(m) else f"de {m}") for m in self.membres])
        if self.proper:
            return self.sujet
        if self.kind in NAMED_KINDS:
            return self.nom
        noun = self.sujet.split(" ", 1)[-1] if " " in self.sujet else self.sujet.removeprefix("l’")
        if apostrophes(self.nom).lower().startswith(noun.lower()) and self.sujet.endswith(noun):
            # « la Communauté de communes du Pays de Vierzon », « la Métropole de Lyon »: the name
            # begins with the common noun, so it takes the subject's article.
            return self.sujet[: len(self.sujet) - len(noun)] + self.nom
        if noun.lower() in self.nom.lower():  # « Clermont Auvergne Métropole », not « la métropole Clermont… »
            return self.nom
        if self.kind in ("commune", "ville"):
            de = "d’" if _VOWEL.match(self.nom) else "de "
            return f"{self.sujet} {de}{self.nom}"
        return f"{self.sujet} {self.nom}"

    def __str__(self) -> str:
        return self.sujet


def designation(nom: str, kind: str, sujet: str | None = None, genre: str | None = None) -> Designation:
    noun, noun_genre, executif = KIND_GRAMMAR[kind]
    if not sujet and kind in NAMED_KINDS:
        sujet = nom
    if sujet:
        proper = not sujet[:1].islower()
        return Designation(nom, sujet, genre or noun_genre, executif, proper, kind)
    article = "l’" if _VOWEL.match(noun) else ("la " if noun_genre == "f" else "le ")
    return Designation(nom, f"{article}{noun}", noun_genre, executif, False, kind)


def communes_ensemble(noms: list[str]) -> Designation:
    """Several communes that sign together, named in the plural: « les communes », « les maires »."""
    return Designation(liste(noms), "les communes", "f", "les maires", False, "commune", tuple(noms))


# --- typography ----------------------------------------------------------

# Private-use markers around values coming from a profile: typography does
# not touch them, so a value is printed exactly as typed.
VALUE_START = "\ue000"
VALUE_END = "\ue001"
_VALUE_SPAN = re.compile(f"{VALUE_START}.*?{VALUE_END}", re.DOTALL)
_PLACEHOLDER = "\ue002"

_OPEN_GUILLEMET = re.compile(r"«[ \u00a0]*")
_DOUBLE_QUOTES = re.compile(r'"([^"\n]*)"')
_NUMERO = re.compile(r"\bn° +")
_DIGIT_SPACE_DIGIT = re.compile(r"\d \d")
_FIGURE_SPACE = re.compile(r"\d(?:er)? ")
_THOUSANDS = re.compile(r"(?<=\b\d) (?=\d{3}\b)|(?<=\b\d\d) (?=\d{3}\b)|(?<=\b\d\d\d) (?=\d{3}\b)")
_CODE_ARTICLE = re.compile(r"\b([LRD])\. +(?=\d)")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
# « 22 juillet », « 1er janvier »: the day never ends a line without its month.
_DAY_MONTH = re.compile(r"(?<![\d,.])(\d{1,2}|1er) +(?=(?:%s)\b)" % "|".join(MONTHS))


def _close_guillemets(text: str) -> str:
    """« … » : whatever spaces precede a closing guillemet become one no-break space."""
    pieces = text.split("»")
    last = pieces.pop()
    return "".join(piece.rstrip(" \u00a0") + NBSP + "»" for piece in pieces) + last


_HIGH_MARKS = re.compile(r"([;!?])")


def _space_before(parts: list[str], mark: str | None, space: str, also_after: str) -> str:
    r"""Give each mark one no-break space before it, in one pass over the split text.

    The rule as a pattern (tests/test_chemins_rapides.py checks both agree):
    ``(?<=\S)[ \u00a0]*MARK(?=\s|$|ALSO_AFTER)`` → space + mark.

    ``parts`` is the text split at the marks (``mark`` between every two
    parts), or split with the marks kept (``mark`` None). A mark gets its
    space when a visible character comes before it (spaces in between are
    replaced) and whitespace, the end of the text or a character of
    ``also_after`` comes after it.
    """
    if mark is not None:
        pieces, marks = parts, [mark] * (len(parts) - 1)
    else:
        pieces, marks = parts[0::2], parts[1::2]
    out = []
    last = len(marks) - 1
    for i, sign in enumerate(marks):
        piece, after = pieces[i], pieces[i + 1]
        follows = (after[0].isspace() or after[0] in also_after) if after else i == last
        kept = piece.rstrip(" \u00a0")
        # The character before the spaces: the piece's last one, or the previous mark.
        visible = not kept[-1].isspace() if kept else i > 0
        out.append(kept + space + sign if follows and visible else piece + sign)
    out.append(pieces[-1])
    return "".join(out)


def _typeset(text: str) -> str:
    # Each rule runs only when its trigger is in the text: most clause
    # paragraphs need one or two of them, and scanning costs more than testing.
    if '"' in text:
        text = _DOUBLE_QUOTES.sub(r"« \1 »", text)
    if "'" in text:
        text = text.replace("'", "’")
    if "«" in text:
        text = _OPEN_GUILLEMET.sub("«" + NBSP, text)
    if "»" in text:
        text = _close_guillemets(text)
    if ":" in text:
        text = _space_before(text.split(":"), ":", NBSP, "")
    if ";" in text or "!" in text or "?" in text:
        text = _space_before(_HIGH_MARKS.split(text), None, NNBSP, "»)")
    # "n° 6258", "L. 512-4": the number never leaves its label.
    if "n°" in text:
        text = _NUMERO.sub("n°" + NBSP, text)
    # « 250 000 », « 16 avril », « 1er janvier »: a figure, then a space (one scan for both rules).
    if _FIGURE_SPACE.search(text):
        if _DIGIT_SPACE_DIGIT.search(text):
            text = _THOUSANDS.sub(NNBSP, text)
        if _DAY_MONTH.search(text):
            text = _DAY_MONTH.sub(r"\1" + NBSP, text)
    if "L. " in text or "R. " in text or "D. " in text:
        text = _CODE_ARTICLE.sub(r"\1." + NBSP, text)
    return text


def typography(text: str) -> str:
    """French typography on library text, leaving marked profile values alone.

    Each marked value is stood in for by one placeholder character while the
    rules run, so that "{{ valeur }} ;" still gets its no-break space.
    """
    if VALUE_START not in text:
        return _typeset(text)
    spans: list[str] = []

    def stash(match: re.Match) -> str:
        spans.append(match.group(0))
        return _PLACEHOLDER

    text = _typeset(_VALUE_SPAN.sub(stash, text))
    if not spans:
        return text
    pieces = text.split(_PLACEHOLDER)
    out = [pieces[0]]
    for span, piece in zip(spans, pieces[1:]):
        out.append(span)
        out.append(piece)
    return "".join(out)


def apostrophes(text: str) -> str:
    """Straight apostrophes of a profile value become typographic ones, like the clause text's."""
    return text.replace("'", "’")


def strip_markers(text: str) -> str:
    return text.replace(VALUE_START, "").replace(VALUE_END, "")


_XML_ILLEGAL = re.compile(f"[{XML_ILLEGAL}]")


def has_illegal_chars(text: str) -> bool:
    return bool(_XML_ILLEGAL.search(text))


def clean_text(text: str) -> str:
    """Remove the characters a .docx cannot hold."""
    return _XML_ILLEGAL.sub("", text)
