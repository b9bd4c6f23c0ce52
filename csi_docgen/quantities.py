"""Figures as contracts write them: decimals, percentages, ranges, calendars, trajectories.

Each value is a small frozen dataclass whose ``str()`` is its natural French
form (« 5,5 ETP », « 20 % », « entre 40 et 90 postes », « trente-trois (33)
policiers municipaux en 2021 et trente-sept (37) en 2022 »), so that
``{{ nom }}`` alone prints it well. Babel writes the figures (narrow no-break
spaces, decimal comma, « % »), num2words the words. :func:`parse` turns the
raw YAML value (strings and mappings of strings) into these values, or gives
a French reason it cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from . import french

LOCALE = french.LOCALE


def babel_numbers():
    """babel.numbers, imported when a figure is first written (it costs tens of milliseconds)."""
    import babel.numbers

    return babel.numbers


ECHEANCIER_EXAMPLE = "{2021: 33, 2022: 37}"
TRAJECTOIRE_EXAMPLE = "{reference: {annee: 2021, valeur: 12}, etapes: {2023: 25}, cible: {annee: 2026, valeur: 60}}"
FOURCHETTE_EXAMPLE = "{min: 40, max: 90}"
APPROXIMATION_FORMS = {
    "environ": "environ",
    "pres_de": "près de",
    "plus_de": "plus de",
    "moins_de": "moins de",
    "au_moins": "au moins",
}
# Approximate nouns: « une dizaine », « une centaine »… (feminine, « de » after them).
_APPROX_NOUNS = {
    10: "dizaine",
    12: "douzaine",
    15: "quinzaine",
    20: "vingtaine",
    30: "trentaine",
    40: "quarantaine",
    50: "cinquantaine",
    60: "soixantaine",
    100: "centaine",
    1000: "millier",
}
MAX_VALUE = Decimal(1_000_000_000)
MAX_DECIMALES = 6
_VOWEL = re.compile(r"^[aeiouyéèêàâîôûh]", re.IGNORECASE)


class ShapeError(ValueError):
    """A raw value that does not fit its type; the message is French."""


# --- figures ---------------------------------------------------------------


def figure(value: Decimal, decimales: int | None = None) -> str:
    """Decimal('1250.5') → « 1 250,5 » (babel, fr_FR): no trailing zeros unless ``decimales`` asks."""
    if decimales:
        pattern = "#,##0." + "0" * decimales
        return babel_numbers().format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)
    return babel_numbers().format_decimal(value, format="#,##0.######", locale=LOCALE, decimal_quantization=False)


def is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def counted(value: Decimal, genre: str = "m", decimales: int | None = None) -> str:
    """A whole count in words then figures, « trente-trois (33) »; a decimal in figures."""
    if is_whole(value) and not decimales:
        return f"{french.en_lettres(int(value), genre)} ({figure(value)})"
    return figure(value, decimales)


@dataclass(frozen=True)
class Unite:
    """A clause's unit: plural, singular and gender for the agreement."""

    pluriel: str | None = None
    singulier: str | None = None
    genre: str = "m"

    def pour(self, value: Decimal) -> str | None:
        """Singular below two (« 1,5 ETP », « une (1) caméra »), plural otherwise."""
        if self.singulier and abs(value) < 2:
            return self.singulier
        return self.pluriel

    def apres(self, text: str, value: Decimal) -> str:
        word = self.pour(value)
        return f"{text} {word}" if word else text


# --- the values ------------------------------------------------------------


@dataclass(frozen=True)
class Quantite:
    """A decimal number with its unit (type ``nombre``): « 5,5 ETP »."""

    valeur: Decimal
    unite: Unite = Unite()
    decimales: int | None = None

    def __str__(self) -> str:
        return self.unite.apres(figure(self.valeur, self.decimales), self.valeur)

    def lettres(self) -> str:
        return counted(self.valeur, self.unite.genre, self.decimales)

    def quantite(self) -> str:
        return self.unite.apres(self.lettres(), self.valeur)

    def chiffres(self) -> str:
        return figure(self.valeur, self.decimales)


