"""JSON Schemas of profiles and clause headers, for editors (yaml-language-server) and validators.

pydantic writes the models' schema; this module makes it say what
``csi-docgen valider`` says: bounds as ``minimum``/``maximum`` (pydantic
leaves ``ge``/``le``, which validators ignore, on fields with a
before-validator), the French spellings of yes and no (« oui », « non »…)
and numbers typed with spaces (« 250 000 ») accepted, and a French
description on every key for the editor's tooltips.
"""

from __future__ import annotations

from typing import Any

from .schema import _FALSE, _TRUE, PARAM_TYPES, ClauseHeader, ClauseRef, InlineClause, ProfileData

_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}

# Descriptions, by model and key. Every key of both schemas has one (a test checks it):
# a key added to a model in schema.py gets its French description here, or in Field(description=…).
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "ProfileData": {
        "collectivite": "La collectivité signataire : nom, nature, façon dont le texte la nomme.",
        "periode": "Années de début et de fin du contrat (la durée restante du mandat municipal).",
        "signature": "Lieu, date et nombre d'exemplaires de la signature.",
        "signataires": "Les signataires, dans l'ordre de signature (au moins un de l'État et un de la collectivité).",
        "visas": "Les « Vu … » du contrat (ne citer que des textes vérifiés).",
        "preambule": "Texte libre du préambule, en Markdown (paragraphes, **gras**, listes).",
        "volets": "Les volets du contrat dans l'ordre, chacun avec ses clauses.",
        "socle_ecarte": "Mesures du socle que le contrat n'adopte pas, chacune avec son motif (comme « statut: non-retenue »).",
        "socle": "Statut des mesures du socle qu'aucune clause de la bibliothèque ne porte : deja-en-oeuvre, sans-objet, non-retenue, non-traitee.",
        "annexes": "Annexes produites par csi-docgen et documents .docx joints.",
        "options": "Titre du contrat, sommaire, ligne de paraphes.",
        "parties": "Autres parties que l'État et la collectivité (une autre commune, un département, un bailleur…).",
        "en_presence_de": "Personnes présentes à la signature sans signer (« en présence de »).",
        "articles": "Articles fixes changés par ce contrat, par identifiant : texte de remplacement, ou omis.",
        "gouvernance": "Qui suit le contrat : un comité de pilotage, ou le CLSPD ou le CISPD en formation plénière.",
        "resiliation": "Préavis et forme de la résiliation.",
        "avenant": "Ce profil est une version modifiée d'un contrat signé : la version qu'il modifie, la date et les visas de l'avenant.",
    },
    "Avenant": {
        "precedent": "Profil de la version modifiée (le contrat signé, ou la version issue de l'avenant précédent), relatif à ce fichier.",
        "numero": "Numéro de l'avenant ; vérifié d'après la chaîne des versions, peut être omis.",
        "date": "Date de signature de l'avenant, AAAA-MM-JJ ; aussi la date des révisions du contrat consolidé.",
        "lieu": "Lieu de signature de l'avenant ; celui du contrat sinon.",
        "visas": "Visas propres à l'avenant (la délibération qui autorise sa signature…).",
    },
    "Partie": {
        "id": "Identifiant de la partie, repris par « partie » des signataires (minuscules, chiffres, tirets).",
        "nom": "Nom de la partie.",
        "type": "Nature de la partie : commune, metropole, departement, region, bailleur…",
        "sujet": "Façon dont le texte la nomme ; déduite du type sinon.",
        "genre": "Genre grammatical de « sujet » quand c'est un nom propre : m ou f.",
        "deliberation": "La délibération qui autorise son exécutif à signer.",
    },
    "Deliberation": {
        "instance": "Qui a délibéré (« conseil municipal », « conseil d'administration »…).",
        "date": "Date de la délibération, AAAA-MM-JJ.",
        "numero": "Numéro de la délibération.",
    },
    "Present": {
        "qualite": "Qualité de la personne présente (« Le procureur de la République »).",
        "nom": "Prénom et NOM ; peut rester vide.",
    },
    "ArticleFixe": {
        "texte": "Texte qui remplace celui de l'article (Markdown, imprimé tel qu'écrit).",
        "omis": "oui pour laisser de côté un article facultatif.",
    },
    "Gouvernance": {
        "instance": "comite-de-pilotage, clspd ou cispd.",
    },
    "Resiliation": {
        "preavis": "Durée du préavis (« trois mois » par défaut).",
        "forme": "Forme de la notification (lettre recommandée avec demande d'avis de réception par défaut).",
    },
    "Collectivite": {
        "nom": "Nom de la collectivité (par exemple « Clermont-Ferrand »).",
        "type": "Nature de la collectivité : commune, ville, metropole, communaute-urbaine…",
        "sujet": "Façon dont le texte la nomme (« la Ville », « Bourges Plus ») ; déduite du type sinon.",
        "genre": "Genre grammatical de « sujet » quand c'est un nom propre : m ou f.",
        "communes_membres": "Communes membres, pour un contrat intercommunal.",
        "code_insee": "Code INSEE (5 caractères, par exemple « 63113 »).",
        "deliberation": "La délibération qui autorise son exécutif à signer.",
    },
    "Periode": {
        "debut": "Année de début du contrat (2000 à 2100).",
        "fin": "Année de fin du contrat (2000 à 2100, au plus tôt l'année de début).",
    },
    "Signature": {
        "lieu": "Lieu de la signature (« Fait à … »).",
        "date": "Date de la signature, AAAA-MM-JJ ; laissée en blanc sur le contrat si absente.",
        "exemplaires": "Nombre d'exemplaires originaux (1 à 20 ; un par signataire par défaut).",
    },
    "Signataire": {
        "partie": "Partie représentée : etat, parquet, education-nationale, collectivite ou l'identifiant d'une partie déclarée.",
        "qualite": "Qualité du signataire (« Le préfet du Cher »).",
        "nom": "Prénom et NOM du signataire ; peut rester vide jusqu'à la signature.",
    },
    "VoletProfil": {
        "volet": "Clé du volet (voir csi-docgen clauses) ou, avec personnalise, clé d'un volet propre au contrat.",
        "titre": "Titre du volet dans ce contrat (remplace le titre officiel).",
        "personnalise": "oui pour un volet propre au contrat, absent de la bibliothèque (titre obligatoire).",
        "clauses": "Les clauses du volet : un identifiant, une clause avec ses valeurs, ou une clause écrite dans le profil.",
        "en_attente": "Phrase imprimée sous le titre d'un volet dont les engagements ne sont pas encore écrits.",
        "sous_divisions": "Sous-divisions du volet (ses axes…), chacune avec son titre et ses clauses ; demande deux mots dans options.divisions.",
    },
    "SousDivision": {
        "titre": "Titre de la sous-division.",
        "clauses": "Les clauses de la sous-division, comme celles d'un volet.",
        "en_attente": "Phrase imprimée sous son titre tant que ses engagements ne sont pas écrits.",
    },
    "StatutSocle": {
        "statut": "deja-en-oeuvre (avec texte), sans-objet ou non-retenue (avec motif), non-traitee (avertissement).",
        "texte": "Phrase que le contrat peut imprimer pour une mesure déjà mise en œuvre.",
        "motif": "Pourquoi la mesure est sans objet ou non retenue.",
    },
    "ClauseRef": {
        "id": "Identifiant de la clause dans la bibliothèque (csi-docgen clauses).",
        "parametres": "Valeurs des paramètres de la clause (csi-docgen clause ID les liste).",
        "indicateurs": "Valeurs de référence et cibles des indicateurs de la clause, par identifiant d'indicateur.",
        "titre": "Titre de l'article dans ce contrat, à la place de celui de la clause.",
        "indicateurs_retires": "Indicateurs de la clause que ce contrat ne retient pas, par identifiant.",
    },
    "ValeursIndicateur": {
        "reference": "Valeur de référence (situation au début du contrat).",
        "cible": "Valeur visée à l'échéance.",
    },
    "InlineClause": {
        "id": "Identifiant de la clause (minuscules, chiffres, tirets).",
        "titre": "Titre de l'article.",
        "partie": "Partie qui s'engage : etat, collectivite, commun ou un partenaire de la bibliothèque.",
        "texte": "Texte de la clause (Markdown et modèle Jinja, comme une clause de la bibliothèque).",
        "version": "Version de la rédaction (nombre entier, 1 au départ).",
        "parametres": "Déclaration des paramètres de la clause (type, description…).",
        "indicateurs": "Indicateurs de suivi de la clause.",
        "valeurs": "Valeurs des paramètres déclarés, pour ce contrat.",
        "source": "D'où vient la rédaction (document, délibération…).",
        "couvre": "Identifiant de la mesure du socle que cette clause remplit.",
    },
    "SocleEcarte": {
        "id": "Identifiant de la mesure du socle écartée.",
        "motif": "Pourquoi le contrat ne l'adopte pas.",
    },
    "Annexes": {
        "generees": "Annexes produites : indicateurs, financement, socle, clauses (indicateurs et financement par défaut).",
        "externes": "Documents .docx joints en annexe, chacun avec son titre.",
    },
    "AnnexeExterne": {
        "titre": "Titre de l'annexe dans le contrat.",
        "fichier": "Fichier .docx, chemin relatif au dossier du profil.",
        "modifications": "Modifications suivies du .docx : refuser (par défaut, l'annexe est refusée) ou accepter.",
    },
    "Options": {
        "titre": "Titre du contrat (« Contrat de sécurité intégrée » par défaut).",
        "sommaire": "Sommaire en tête du contrat (oui par défaut).",
        "paraphes": "Ligne de paraphes en bas de chaque page (non par défaut).",
        "divisions": "Mot des divisions du contrat (volet, pilier, axe, objectif, champ), ou deux mots : divisions et sous-divisions.",
    },
    "ClauseHeader": {
        "id": "Identifiant unique de la clause (minuscules, chiffres, tirets).",
        "titre": "Titre de l'article.",
        "volet": "Volet de la clause (clé de bibliotheque.yaml).",
        "partie": "Partie qui s'engage (clé de bibliotheque.yaml).",
        "socle": "oui si la mesure fait partie du socle de la circulaire.",
        "source": "Document d'où vient la rédaction.",
        "version": "Version de la rédaction, augmentée à chaque changement de fond.",
        "parametres": "Paramètres de la clause, par nom.",
        "indicateurs": "Indicateurs de suivi de la clause.",
    },
    "Source": {
        "document": "Clé du document source (bibliotheque.yaml, sources).",
        "reference": "Passage du document (page, partie, mesure).",
        "rang": "Rang de la mesure dans l'annexe de la circulaire.",
    },
    "Parametre": {
        "type": "Type de la valeur : " + ", ".join(PARAM_TYPES) + ".",
        "description": "Ce que le rédacteur du profil doit donner.",
        "defaut": "Valeur employée quand le profil n'en donne pas.",
        "facultatif": "oui si le profil peut ne pas donner de valeur.",
        "min": "Plus petite valeur admise (entier).",
        "max": "Plus grande valeur admise (entier).",
        "unite": "Unité au pluriel, pour un nombre compté (« policiers municipaux »).",
        "unite_singulier": "Unité au singulier (« policier municipal »).",
        "genre": "Genre de l'unité, pour écrire le nombre en lettres : m ou f.",
        "valeurs": "Valeurs permises, pour un paramètre de type choix.",
        "decimales": "Nombre de décimales affichées, pour un paramètre de type nombre (0 à 6).",
        "par_an": "oui si le montant est annuel (« par an »), pour un paramètre de type montant.",
        "financeur": "Qui finance ce montant (annexe financière), pour un paramètre de type montant.",
    },
    "Indicateur": {
        "id": "Identifiant de l'indicateur dans la clause.",
        "libelle": "Ce qui est mesuré.",
        "unite": "Unité de mesure.",
        "periodicite": "Fréquence de la mesure : annuelle, semestrielle, trimestrielle, mensuelle.",
        "source": "Service qui fournit la mesure.",
        "reference": "Valeur de référence affichée dans l'annexe (peut citer les paramètres : {{ … }}).",
        "cible": "Valeur visée affichée dans l'annexe (peut citer les paramètres : {{ … }}).",
    },
}


