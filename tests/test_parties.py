"""Parties, délibérations, signatories and « en présence de »: the contract's legal shell."""

from __future__ import annotations

import re

import docx
import pytest
from openxml_audit import OpenXmlValidator

from csi_docgen import check_profile, contract_from, load_profile
from csi_docgen.errors import InvalidInput
from csi_docgen.french import signature_statement, witness_lines

NBSP = "\u00a0"


def flat(text: str) -> str:
    return re.sub(r"[ \n]+", " ", text).replace(NBSP, " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def examples(library):
    from conftest import EXAMPLES

    return {name: contract_from(EXAMPLES / f"{name}.yaml", library) for name in ("bourges", "clermont-ferrand")}


def minimal(library, **overrides):
    socle = [{"id": c.id, "parametres": {"situation": "existant"}} if "situation" in c.params else c.id for c in library.socle]
    profile = {
        "collectivite": {"nom": "Exempleville", "type": "commune"},
        "periode": {"debut": 2021, "fin": 2026},
        "signature": {"lieu": "Exempleville", "date": "2021-09-01"},
        "signataires": [
            {"partie": "etat", "qualite": "Le préfet", "nom": "A"},
            {"partie": "collectivite", "qualite": "Le maire d'Exempleville", "nom": "B"},
        ],
        "volets": [{"volet": "securite", "clauses": socle}],
        "annexes": {"generees": ["socle"]},
    }
    profile.update(overrides)
    return profile


def inline(cid, partie, texte, titre="Engagement"):
    return {"id": cid, "titre": titre, "partie": partie, "texte": texte}


# --- the examples ------------------------------------------------------------------


def block_text(contract) -> str:
    return flat("\n".join(text for _, text in contract.parties_block))


def test_clermont_parties_block_follows_seed_000(examples):
    c = examples["clermont-ferrand"]
    assert [k for k, _ in c.parties_block] == ["mot", "partie", "mot", "partie"]
    text = block_text(c)
    assert text.startswith("ENTRE L’État, représenté par le ministre de l’Intérieur, Gérald DARMANIN,")
    assert "La ville de Clermont-Ferrand, représentée par le maire de Clermont-Ferrand, Olivier BIANCHI" in text
    # The seed gives no délibération: its number and date are left blank for completion.
    assert "dûment habilité par délibération du conseil municipal n° ............ du ............" in text
    assert text.endswith("ci-après dénommée « la ville ».")
    assert "Métropole" not in text  # the métropole is not a party
    assert [s.partie for s in c.signature.signatories] == ["etat", "collectivite"]
    assert witness_lines(c.signature)[1] == "Le procureur de la République près le tribunal judiciaire de Clermont-Ferrand, Éric MAILLAUD\u202f;"
    assert c.signature.copies == 2


def test_bourges_parquet_and_education_are_bound_by_their_signatories(examples):
    c = examples["bourges"]
    text = block_text(c)
    assert "Le procureur de la République près le tribunal judiciaire de Bourges, ci-après dénommé « le parquet »" in text
    assert "ci-après dénommé « l’Éducation nationale »" in text
    assert "La Ville de Bourges, représentée par le maire de Bourges, dûment habilité par délibération" in text
    assert [s.partie for s in c.signature.signatories] == ["etat", "parquet", "education-nationale", "collectivite"]
    assert all(s.nom == "" for s in c.signature.signatories)  # names unknown: left for the signing
    assert "quatre (4) exemplaires" in signature_statement(c.signature)
    assert all("mesure du socle non traitée" in w for w in c.warnings)  # what its seed does not say


def test_deliberation_visa_and_mention(library):
    c = contract_from(
        minimal(library, collectivite={"nom": "Exempleville", "type": "commune",
                                       "deliberation": {"date": "2021-06-28", "numero": "2021-45"}}),
        library,
    )
    assert "Vu la délibération du conseil municipal de la commune d’Exempleville n° 2021-45 du 28 juin 2021" in flat("\n".join(c.visas))
    assert "dûment habilité par délibération du conseil municipal n° 2021-45 du 28 juin 2021" in block_text(c)


def test_deliberation_after_the_signature_is_said_so(library):
    c = contract_from(
        minimal(library, collectivite={"nom": "Exempleville", "type": "commune",
                                       "deliberation": {"instance": "conseil municipal", "date": "2021-09-30"}}),
        library,
    )
    text = block_text(c)
    assert "sous réserve de l’approbation du présent contrat par délibération du conseil municipal n° ............ du 30 septembre 2021" in text
    assert "habilité" not in text
    assert not any("délibération" in v for v in c.visas)


@pytest.mark.parametrize(
    "nom, kind, sujet, named",
    [
        ("Communauté de communes du Pays de Vierzon", "communaute-communes", None, "la Communauté de communes du Pays de Vierzon"),
        ("Communauté de communes du Pays de Vierzon", "communaute-communes", "la Communauté", "la Communauté de communes du Pays de Vierzon"),
        ("Métropole de Lyon", "metropole", None, "la Métropole de Lyon"),
    ],
)
def test_a_name_that_begins_with_its_kind_takes_an_article(library, nom, kind, sujet, named):
    collectivite = {"nom": nom, "type": kind} | ({"sujet": sujet} if sujet else {})
    c = contract_from(minimal(library, collectivite=collectivite), library)
    assert c.parties[1] == named
    assert block_text(c).startswith(f"ENTRE L’État, représenté par le préfet, A, ET {named[0].upper()}{named[1:]}, représentée par"), block_text(c)


# --- other parties ---------------------------------------------------------------------


def test_metropole_and_transport_operator_get_their_own_sub_parts(library, tmp_path):
    profile = minimal(
        library,
        parties=[
            {"id": "metropole", "nom": "Clermont Auvergne Métropole", "type": "metropole",
             "deliberation": {"numero": "M-12"}},
            {"id": "exploitant", "nom": "T2C", "type": "transporteur", "sujet": "l'exploitant"},
        ],
        signataires=[
            {"partie": "etat", "qualite": "Le préfet"},
            {"partie": "collectivite", "qualite": "Le maire d'Exempleville"},
            {"partie": "metropole", "qualite": "Le président de Clermont Auvergne Métropole"},
            {"partie": "exploitant", "qualite": "Le directeur général de T2C"},
        ],
    )
    profile["volets"].append({"volet": "transports", "clauses": [
        inline("ex-police-transports", "metropole", "La métropole met en place une police des transports."),
        inline("ex-agents", "exploitant", "L'exploitant forme ses agents de contrôle."),
        inline("ex-etat", "etat", "L'État appuie ces actions."),
        "commun-transports-securisation",
    ]})
    c = contract_from(profile, library)
    transports = c.volets[-1]
    assert [s.title for s in transports.sections] == [
        "Engagements de l’État",
        "Engagements de la métropole",
        "Engagements de l’exploitant",
        "Engagements communs",
    ]
    text = block_text(c)
    assert "Clermont Auvergne Métropole, représentée par le président de Clermont Auvergne Métropole, dûment habilité par délibération du conseil de la métropole n° M-12 du ............, ci-après dénommée « la métropole »," in text
    assert "T2C, représenté par le directeur général de T2C, ci-après dénommé « l’exploitant »." in text
    assert c.parties == ("l’État", "la commune d’Exempleville", "Clermont Auvergne Métropole", "T2C")
    assert c.warnings == ()
    path = tmp_path / "contrat.docx"
    c.to_docx(path)
    assert [e.description for e in OpenXmlValidator().validate(str(path)).errors] == []


def test_party_with_engagements_but_no_signatory_is_warned(library):
    profile = minimal(library, parties=[{"id": "bailleur", "nom": "Office public de l'habitat", "type": "bailleur"}])
    profile["volets"].append({"volet": "prevention", "clauses": [
        inline("ex-bailleur", "bailleur", "Le bailleur sécurise les parties communes."),
        inline("ex-etat-prev", "etat", "L'État appuie."),
    ]})
    issues = check_profile(profile, library).issues
    assert any("Office public de l'habitat a des engagements dans le contrat mais aucun signataire ne l'engage (partie: bailleur)" in i.message for i in issues)


def test_two_communes_read_in_the_plural(library):
    profile = minimal(
        library,
        collectivite={"nom": "Riom", "type": "commune", "deliberation": {}},
        parties=[{"id": "mozac", "nom": "Mozac", "type": "commune", "deliberation": {"numero": "12"}}],
        signataires=[
            {"partie": "etat", "qualite": "Le préfet du Puy-de-Dôme"},
            {"partie": "collectivite", "qualite": "Le maire de Riom"},
            {"partie": "mozac", "qualite": "La maire de Mozac"},
        ],
    )
    profile["volets"][0]["clauses"].append(
        inline("ex-communes", "collectivite", "{{ collectivite.Sujet }} {% if collectivite.pluriel %}s’engagent{% else %}s’engage{% endif %} à partager leurs images.")
    )
    c = contract_from(profile, library)
    article = c.article_for("ex-communes")
    assert article.blocks[0].text == "Les communes s’engagent à partager leurs images."
    assert c.volets[0].sections[1].title == "Engagements des communes"
    text = block_text(c)
    assert "La commune de Riom, représentée par le maire de Riom, dûment habilité par délibération du conseil municipal" in text
    assert "La commune de Mozac, représentée par la maire de Mozac, dûment habilitée par délibération du conseil municipal n° 12" in text
    assert "La commune de Riom et la commune de Mozac sont ci-après dénommées ensemble « les communes »." in text
    assert "« la commune »" not in text  # two communes: neither is « la commune »
    assert c.collectivite_designation == "les communes de Riom et de Mozac"
    gouvernance = flat(c.text())
    assert "les maires" in gouvernance


def test_eight_signatories_and_three_present(library, tmp_path):
    people = [{"partie": "etat", "qualite": f"Le ministre n° {i}", "nom": f"M{i}"} for i in range(1, 8)]
    people.append({"partie": "collectivite", "qualite": "Le maire", "nom": "Z"})
    present = [{"qualite": "Le préfet", "nom": "P"}, {"qualite": "Le procureur de la République"}, {"qualite": "Le recteur", "nom": "R"}]
    c = contract_from(minimal(library, signataires=people, en_presence_de=present), library)
    assert c.signature.copies == 8  # one original per signatory by default
    path = tmp_path / "huit.docx"
    c.to_docx(path)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("En présence de\u00a0:")
    names = texts[start + 1 : start + 4]
    table_names = [
        p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
        if p.style.name == "Signature – nom"
    ]
    assert len(dict.fromkeys(table_names)) == 8  # eight blocks, two by two
    assert names == ["Le préfet, P\u202f;", "Le procureur de la République\u202f;", "Le recteur, R."]
    assert [e.description for e in OpenXmlValidator().validate(str(path)).errors] == []


# --- errors at file:line ------------------------------------------------------------------

BASE = """\
collectivite:
  nom: Exempleville
  type: commune
  deliberation:
    date: {date}
periode: {{debut: 2021, fin: 2026}}
signature: {{lieu: Exempleville}}
parties:
  - id: bailleur
    nom: Office public de l'habitat
    type: bailleur
  - id: {second}
    nom: Autre
    type: association
signataires:
  - partie: etat
    qualite: Le préfet
  - partie: {signe}
    qualite: Le maire
volets:
  - volet: prevention
    clauses:
      - id: ex-clause
        titre: Parties communes
        partie: {clause}
        texte: Le bailleur sécurise les parties communes.
"""


def errors_of(library, tmp_path, **values):
    fields = {"date": "2021-06-01", "second": "association", "signe": "collectivite", "clause": "bailleur", **values}
    path = tmp_path / "profil.yaml"
    path.write_text(BASE.format(**fields), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    return [str(i) for i in info.value.issues if i.severity == "erreur"]


def test_unknown_party_in_a_clause(library, tmp_path):
    found = errors_of(library, tmp_path, clause="baileur")
    assert any(m.startswith(f"{tmp_path / 'profil.yaml'}:25") and "partie « baileur » inconnue" in m and "vouliez-vous dire « bailleur »" in m for m in found), found


def test_unknown_party_in_a_signatory(library, tmp_path):
    found = errors_of(library, tmp_path, signe="colectivite")
    assert any(":18" in m and "partie « colectivite » inconnue pour un signataire" in m and "« collectivite »" in m for m in found), found


def test_party_declared_twice(library, tmp_path):
    found = errors_of(library, tmp_path, second="bailleur")
    assert any(":12" in m and "partie « bailleur » déclarée deux fois (déjà ligne 9)" in m for m in found), found


def test_a_fixed_party_cannot_be_declared(library, tmp_path):
    found = errors_of(library, tmp_path, second="parquet")
    assert any(":12" in m and "la partie « parquet » existe déjà" in m for m in found), found


def test_deliberation_date_must_be_a_date(library, tmp_path):
    found = errors_of(library, tmp_path, date="le 3 juin")
    assert any(":5" in m and "date attendue au format AAAA-MM-JJ" in m for m in found), found


def test_one_signatory_is_refused(library):
    profile = minimal(library, signataires=[{"partie": "etat", "qualite": "Le préfet"}])
    with pytest.raises(InvalidInput, match="au moins 2 élément"):
        contract_from(profile, library)


def test_examples_readme_parties_snippet_is_valid(library):
    import yaml

    from conftest import EXAMPLES

    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    [snippet] = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "parties:" in b]
    profile = minimal(library, **yaml.safe_load(snippet))
    c = contract_from(profile, library)
    assert "dûment habilité par délibération du conseil municipal n° 2021-45 du 28 juin 2021" in block_text(c)
    assert "Keolis Bourges" in block_text(c)