@dataclass(frozen=True)
class Pourcentage:
    """A percentage (type ``pourcentage``): « 20 % », « 12,5 % »."""

    valeur: Decimal

    def __str__(self) -> str:
        return babel_numbers().format_percent(self.valeur / 100, format="#,##0.######\u00a0%", locale=LOCALE, decimal_quantization=False)

    lettres = quantite = chiffres = __str__


@dataclass(frozen=True)
class Fourchette:
    """A range (type ``fourchette``): « entre 40 et 90 postes »."""

    min: Decimal
    max: Decimal
    unite: Unite = Unite()

    def __str__(self) -> str:
        return self.unite.apres(f"entre {figure(self.min)} et {figure(self.max)}", self.max)

    def chiffres(self) -> str:
        return f"{figure(self.min)} à {figure(self.max)}"

    def lettres(self) -> str:
        return f"entre {counted(self.min, self.unite.genre)} et {counted(self.max, self.unite.genre)}"

    def quantite(self) -> str:
        return self.unite.apres(self.lettres(), self.max)


@dataclass(frozen=True)
class Approximation:
    """An approximate count: « une centaine de caméras », « plus d'une trentaine d'agents »."""

    forme: str  # a key of APPROXIMATION_FORMS
    valeur: Decimal
    unite: Unite = Unite()

    def _head(self) -> tuple[str, bool]:
        """The words before the unit, and whether they end with an approximate noun (then « de »)."""
        words = APPROXIMATION_FORMS[self.forme]
        noun = _APPROX_NOUNS.get(int(self.valeur)) if is_whole(self.valeur) else None
        if noun:
            article = "un" if noun == "millier" else "une"
            if self.forme == "environ":
                return f"{article} {noun}", True
            if words.endswith(" de"):  # « plus d’une trentaine », « près d’un millier »
                return f"{words[:-3]} d’{article} {noun}", True
            return f"{words} {article} {noun}", True
        return f"{words} {counted(self.valeur, self.unite.genre)}", False

    def __str__(self) -> str:
        head, noun = self._head()
        word = self.unite.pluriel
        if not word:
            return head
        if noun:
            return f"{head} {_elide('de', word)}{word}"
        return self.unite.apres(head, self.valeur)

    lettres = quantite = __str__

    def chiffres(self) -> str:
        return f"{APPROXIMATION_FORMS[self.forme]} {figure(self.valeur)}"


def _elide(word: str, before: str) -> str:
    """« de » before « agents » → « d’ »; otherwise « de »."""
    return "d’" if _VOWEL.match(before) else f"{word} "


@dataclass(frozen=True)
class Echeancier:
    """Quantities per year (type ``echeancier``): « trente-trois (33) policiers municipaux en 2021 et trente-sept (37) en 2022 »."""

    pas: tuple[tuple[int, Decimal], ...]  # (year, quantity), by year
    unite: Unite = Unite()

    @property
    def debut(self) -> int:
        return self.pas[0][0]

    @property
    def fin(self) -> int:
        return self.pas[-1][0]

    @property
    def annees(self) -> tuple[int, ...]:
        return tuple(year for year, _ in self.pas)

    @property
    def total(self) -> Quantite:
        return Quantite(sum((v for _, v in self.pas), Decimal(0)), self.unite)

    @property
    def par_an(self) -> Quantite | None:
        """The yearly quantity when every year of an unbroken run of three or more has the same one."""
        values = {v for _, v in self.pas}
        consecutive = self.annees == tuple(range(self.debut, self.fin + 1))
        if len(self.pas) > 2 and len(values) == 1 and consecutive:
            return Quantite(self.pas[0][1], self.unite)
        return None

    def __str__(self) -> str:
        constant = self.par_an
        if constant is not None:
            return f"{self.unite.apres(counted(constant.valeur, self.unite.genre), constant.valeur)} par an de {self.debut} à {self.fin}"
        parts = []
        for index, (year, value) in enumerate(self.pas):
            if index and value == self.pas[index - 1][1]:
                parts.append(f"autant en {year}")  # « quinze en 2021 et autant en 2022 »
                continue
            text = counted(value, self.unite.genre)
            if index == 0:
                text = self.unite.apres(text, value)
            parts.append(f"{text} en {year}")
        return french.liste(parts)

    lettres = quantite = __str__

    def chiffres(self) -> str:
        return french.liste([f"{figure(v)} en {y}" for y, v in self.pas])


