"""JSON Schemas of profiles and clause headers, for editors (yaml-language-server)."""

from __future__ import annotations

from .schema import ClauseHeader, ClauseRef, InlineClause, Profil


def profile_schema() -> dict:
    schema = Profil.model_json_schema()
    schema["title"] = "Profil csi-docgen (contrat de sécurité intégrée)"
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
    return schema


def clause_schema() -> dict:
    schema = ClauseHeader.model_json_schema()
    schema["title"] = "En-tête de clause csi-docgen"
    return schema
