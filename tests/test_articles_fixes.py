"""Fixed articles per profile, litiges / résiliation / budget reserve, and the law as of the contract's date."""

from __future__ import annotations

import re

import pytest

from csi_docgen import contract_from, load_profile
from csi_docgen.errors import InvalidInput


def minimal(library, **overrides):
    socle = [{"id": c.id, "parametres": {"situation": "a-creer"}} if "situation" in c.params else c.id for c in library.socle]
    profile = {
        "collectivite": {"nom": "Exempleville", "type": "commune"},
        "periode": {"debut": 2021, "fin": 2026},
        "signature": {"lieu": "Exempleville", "date": "2021-09-01"},
        "signataires": [
            {"partie": "etat", "qualite": "Le préfet", "nom": "A"},
            {"partie": "collectivite", "qualite": "Le maire", "nom": "B"},
        ],
        "volets": [{"volet": "securite", "clauses": socle}],
        "annexes": {"generees": ["socle"]},
    }
    profile.update(overrides)
    return profile


def fixed(contract, title: str) -> str:
    article = next(a for a in contract.articles if a.title == title and a.clause_id is None)
    return " ".join(b.text for b in article.blocks).replace("\u00a0", " ").replace("\u202f", " ")


def titles(contract) -> list[str]:
    return [a.title for a in contract.articles if a.clause_id is None]


def test_default_fixed_articles(library):
    c = contract_from(minimal(library), library)
    assert titles(c) == [
        "Objet du contrat", "Durée", "Gouvernance", "Suivi et évaluation annuelle", "Révision",
        "Résiliation", "Règlement des litiges", "Entrée en vigueur",
    ]
    duree = fixed(c, "Durée")
    assert duree == "Le présent contrat est conclu pour la période 2021-2026. Il prend effet à la date de sa signature."
    assert "décembre" not in duree  # a period in years gives no end day: the profile writes one (« articles: duree: texte: »)
    assert "mandat" not in duree  # the 2020 mandates ended in March 2026: no claim the period matches them
    litiges = fixed(c, "Règlement des litiges")
    assert "à l’amiable" in litiges and "tribunal administratif territorialement compétent" in litiges
    resiliation = fixed(c, "Résiliation")
    assert "par lettre recommandée avec demande d’avis de réception" in resiliation
    assert "préavis de trois mois" in resiliation


def test_circulaire_cited_only_for_contracts_signed_after_it(library):
    after = contract_from(minimal(library), library)
    assert "circulaire du Premier ministre n° 6258/SG du 16 avril 2021" in fixed(after, "Objet du contrat")
    before = contract_from(minimal(library, signature={"lieu": "X", "date": "2021-03-01"}), library)
    assert "circulaire" not in fixed(before, "Objet du contrat")


def test_clspd_threshold_is_the_law_of_the_contract_date(library):
    def clspd(date):
        c = contract_from(minimal(library, signature={"lieu": "X", "date": date}, periode={"debut": 2021, "fin": 2026}), library)
        return " ".join(b.text for b in c.article_for("collectivite-prevention-clspd").blocks).replace("\u202f", " ")

    in_2021 = clspd("2021-09-01")
    assert "5 000" not in in_2021 and "10 000" not in in_2021
    assert "En application de l’article L. 132-4 du code de la sécurité intérieure, le maire préside ce conseil." in in_2021.replace("\u00a0", " ")
    assert "plus de 5 000 habitants" in clspd("2024-03-23")


def test_steering_body_can_be_the_clspd_in_plenary(library):
    c = contract_from(minimal(library, gouvernance={"instance": "clspd"}), library)
    gouvernance = fixed(c, "Gouvernance")
    assert gouvernance.startswith("La mise en œuvre du présent contrat est suivie par le conseil local de sécurité et de prévention de la délinquance (CLSPD) réuni en formation plénière")
    assert "comité de pilotage" not in c.text()
    assert "présentée au conseil local de sécurité et de prévention de la délinquance prévu à l’article" in fixed(c, "Suivi et évaluation annuelle")