@dataclass(frozen=True)
class Point:
    """A value at a year, a step of a trajectory."""

    annee: int
    valeur: Decimal
    unite: Unite = Unite()

    def __str__(self) -> str:
        return f"{self.unite.apres(counted(self.valeur, self.unite.genre), self.valeur)} en {self.annee}"

    def chiffres(self) -> str:
        return f"{figure(self.valeur)} en {self.annee}"

    lettres = quantite = __str__


@dataclass(frozen=True)
class Trajectoire:
    """From a reference to a target through steps: « de douze (12) agents en 2021 à vingt-cinq (25) en 2023 puis soixante (60) en 2026 »."""

    reference: Point
    etapes: tuple[Point, ...]
    cible: Point
    unite: Unite = Unite()

    def __str__(self) -> str:
        targets = [*self.etapes, self.cible]
        genre = self.unite.genre
        text = f"de {self.unite.apres(counted(self.reference.valeur, genre), self.reference.valeur)} en {self.reference.annee}"
        first, *rest = targets
        text += f" à {counted(first.valeur, genre)} en {first.annee}"
        for point in rest:
            text += f" puis {counted(point.valeur, genre)} en {point.annee}"
        return text

    lettres = quantite = __str__

    def chiffres(self) -> str:
        steps = " → ".join(f"{figure(p.valeur)} ({p.annee})" for p in (self.reference, *self.etapes, self.cible))
        return steps


@dataclass(frozen=True)
class Tranche:
    """One piece of a funding commitment: who pays, which years, how much."""

    montant: int  # the amount of one year when ``annuel``, the whole amount otherwise
    annuel: bool = False
    debut: int | None = None  # None: the contract's period
    fin: int | None = None
    financeur: str | None = None  # None: the clause's party
    part: Decimal | None = None  # this funder's share of a co-financed amount, in %


@dataclass(frozen=True)
class Financement:
    """A money commitment (type ``montant`` given per year, yearly or by funder)."""

    tranches: tuple[Tranche, ...]

    def __str__(self) -> str:
        if any(t.part is not None for t in self.tranches):
            # One amount shared between funders: the text states the whole; the annex the shares.
            return str(Financement((Tranche(sum(t.montant for t in self.tranches), *self._span()),)))
        parts = []
        years = [t for t in self.tranches if not t.annuel and t.debut is not None and t.debut == t.fin]
        if len(years) == len(self.tranches) and len({t.financeur for t in years}) == 1:
            return french.liste([f"{french.montant(t.montant)} en {t.debut}" for t in years])
        for tranche in self.tranches:
            text = french.montant(tranche.montant)
            if tranche.annuel:
                text += " par an"
            if tranche.debut is not None:
                text += f" en {tranche.debut}" if tranche.debut == tranche.fin else f" de {tranche.debut} à {tranche.fin}"
            parts.append(text)
        return french.liste(parts)

    lettres = quantite = chiffres = __str__

    def _span(self) -> tuple[bool, int | None, int | None]:
        first = self.tranches[0]
        return first.annuel, first.debut, first.fin


# --- reading raw values ----------------------------------------------------


def number(raw: Any, what: str = "nombre") -> Decimal:
    """« 5.5 », « 5,5 », « 250 000 », 5.5 → Decimal, or ShapeError in French."""
    if isinstance(raw, bool) or raw is None:
        raise ShapeError(f"{what} attendu, reçu « {raw} »" if raw is not None else f"{what} attendu, la valeur est vide")
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        compact = raw.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        if compact.count(",") == 1 and "." not in compact:
            compact = compact.replace(",", ".")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", compact):
            raise ShapeError(f"{what} attendu, reçu « {_short(raw)} »")
        try:
            value = Decimal(compact)
        except InvalidOperation:
            raise ShapeError(f"{what} attendu, reçu « {_short(raw)} »") from None
    else:
        raise ShapeError(f"{what} attendu, reçu {_shape(raw)}")
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise ShapeError(f"{what} hors des limites, reçu « {_short(raw)} »")
    return value.normalize() if value != 0 else Decimal(0)


