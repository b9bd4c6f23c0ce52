"""Typed schemas of clause headers and city profiles (pydantic).

The YAML reader hands over strings; these models decide what is an integer,
a date or a boolean. :func:`validate` turns pydantic's errors into French
:class:`~csi_docgen.errors.Issue` objects located with the YAML positions.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Optional, Union

from pydantic_core import PydanticCustomError
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from .errors import Issue, suggest
from .yamlpos import Located

_TRUE = {"true", "vrai", "oui", "yes", "on", "1"}
_FALSE = {"false", "faux", "non", "no", "off", "0"}


def _french_bool(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    return value


def _strip_spaces_in_number(value: Any) -> Any:
    # "250 000" or "250 000" as typed by a French drafter.
    if isinstance(value, str):
        compact = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        if compact.lstrip("-").isdigit():
            return compact
    return value


def _date_not_a_number(value: Any) -> Any:
    """A date is written AAAA-MM-JJ: a bare number is not read as seconds since 1970."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) or (isinstance(value, str) and value.strip().isdigit()):
        raise PydanticCustomError("date_parsing", "date attendue au format AAAA-MM-JJ")
    return value


Bool = Annotated[bool, BeforeValidator(_french_bool)]
Date = Annotated[dt.date, BeforeValidator(_date_not_a_number)]
Int = Annotated[int, BeforeValidator(_strip_spaces_in_number)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
ParamName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    # Validators are built when a model is first used, not at import: a build from
    # the cache folder validates only the profile (see csi_docgen.diskcache).
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)


# --- clause headers -------------------------------------------------------

PARAM_TYPES = (
    "entier",
    "nombre",
    "pourcentage",
    "fourchette",
    "echeancier",
    "trajectoire",
    "montant",
    "annee",
    "date",
    "texte",
    "choix",
    "liste",
    "booleen",
)
# Types whose value is a count of something: they take « unite » and agree it.
COUNTED_TYPES = ("entier", "nombre", "fourchette", "echeancier", "trajectoire")
PERIODICITES = ("annuelle", "semestrielle", "trimestrielle", "mensuelle")


class Parametre(Strict):
    type: Literal[PARAM_TYPES]  # type: ignore[valid-type]
    description: Text
    defaut: Any = None
    facultatif: Bool = False
    min: Optional[Int] = None
    max: Optional[Int] = None
    unite: Optional[Text] = None
    unite_singulier: Optional[Text] = None
    genre: Literal["m", "f"] = "m"
    valeurs: Optional[list[Text]] = None
    decimales: Optional[Annotated[Int, Field(ge=0, le=6)]] = None
    par_an: Bool = False
    financeur: Optional[Text] = None

    @model_validator(mode="after")
    def _coherent(self):
        if self.type == "choix" and not self.valeurs:
            raise ValueError("un paramètre de type « choix » doit lister ses « valeurs »")
        if self.type != "choix" and self.valeurs is not None:
            raise ValueError("« valeurs » ne sert qu'aux paramètres de type « choix »")
        if (self.unite is not None or self.unite_singulier is not None) and self.type not in COUNTED_TYPES:
            raise ValueError(f"« unite » ne sert qu'aux paramètres de type {', '.join(f'« {t} »' for t in COUNTED_TYPES)}")
        if self.decimales is not None and self.type != "nombre":
            raise ValueError("« decimales » ne sert qu'aux paramètres de type « nombre »")
        if (self.par_an or self.financeur is not None) and self.type != "montant":
            raise ValueError("« par_an » et « financeur » ne servent qu'aux paramètres de type « montant »")
        if self.financeur is not None and self.financeur.strip() == "commun":
            raise ValueError("« financeur » : un engagement commun ne paie pas ; nommez le financeur (« etat », « collectivite »…)")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"« min » ({self.min}) dépasse « max » ({self.max})")
        return self


class Indicateur(Strict):
    id: Slug
    libelle: Text
    unite: Text
    periodicite: Literal[PERIODICITES]  # type: ignore[valid-type]
    source: Text
    # Texts (with {{ … }} of the clause's parameters) of the reference and target
    # shown in the indicator annex; a profile's own values take precedence.
    reference: Optional[Text] = None
    cible: Optional[Text] = None