def test_profile_replaces_or_leaves_out_fixed_articles(library):
    c = contract_from(
        minimal(
            library,
            articles={"duree": {"texte": "Le présent contrat est conclu pour trois ans, renouvelable une fois."}, "entree-en-vigueur": {"omis": "oui"}},
            resiliation={"preavis": "six mois", "forme": "courrier recommandé"},
        ),
        library,
    )
    assert fixed(c, "Durée") == "Le présent contrat est conclu pour trois ans, renouvelable une fois."
    assert "Entrée en vigueur" not in titles(c)
    assert "préavis de six mois" in fixed(c, "Résiliation") and "par courrier recommandé" in fixed(c, "Résiliation")


def test_leaving_out_evaluation_drops_its_mention_in_revision(library):
    c = contract_from(minimal(library, articles={"evaluation": {"omis": True}}), library)
    assert "évaluation" not in fixed(c, "Révision")


PROFILE = """\
collectivite: {nom: Exempleville, type: commune}
periode: {debut: 2021, fin: 2026}
signature: {lieu: Exempleville}
signataires:
  - {partie: etat, qualite: Le préfet}
  - {partie: collectivite, qualite: Le maire}
volets:
  - volet: securite
    clauses: []
articles:
  KEY: {omis: oui}
"""


@pytest.mark.parametrize(
    "key, message",
    [
        ("objet", "l'article « objet » ne peut pas être omis"),
        ("litige", "article fixe « litige » inconnu (vouliez-vous dire « litiges » ?)"),
    ],
)
def test_fixed_article_errors(library, tmp_path, key, message):
    path = tmp_path / "p.yaml"
    path.write_text(PROFILE.replace("KEY", key), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    found = [str(i) for i in info.value.issues]
    assert any(f"p.yaml:11" in m and message in m for m in found), found


def test_budget_reserve_once_per_engagement_with_an_amount(library):
    def money(cid, partie):
        return {
            "id": cid, "titre": "Financement", "partie": partie,
            "texte": "Une aide de {{ somme | montant }} est apportée. Elle est versée en {{ annee }}.",
            "parametres": {"somme": {"type": "montant", "description": "Montant"}, "annee": {"type": "annee", "description": "Année"}},
            "valeurs": {"somme": 10000, "annee": 2022},
        }

    profile = minimal(library)
    joint = {
        "id": "ex-commun", "titre": "Cofinancement", "partie": "commun",
        "texte": "L'État apporte {{ part_etat | montant }} et la commune {{ part_ville | montant }}.",
        "parametres": {
            "part_etat": {"type": "montant", "description": "Part de l'État", "financeur": "etat"},
            "part_ville": {"type": "montant", "description": "Part de la commune", "financeur": "collectivite"},
        },
        "valeurs": {"part_etat": 5000, "part_ville": 5000},
    }
    profile["volets"].append({"volet": "prevention", "clauses": [money("ex-etat", "etat"), money("ex-ville", "collectivite"), joint]})
    c = contract_from(profile, library)
    last = {cid: c.article_for(cid).blocks[-1].text for cid in ("ex-etat", "ex-ville", "ex-commun")}
    assert last["ex-etat"] == "Cet engagement financier de l’État s’entend dans la limite des crédits ouverts en loi de finances."
    assert last["ex-ville"] == "Cet engagement financier de la commune est pris sous réserve de l’inscription des crédits correspondants à son budget."
    assert last["ex-commun"] == (
        "Les montants de cet engagement s’entendent, pour l’État, dans la limite des crédits ouverts en loi de finances "
        "et, pour la commune, sous réserve de l’inscription des crédits correspondants à son budget."
    )
    text = re.sub(r"\s+", " ", c.text())
    assert len(re.findall("crédits ouverts en loi de finances", text)) == 2  # once per engagement, not per sentence
    without = c.article_for("etat-securite-besoins-effectifs-moyens")
    assert "crédits" not in " ".join(getattr(b, "text", "") for b in without.blocks)


def test_clermont_support_carries_the_state_reserve(library):
    from conftest import EXAMPLES

    c = contract_from(EXAMPLES / "clermont-ferrand.yaml", library)
    blocks = c.article_for("etat-securite-soutien-videoprotection").blocks
    assert blocks[-1].text == "Cet engagement financier de l’État s’entend dans la limite des crédits ouverts en loi de finances."
    assert "Règlement des litiges" in titles(c)