def year(raw: Any, what: str = "année") -> int:
    value = number(raw, f"{what} sur quatre chiffres")
    if not is_whole(value) or not 1900 <= value <= 2200:
        raise ShapeError(f"{what} sur quatre chiffres attendue, reçu « {_short(raw)} »")
    return int(value)


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _short(raw: Any) -> str:
    text = str(raw)
    return text if len(text) <= 60 else text[:60] + "…"


def _shape(raw: Any) -> str:
    if isinstance(raw, dict):
        return "une structure"
    if isinstance(raw, list):
        return "une liste"
    return f"« {_short(raw)} »"


def _mapping(raw: Any, example: str, what: str) -> dict:
    if not isinstance(raw, dict) or not raw:
        raise ShapeError(f"{what} attendu sous la forme {example}, reçu {_shape(raw) if raw not in (None, '') else 'une valeur vide'}")
    return raw


def _keys(raw: dict, allowed: tuple[str, ...], example: str) -> None:
    for key in raw:
        if key not in allowed:
            from .errors import suggest

            close = suggest(str(key), allowed)
            raise ShapeError(
                f"clé « {key} » inattendue ; clés possibles : {', '.join(allowed)} (forme attendue : {example})"
                + (f" ; {close}" if close else "")
            )


def parse_quantite(raw: Any, unite: Unite, decimales: int | None, low, high) -> Quantite | Approximation:
    if isinstance(raw, dict):
        return parse_approximation(raw, unite, low, high)
    value = number(raw)
    limit = MAX_DECIMALES if decimales is None else decimales
    if decimals_of(value) > limit:
        raise ShapeError(f"au plus {limit} décimale(s) attendue(s), reçu « {_short(raw)} »")
    _bounds(value, low, high)
    return Quantite(value, unite, decimales)


def parse_approximation(raw: Any, unite: Unite, low=None, high=None) -> Approximation:
    example = "{environ: 100} ou {plus_de: 30}"
    raw = _mapping(raw, example, "valeur approchée")
    if len(raw) != 1:
        raise ShapeError(f"une seule forme attendue ({', '.join(APPROXIMATION_FORMS)}), par exemple {example}")
    (form, value), = raw.items()
    _keys(raw, tuple(APPROXIMATION_FORMS), example)
    number_value = number(value)
    _bounds(number_value, low, high)
    return Approximation(str(form), number_value, unite)


def parse_pourcentage(raw: Any, low, high) -> Pourcentage:
    if isinstance(raw, str):
        raw = raw.strip().rstrip("%").strip().rstrip("\u00a0\u202f")
    value = number(raw, "pourcentage")
    if decimals_of(value) > MAX_DECIMALES:
        raise ShapeError(f"au plus {MAX_DECIMALES} décimales attendues, reçu « {_short(raw)} »")
    _bounds(value, Decimal(0) if low is None else low, Decimal(100) if high is None else high)
    return Pourcentage(value)


def parse_fourchette(raw: Any, unite: Unite, low, high) -> Fourchette:
    raw = _mapping(raw, FOURCHETTE_EXAMPLE, "fourchette")
    _keys(raw, ("min", "max"), FOURCHETTE_EXAMPLE)
    if "min" not in raw or "max" not in raw:
        raise ShapeError(f"fourchette attendue avec « min » et « max », par exemple {FOURCHETTE_EXAMPLE}")
    lo, hi = number(raw["min"], "« min » : nombre"), number(raw["max"], "« max » : nombre")
    if lo > hi:
        raise ShapeError(f"« min » ({figure(lo)}) dépasse « max » ({figure(hi)})")
    _bounds(lo, low, high)
    _bounds(hi, low, high)
    return Fourchette(lo, hi, unite)