class Source(Strict):
    document: Slug
    reference: Text
    rang: Optional[Annotated[Int, Field(ge=1)]] = None


class ClauseHeader(Strict):
    id: Slug
    titre: Text
    volet: Slug
    partie: Slug
    socle: Bool
    source: Source
    version: Annotated[Int, Field(ge=1)]
    parametres: dict[ParamName, Parametre] = Field(default_factory=dict)
    indicateurs: list[Indicateur] = Field(default_factory=list)


class InlineClause(Strict):
    """A clause written in the profile itself, same keys as a library clause."""

    id: Slug
    titre: Text
    partie: Slug
    texte: Text
    version: Annotated[Int, Field(ge=1)] = 1
    parametres: dict[ParamName, Parametre] = Field(default_factory=dict)
    indicateurs: list[Indicateur] = Field(default_factory=list)
    valeurs: dict[str, Any] = Field(default_factory=dict)
    source: Optional[Text] = None
    couvre: Optional[Slug] = None  # the socle measure this clause fulfils


# --- city profiles --------------------------------------------------------

KINDS = (
    "commune",
    "ville",
    "metropole",
    "communaute-urbaine",
    "communaute-agglomeration",
    "communaute-communes",
    "etablissement-public",
)
# What a party declared under « parties: » may be, besides a collectivité.
PARTY_KINDS = KINDS + (
    "departement",
    "region",
    "bailleur",
    "transporteur",
    "association",
    "entreprise",
    "autre",
)
# Parties every contract knows without declaring them.
BUILTIN_PARTIES = ("etat", "parquet", "education-nationale", "collectivite", "commun")
GENERATED_ANNEXES = ("indicateurs", "financement", "socle", "clauses")
# The clause list with its fingerprints is for internal review: it stays in the
# document's properties, and comes in the signed body only when asked for. The
# socle matrix is a drafting aid (« csi-docgen socle »): an annex only when asked for.
DEFAULT_ANNEXES = ("indicateurs", "financement")


class Deliberation(Strict):
    """The vote authorising a party's executive to sign; every key may be left for completion."""

    instance: Optional[Text] = None  # « conseil municipal », « conseil d'administration »…
    date: Optional[Date] = None
    numero: Optional[Text] = None


class Collectivite(Strict):
    nom: Text
    type: Literal[KINDS]  # type: ignore[valid-type]
    sujet: Optional[Text] = None
    genre: Optional[Literal["m", "f"]] = None
    communes_membres: list[Text] = Field(default_factory=list)
    code_insee: Optional[Annotated[str, Field(pattern=r"^[0-9AB]{5}$")]] = None
    deliberation: Optional[Deliberation] = None


class Partie(Strict):
    """A party besides the État and the collectivité: another commune, a métropole, a bailleur…"""

    id: Slug
    nom: Text
    type: Literal[PARTY_KINDS]  # type: ignore[valid-type]
    sujet: Optional[Text] = None
    genre: Optional[Literal["m", "f"]] = None
    deliberation: Optional[Deliberation] = None


class Periode(Strict):
    debut: Annotated[Int, Field(ge=2000, le=2100)]
    fin: Annotated[Int, Field(ge=2000, le=2100)]

    @model_validator(mode="after")
    def _ordered(self):
        if self.fin < self.debut:
            raise ValueError(f"l'année de fin ({self.fin}) précède l'année de début ({self.debut})")
        return self


class Signature(Strict):
    lieu: Text
    date: Optional[Date] = None
    exemplaires: Optional[Annotated[Int, Field(ge=1, le=20)]] = None  # default: one per signatory


class Signataire(Strict):
    # « etat », « parquet », « education-nationale », « collectivite » or a declared party's id
    # (checked against the profile's « parties » by the profile loader).
    partie: Slug
    qualite: Text
    nom: Optional[Text] = None  # may be left blank until the signing


