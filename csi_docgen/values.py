"""Parameter values: checking a raw profile value against its declared type.

The same rules serve a clause's ``defaut`` (checked when the library loads)
and a profile's ``parametres`` (checked when a profile is validated).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from . import french, quantities
from .schema import Bool, Int, Parametre, french_message

_TYPE_WORDS = {
    "entier": "nombre entier attendu",
    "nombre": "nombre attendu",
    "pourcentage": "pourcentage attendu",
    "fourchette": f"fourchette attendue, par exemple {quantities.FOURCHETTE_EXAMPLE}",
    "echeancier": f"échéancier attendu, par exemple {quantities.ECHEANCIER_EXAMPLE}",
    "trajectoire": f"trajectoire attendue, par exemple {quantities.TRAJECTOIRE_EXAMPLE}",
    "montant": "montant entier en euros attendu",
    "annee": "année sur quatre chiffres attendue",
    "date": "date AAAA-MM-JJ attendue",
    "texte": "texte attendu",
    "choix": "une des valeurs listées attendue",
    "liste": "liste de textes attendue",
    "booleen": "oui ou non attendu",
}


# Ceilings when a clause sets no « max »: a contract counts agents, cameras
# and euros, never more than this (and words and figures stay printable).
MAX_ENTIER = 1_000_000_000  # un milliard
MAX_MONTANT = 1_000_000_000_000  # mille milliards d'euros


@lru_cache(maxsize=512)
def _adapter(kind: str, low: int | None, high: int | None, choices: tuple[str, ...] | None) -> TypeAdapter:
    """pydantic's validator for a parameter shape, made once per shape.

    Kept (a module-level memo, named in the package's docstring): making a
    TypeAdapter costs 0.4 to 0.8 ms and a profile checks dozens of values of
    a handful of shapes; the key is the whole input, and the result is
    immutable.
    """
    if kind in ("entier", "montant", "annee"):
        if kind == "annee":
            low = 1900 if low is None else low
            high = 2200 if high is None else high
        if kind == "montant" and low is None:
            low = 0
        ceiling = MAX_MONTANT if kind == "montant" else MAX_ENTIER
        high = ceiling if high is None else min(high, ceiling)
        low = -ceiling if low is None else max(low, -ceiling)
        return TypeAdapter(Annotated[Int, Field(ge=low, le=high)])
    if kind == "date":
        return TypeAdapter(dt.date)
    if kind == "texte":
        return TypeAdapter(Annotated[str, Field(min_length=1)])
    if kind == "choix":
        return TypeAdapter(Literal[choices])  # type: ignore[valid-type]
    if kind == "liste":
        return TypeAdapter(list[Annotated[str, Field(min_length=1)]])
    if kind == "booleen":
        return TypeAdapter(Bool)
    raise KeyError(kind)


# Types read by :mod:`.quantities` (their values are mappings or decimals).
_QUANTITY_TYPES = ("nombre", "pourcentage", "fourchette", "echeancier", "trajectoire")


def _quantity(param: Parametre, raw: Any) -> Any:
    unite = quantities.Unite(param.unite, param.unite_singulier, param.genre)
    low, high = param.min, param.max
    kind = param.type
    if kind == "nombre":
        return quantities.parse_quantite(raw, unite, param.decimales, low, high)
    if kind == "pourcentage":
        return quantities.parse_pourcentage(raw, low, high)
    if kind == "fourchette":
        return quantities.parse_fourchette(raw, unite, low, high)
    if kind == "echeancier":
        return quantities.parse_echeancier(raw, unite, low, high)
    if kind == "trajectoire":
        return quantities.parse_trajectoire(raw, unite, low, high)
    if kind == "entier":  # a count may be a calendar, a range, a trajectory or an approximation
        return _count_shape(raw, unite, low, high)
    return quantities.parse_montant(raw, param.par_an, param.financeur, low, high)


def _count_shape(raw: dict, unite, low, high) -> Any:
    """A mapping given to an ``entier``: an approximation, or a shape its clause would have to declare."""
    keys = {str(k) for k in raw}
    declared = None
    if keys and all(k.isdigit() and len(k) == 4 for k in keys):
        declared = "echeancier"
    elif keys & {"min", "max"}:
        declared = "fourchette"
    elif keys & {"reference", "cible", "etapes"}:
        declared = "trajectoire"
    if declared:
        shape = {"echeancier": "un échéancier", "fourchette": "une fourchette", "trajectoire": "une trajectoire"}[declared]
        raise quantities.ShapeError(
            f"nombre entier attendu, reçu {shape} : ce paramètre de la clause est de type « entier » (un nombre, "
            f"ou une approximation comme {{environ: 100}}) ; {shape} demande un paramètre déclaré « type: {declared} »"
        )
    approximation = quantities.parse_approximation(raw, unite, low, high)
    if not quantities.is_whole(approximation.valeur):
        raise quantities.ShapeError(
            f"nombre entier attendu, reçu « {quantities.figure(approximation.valeur)} » (un nombre décimal : déclarez le paramètre « type: nombre »)"
        )
    return approximation


def coerce(param: Parametre, raw: Any) -> tuple[Any, str | None]:
    """Typed value of ``raw`` for ``param``, or a French reason it does not fit."""
    if param.type in _QUANTITY_TYPES or (param.type in ("entier", "montant") and isinstance(raw, dict)) or (
        param.type == "montant" and param.par_an
    ):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None, f"{_TYPE_WORDS[param.type]}, la valeur est vide"
        try:
            return _quantity(param, raw), None
        except quantities.ShapeError as exc:
            return None, str(exc)
    if param.type == "entier" and isinstance(raw, str) and _is_decimal(raw):
        return None, f"nombre entier attendu, reçu « {_short(raw)} » (un nombre décimal : déclarez le paramètre « type: nombre »)"
    adapter = _adapter(param.type, param.min, param.max, tuple(param.valeurs or ()) or None)
    try:
        value = adapter.validate_python(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        message, hint = french_message({**err, "loc": ()})
        if raw is None or (isinstance(raw, str) and not raw.strip() and param.type != "texte"):
            return None, f"{_TYPE_WORDS[param.type]}, la valeur est vide"
        if err["type"] in ("int_parsing", "int_type", "string_type", "list_type", "date_parsing", "date_from_datetime_parsing"):
            message = f"{_TYPE_WORDS[param.type]}, reçu « {_short(raw)} »"
        elif err["type"] == "literal_error":
            message = f"valeur « {_short(raw)} » non prévue ; valeurs possibles : {', '.join(param.valeurs or ())}"
        return None, message + (f" ({hint})" if hint else "")
    return typed(param, value), None


def typed(param: Parametre, value: Any) -> Any:
    """Wrap integers with their unit so the ``quantite`` filter can agree them, amounts so they print in euros."""
    if param.type == "entier" and isinstance(value, int) and not isinstance(value, french.Nombre):
        return french.Nombre(value, param.unite, param.unite_singulier, param.genre)
    if param.type == "montant" and isinstance(value, int) and not isinstance(value, french.Euros):
        return french.Euros(value)
    return value


def _is_decimal(raw: str) -> bool:
    try:
        value = quantities.number(raw)
    except quantities.ShapeError:
        return False
    return not quantities.is_whole(value)


def _short(raw: Any) -> str:
    text = str(raw) if not isinstance(raw, (list, dict)) else ("une liste" if isinstance(raw, list) else "une structure")
    return text if len(text) <= 60 else text[:60] + "…"


def sample_value(param: Parametre) -> Any:
    """A plausible value of the right type, for previews and lint renders."""
    if param.defaut is not None:
        return coerce(param, param.defaut)[0]
    kind = param.type
    examples = {
        "nombre": "5,5",
        "pourcentage": "20",
        "fourchette": {"min": "40", "max": "90"},
        "echeancier": {"2021": "33", "2022": "37"},
        "trajectoire": {"reference": {"annee": "2021", "valeur": "12"}, "etapes": {"2023": "25"}, "cible": {"annee": "2026", "valeur": "60"}},
    }
    if kind in examples:
        return coerce(param, examples[kind])[0]
    if kind == "montant" and param.par_an:
        return coerce(param, "100000")[0]
    if kind in ("entier", "montant"):
        return typed(param, max(param.min or 1, 1) if kind == "entier" else 100000)
    if kind == "annee":
        return 2021
    if kind == "date":
        return dt.date(2021, 7, 22)
    if kind == "choix":
        return (param.valeurs or ["…"])[0]
    if kind == "liste":
        return ["premier élément", "second élément"]
    if kind == "booleen":
        return True
    return "texte d'exemple"