def parse_echeancier(raw: Any, unite: Unite, low, high) -> Echeancier:
    raw = _mapping(raw, ECHEANCIER_EXAMPLE, "échéancier (année: quantité)")
    steps = []
    for key, value in raw.items():
        try:
            when = year(key)
        except ShapeError:
            raise ShapeError(f"année attendue comme clé, reçu « {_short(key)} » (forme attendue : {ECHEANCIER_EXAMPLE})") from None
        try:
            amount = number(value, f"quantité de {when}")
        except ShapeError as exc:
            raise ShapeError(f"{exc} (forme attendue : {ECHEANCIER_EXAMPLE})") from None
        _bounds(amount, low, high)
        steps.append((when, amount))
    steps.sort()
    return Echeancier(tuple(steps), unite)


def parse_trajectoire(raw: Any, unite: Unite, low, high) -> Trajectoire:
    raw = _mapping(raw, TRAJECTOIRE_EXAMPLE, "trajectoire")
    _keys(raw, ("reference", "etapes", "cible"), TRAJECTOIRE_EXAMPLE)
    for key in ("reference", "cible"):
        if key not in raw:
            raise ShapeError(f"trajectoire sans « {key} » ; forme attendue : {TRAJECTOIRE_EXAMPLE}")

    def point(part: Any, name: str) -> Point:
        example = "{annee: 2021, valeur: 12}"
        part = _mapping(part, example, f"« {name} »")
        _keys(part, ("annee", "valeur"), example)
        if "annee" not in part or "valeur" not in part:
            raise ShapeError(f"« {name} » attend « annee » et « valeur », par exemple {example}")
        value = number(part["valeur"], f"« {name} » : valeur")
        _bounds(value, low, high)
        return Point(year(part["annee"], f"« {name} » : année"), value, unite)

    reference, cible = point(raw["reference"], "reference"), point(raw["cible"], "cible")
    if cible.annee <= reference.annee:
        raise ShapeError(f"l'année de la cible ({cible.annee}) doit suivre celle de la référence ({reference.annee})")
    etapes = []
    if raw.get("etapes") not in (None, "", {}):
        steps = _mapping(raw["etapes"], "{2023: 25}", "« etapes » (année: valeur)")
        for key, value in steps.items():
            when = year(key, "« etapes » : année")
            if not reference.annee < when < cible.annee:
                raise ShapeError(
                    f"étape {when} hors de la trajectoire : attendue entre {reference.annee} et {cible.annee}"
                )
            amount = number(value, f"« etapes » : valeur de {when}")
            _bounds(amount, low, high)
            etapes.append(Point(when, amount, unite))
    return Trajectoire(reference, tuple(sorted(etapes, key=lambda p: p.annee)), cible, unite)


MONTANT_EXAMPLE = "250000, {par_an: 100000, debut: 2021, fin: 2023}, {2021: 100000, 2022: 120000} ou {montant: 250000, financeurs: {etat: 60, collectivite: 40}}"