# Models are described in English in their docstrings (for developers); the editor shows these.
MODEL_DESCRIPTIONS = {
    "ClauseRef": "Une clause de la bibliothèque avec ses valeurs pour ce contrat.",
    "InlineClause": "Une clause écrite dans le profil, aux mêmes clés qu'une clause de la bibliothèque.",
}


def _case_free(word: str) -> str:
    """A JSON Schema (ECMA-262) pattern piece that matches ``word`` in any case."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


def _french_boolean(node: dict) -> dict:
    words = "|".join(_case_free(w) for w in sorted(_TRUE | _FALSE))
    yes_no = {"type": "string", "pattern": rf"^\s*({words})\s*$"}
    rest = {k: v for k, v in node.items() if k != "type"}
    return {**rest, "anyOf": [{"type": "boolean"}, yes_no]}


def _spaced_integer(node: dict) -> dict:
    # « 250 000 » typed by a French drafter is a number for csi-docgen; a string cannot carry bounds.
    digits = {"type": "string", "pattern": "^\\s*-?[0-9][0-9 \u00a0\u202f]*\\s*$"}
    numeric = {"type": "integer", **{k: node.pop(k) for k in list(node) if k in _BOUNDS.values()}}
    return {**{k: v for k, v in node.items() if k != "type"}, "anyOf": [numeric, digits]}


def _fix(node: Any) -> Any:
    """Bounds, French booleans and spaced numbers, everywhere in a schema."""
    if isinstance(node, list):
        return [_fix(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {_BOUNDS.get(k, k): _fix(v) for k, v in node.items()}
    if node.get("type") == "boolean":
        return _french_boolean(node)
    if node.get("type") == "integer":
        return _spaced_integer(node)
    return node


def _describe(model_name: str, schema: dict) -> None:
    schema.pop("description", None)
    if model_name in MODEL_DESCRIPTIONS:
        schema["description"] = MODEL_DESCRIPTIONS[model_name]
    texts = DESCRIPTIONS.get(model_name, {})
    for key, prop in schema.get("properties", {}).items():
        prop.pop("title", None)  # « Debut », « Qualite »: the key itself, said worse
        if key in texts and "description" not in prop:
            prop["description"] = texts[key]


def _finish(schema: dict, root_model: str, title: str) -> dict:
    _describe(root_model, schema)
    for name, sub in schema.get("$defs", {}).items():
        _describe(name, sub)
    schema = _fix(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def profile_schema() -> dict:
    schema = ProfileData.model_json_schema()
    defs = schema.setdefault("$defs", {})
    for model in (ClauseRef, InlineClause):
        sub = model.model_json_schema()
        defs.update(sub.pop("$defs", {}))
        defs[model.__name__] = sub
    # Clause entries: an id, a reference with values, or an inline clause.
    defs["VoletProfil"]["properties"]["clauses"]["items"] = {
        "anyOf": [
            {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            {"$ref": "#/$defs/ClauseRef"},
            {"$ref": "#/$defs/InlineClause"},
        ]
    }
    return _finish(schema, "ProfileData", "Profil csi-docgen (contrat de sécurité intégrée)")


def clause_schema() -> dict:
    return _finish(ClauseHeader.model_json_schema(), "ClauseHeader", "En-tête de clause csi-docgen")