class Present(Strict):
    """Someone who attends the signing without signing (« en présence de »)."""

    qualite: Text
    nom: Optional[Text] = None


class ClauseRef(Strict):
    id: Slug
    titre: Optional[Text] = None  # the article's title in this contract, instead of the clause's
    parametres: dict[str, Any] = Field(default_factory=dict)
    indicateurs: dict[str, "ValeursIndicateur"] = Field(default_factory=dict)
    indicateurs_retires: list[Slug] = Field(default_factory=list)


class ValeursIndicateur(Strict):
    reference: Optional[Text] = None
    cible: Optional[Text] = None


class SousDivision(Strict):
    """A division inside a volet (« axe 1 » of a volet), when options.divisions has two levels."""

    titre: Text
    clauses: list[Any] = Field(default_factory=list)
    en_attente: Optional[Text] = None


class VoletProfil(Strict):
    volet: Slug
    titre: Optional[Text] = None
    personnalise: Bool = False
    # Entries are a clause id, a ClauseRef or an InlineClause; the profile
    # loader tells them apart and validates each at its own location.
    clauses: list[Any] = Field(default_factory=list)
    # A volet whose engagements are not written yet: the sentence printed under its heading.
    en_attente: Optional[Text] = None
    sous_divisions: list[SousDivision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _custom_has_title(self):
        if self.personnalise and not self.titre:
            raise ValueError("un volet personnalisé doit avoir un « titre »")
        return self


class SocleEcarte(Strict):
    id: Slug
    motif: Text


SOCLE_STATUSES = ("deja-en-oeuvre", "sans-objet", "non-retenue", "non-traitee")


class StatutSocle(Strict):
    """What a contract says of a socle measure it does not carry in a volet."""

    statut: Literal[SOCLE_STATUSES]  # type: ignore[valid-type]
    texte: Optional[Text] = None
    motif: Optional[Text] = None

    @model_validator(mode="after")
    def _explained(self):
        if self.statut == "deja-en-oeuvre" and not self.texte:
            raise ValueError("une mesure « deja-en-oeuvre » demande un « texte » (la phrase que le contrat peut imprimer)")
        if self.statut in ("sans-objet", "non-retenue") and not self.motif:
            raise ValueError(f"une mesure « {self.statut} » demande un « motif »")
        return self


class AnnexeExterne(Strict):
    titre: Text
    fichier: Text
    modifications: Literal["refuser", "accepter"] = "refuser"  # tracked changes of the .docx


class Annexes(Strict):
    # The socle matrix is a drafting aid (« csi-docgen socle »): an annex only when asked for.
    generees: list[Literal[GENERATED_ANNEXES]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(DEFAULT_ANNEXES)
    )
    externes: list[AnnexeExterne] = Field(default_factory=list)


class ArticleFixe(Strict):
    """A fixed article (objet, durée, gouvernance…) changed by the profile."""

    texte: Optional[Text] = None  # replaces the article's text (Markdown, printed as written)
    omis: Bool = False  # leaves out an optional article

    @model_validator(mode="after")
    def _one_choice(self):
        if self.omis and self.texte:
            raise ValueError("un article ne peut pas être à la fois remplacé (« texte ») et omis (« omis: oui »)")
        return self


STEERING_BODIES = ("comite-de-pilotage", "clspd", "cispd")


class Gouvernance(Strict):
    # who follows the contract: a comité de pilotage, or the CLSPD / CISPD in plenary session
    instance: Literal[STEERING_BODIES] = "comite-de-pilotage"  # type: ignore[valid-type]


class Resiliation(Strict):
    preavis: Text = "trois mois"
    forme: Text = "lettre recommandée avec demande d'avis de réception"


DIVISION_WORDS = ("volet", "pilier", "axe", "objectif", "champ")


DivisionWord = Literal[DIVISION_WORDS]  # type: ignore[valid-type]


class Options(Strict):
    titre: Text = "Contrat de sécurité intégrée"
    sommaire: Bool = True
    paraphes: Bool = False
    # The word of the contract's divisions, then optionally of their sub-divisions.
    divisions: Union[DivisionWord, Annotated[list[DivisionWord], Field(min_length=1, max_length=2)]] = "volet"

    @property
    def division_words(self) -> list[str]:
        """« pilier » → ["pilier"]; [volet, axe] as given."""
        return [self.divisions] if isinstance(self.divisions, str) else list(self.divisions)


class Avenant(Strict):
    """This profile is an amended version of a signed contract: what it amends, and the avenant's own data."""

    precedent: Text  # the profile of the version amended, relative to this profile
    numero: Optional[Annotated[Int, Field(ge=1)]] = None  # checked against the chain
    date: Optional[dt.date] = None  # the avenant's signing date
    lieu: Optional[Text] = None  # default: the contract's place of signature
    visas: list[Text] = Field(default_factory=list)  # the délibérations authorising the avenant…


class ProfileData(Strict):
    """A profile file's content, typed (see :class:`csi_docgen.profile.Profile` for the profile resolved against a library)."""

    collectivite: Collectivite
    periode: Periode
    signature: Signature
    parties: list[Partie] = Field(default_factory=list)
    signataires: Annotated[list[Signataire], Field(min_length=2, max_length=12)]
    en_presence_de: list[Present] = Field(default_factory=list)
    visas: list[Text] = Field(default_factory=list)
    preambule: Optional[Text] = None
    volets: Annotated[list[VoletProfil], Field(min_length=1)]
    socle_ecarte: list[SocleEcarte] = Field(default_factory=list)
    articles: dict[Slug, ArticleFixe] = Field(default_factory=dict)
    gouvernance: Gouvernance = Field(default_factory=Gouvernance)
    resiliation: Resiliation = Field(default_factory=Resiliation)
    socle: dict[Slug, StatutSocle] = Field(default_factory=dict)
    annexes: Annexes = Field(default_factory=Annexes)
    options: Options = Field(default_factory=Options)
    avenant: Optional[Avenant] = None


ClauseRef.model_rebuild()


# --- French errors --------------------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "une structure" if isinstance(value, dict) else "une liste"
    text = str(value)
    return f"« {text[:60]}{'…' if len(text) > 60 else ''} »"


_TAGS = ("str", "int", "float", "bool", "dict", "list")  # pydantic names a union's branch in ``loc``


def french_message(err: dict, model: type[BaseModel] | None = None) -> tuple[str, str | None]:
    """French wording (and hint) of one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    names = [p for p in err["loc"] if isinstance(p, str)]
    name = names[-1] if names else ""
    hint = None
    if kind == "missing":
        parent = err["loc"][-2] if len(err["loc"]) > 1 and isinstance(err["loc"][-2], str) else ""
        # « sous « effectif » »: the parameter, indicator or section that lacks the key (not a union's tag).
        under = f" sous « {parent} »" if re.fullmatch(r"[a-z][a-z0-9_-]*", parent) and parent not in _TAGS else ""
        return f"clé obligatoire « {name} » absente{under}", None
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, err["loc"]) if model else []
        return f"clé inconnue « {name} »", suggest(name, allowed) or (
            f"clés possibles : {', '.join(allowed)}" if allowed else None
        )
    if kind in ("int_parsing", "int_type", "int_from_float"):
        msg = "nombre entier attendu"
    elif kind == "int_parsing_size":
        msg = "nombre beaucoup trop grand"
    elif kind in ("finite_number", "float_parsing", "float_type"):
        msg = "nombre attendu"
    elif kind in ("bool_parsing", "bool_type"):
        msg = "oui ou non attendu (true / false)"
    elif kind in ("date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"):
        msg = "date attendue au format AAAA-MM-JJ (par exemple 2021-07-22)"
    elif kind in ("string_type",):
        msg = "texte attendu"
    elif kind in ("list_type",):
        msg = "liste attendue (lignes commençant par « - »)"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        msg = "ensemble de clés attendu (lignes « clé: valeur »)"
    elif kind == "greater_than_equal":
        msg = f"valeur trop petite : au moins {ctx.get('ge')} attendu"
    elif kind == "less_than_equal":
        msg = f"valeur trop grande : au plus {ctx.get('le')} attendu"
    elif kind == "greater_than":
        msg = f"valeur supérieure à {ctx.get('gt')} attendue"
    elif kind == "less_than":
        msg = f"valeur inférieure à {ctx.get('lt')} attendue"
    elif kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        msg = f"valeur inconnue ; valeurs possibles : {', '.join(options)}"
        hint = suggest(value, options) if isinstance(value, str) else None
    elif kind == "string_pattern_mismatch":
        msg = "identifiant attendu en minuscules, chiffres et tirets (par exemple « etat-securite-methode »)"
        if name in ("parametres",) or (names and names[-2:-1] == ["parametres"]):
            msg = "nom de paramètre attendu en minuscules, chiffres et « _ »"
        if name == "code_insee":
            msg = "code INSEE attendu sur 5 caractères (par exemple « 63113 »)"
    elif kind == "string_too_short":
        msg = "texte vide"
    elif kind == "too_short":
        msg = f"au moins {ctx.get('min_length')} élément(s) attendu(s)"
        return f"« {name} » : {msg}", None
    elif kind == "too_long":
        msg = f"au plus {ctx.get('max_length')} élément(s) attendu(s)"
        return f"« {name} » : {msg}", None
    elif kind == "value_error":
        reason = str(ctx.get("error", err.get("msg", "")))
        return (f"« {name} » : {reason}" if name else reason), None
    elif kind == "union_tag_invalid" or kind.startswith("union"):
        msg = "forme inattendue"
    else:
        msg = err.get("msg", kind)
    shown = "" if kind in ("dict_type", "model_type", "list_type") or value is None else f", reçu {_shown(value)}"
    label = f"« {name} » : " if name else ""
    return f"{label}{msg}{shown}", hint


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the sub-model where an unknown key was found."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            current = None
            continue
        current = _inner_model(fields[part].annotation)
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _is_union_tag(part: Any) -> bool:
    """« literal['volet','pilier'] », « list[…] », « str »: pydantic's name for a branch of a union, not a key."""
    return isinstance(part, str) and ("[" in part or part in _TAGS)


def _one_per_union(errors: list[dict]) -> list[dict]:
    """One error per value: a union (« divisions: pilier » or « [volet, axe] ») fails once per branch;
    the branch that went deepest into the value speaks (else the one that lists the possible values),
    with the branch names left out of ``loc``."""
    plain = [tuple(p for p in err["loc"] if not _is_union_tag(p)) for err in errors]
    tagged = {i for i, err in enumerate(errors) if len(plain[i]) < len(err["loc"])}
    out: list[dict] = []
    kept: dict[tuple, int] = {}
    for i, err in enumerate(errors):
        if i not in tagged:
            out.append(err)
            continue
        loc = plain[i]
        if any(len(plain[j]) > len(loc) and plain[j][: len(loc)] == loc for j in tagged):
            continue  # « reçu une liste » when the list's item is what is wrong
        err = {**err, "loc": loc}
        if loc not in kept:
            kept[loc] = len(out)
            out.append(err)
        elif err["type"] == "literal_error" and out[kept[loc]]["type"] != "literal_error":
            out[kept[loc]] = err
    return out


def validate(model: type[BaseModel], located: Located, base_loc: tuple = ()) -> tuple[Any, list[Issue]]:
    """Validate ``located.data`` (or its sub-tree at ``base_loc``) against ``model``."""
    data = located.data
    for part in base_loc:
        data = data[part]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        issues = []
        seen = set()
        for err in _one_per_union(exc.errors()):
            loc = tuple(err["loc"])
            message, hint = french_message({**err, "loc": loc}, model)
            full = base_loc + loc
            if err["type"] == "extra_forbidden":
                line, col = located.key_where(full)
            else:
                line, col = located.where(full)
            key = (line, message)
            if key in seen:
                continue
            seen.add(key)
            issues.append(Issue(message, located.path, line, col, hint))
        return None, issues