def parse_montant(raw: Any, par_an: bool, financeur: str | None, low, high) -> int | Financement:
    """A money value: a plain amount stays an int (what clauses always had); other shapes a Financement."""
    if not isinstance(raw, dict):
        amount = _amount(raw, low, high)
        if par_an:
            return Financement((Tranche(amount, True, financeur=financeur),))
        return amount
    if raw and all(re.fullmatch(r"\d{4}", str(k)) for k in raw):
        tranches = tuple(
            Tranche(_amount(v, low, high, f"montant de {y}"), False, year(y), year(y), financeur) for y, v in sorted(raw.items())
        )
        return Financement(tranches)
    _keys(raw, ("montant", "par_an", "debut", "fin", "financeur", "financeurs"), MONTANT_EXAMPLE)
    if ("montant" in raw) == ("par_an" in raw):
        raise ShapeError(f"montant attendu avec « montant » (somme) ou « par_an » (somme annuelle) ; formes possibles : {MONTANT_EXAMPLE}")
    yearly = "par_an" in raw
    amount = _amount(raw["par_an" if yearly else "montant"], low, high)
    start = year(raw["debut"], "« debut »") if raw.get("debut") not in (None, "") else None
    end = year(raw["fin"], "« fin »") if raw.get("fin") not in (None, "") else None
    if (start is None) != (end is None):
        raise ShapeError("« debut » et « fin » vont ensemble (années de la période du montant)")
    if start is not None and end < start:
        raise ShapeError(f"l'année de fin ({end}) précède l'année de début ({start})")
    who = raw.get("financeur")
    if who is not None and (not isinstance(who, str) or not who.strip()):
        raise ShapeError("« financeur » : texte attendu (par exemple « etat », « collectivite » ou « la région »)")
    if who is not None and who.strip() == "commun":
        raise ShapeError("« financeur » : un engagement commun ne paie pas ; nommez le financeur (« etat », « collectivite »…)")
    if "financeurs" in raw:
        if who is not None:
            raise ShapeError("« financeur » (un seul) ou « financeurs » (parts de chacun), pas les deux")
        return Financement(_shares(raw["financeurs"], amount, yearly, start, end))
    return Financement((Tranche(amount, yearly, start, end, who.strip() if who else financeur),))


SHARES_EXAMPLE = "{montant: 250000, financeurs: {etat: 60, collectivite: 40}}"


def _shares(raw: Any, amount: int, yearly: bool, start, end) -> tuple[Tranche, ...]:
    """A co-financed amount cut by each funder's share (percentages adding up to 100)."""
    raw = _mapping(raw, "{etat: 60, collectivite: 40}", "« financeurs » (financeur: part en %)")
    shares = []
    for who, share in raw.items():
        if not str(who).strip() or str(who).strip() == "commun":
            raise ShapeError(f"« financeurs » : financeur vide ou « commun » ; nommez qui paie (forme attendue : {SHARES_EXAMPLE})")
        value = number(share, f"« financeurs » : part de « {who} » en %")
        _bounds(value, Decimal(0), Decimal(100))
        shares.append((str(who).strip(), value))
    total = sum((v for _, v in shares), Decimal(0))
    if total != 100:
        raise ShapeError(f"« financeurs » : les parts font {figure(total)} %, 100 % attendus (forme attendue : {SHARES_EXAMPLE})")
    tranches = []
    given = 0
    for index, (who, share) in enumerate(shares):
        # Whole euros; the last funder takes the rounding so the parts add up to the amount.
        part = amount - given if index == len(shares) - 1 else int((amount * share / 100).to_integral_value())
        given += part
        tranches.append(Tranche(part, yearly, start, end, who, share))
    return tuple(tranches)


def _amount(raw: Any, low, high, what: str = "montant entier en euros") -> int:
    value = number(raw, what)
    if not is_whole(value):
        raise ShapeError(f"{what} attendu (sans centimes), reçu « {_short(raw)} »")
    _bounds(value, Decimal(0) if low is None else low, high)
    return int(value)


def _bounds(value: Decimal, low, high) -> None:
    if low is not None and value < low:
        raise ShapeError(f"valeur trop petite : au moins {figure(Decimal(low))} attendu, reçu {figure(value)}")
    if high is not None and value > high:
        raise ShapeError(f"valeur trop grande : au plus {figure(Decimal(high))} attendu, reçu {figure(value)}")


def has_years(value: Any) -> bool:
    """Whether ``value`` names years that must fall within the contract (see :func:`years_outside`)."""
    return isinstance(value, (Echeancier, Financement))


def years_outside(value: Any, debut: int, fin: int) -> list[int]:
    """Years of a calendar, trajectory or funding outside the contract's period."""
    if isinstance(value, Echeancier):
        return [y for y in value.annees if not debut <= y <= fin]
    if isinstance(value, Financement):
        found = []
        for tranche in value.tranches:
            for y in (tranche.debut, tranche.fin):
                if y is not None and not debut <= y <= fin and y not in found:
                    found.append(y)
        return found
    return []
