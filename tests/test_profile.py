"""City profiles: the two examples, domain checks, and exact French errors."""

import re
import shutil

import pytest

from csi_docgen import contract_from, load_profile
from csi_docgen.errors import InvalidInput
from csi_docgen.french import signature_statement

NNBSP = "\u202f"


@pytest.fixture(scope="module")
def clermont(library):
    from conftest import EXAMPLES

    return contract_from(EXAMPLES / "clermont-ferrand.yaml", library)


@pytest.fixture(scope="module")
def bourges(library):
    from conftest import EXAMPLES

    return contract_from(EXAMPLES / "bourges.yaml", library)


def flat(text: str) -> str:
    """The text with line wrapping undone (no-break spaces kept)."""
    return re.sub(r"[ \n]+", " ", text)


CLERMONT_FACTS = [
    "six (6) effectifs supplémentaires",
    "dès 2021",
    "vivier de réservistes",
    "douze (12) policiers municipaux",
    "notamment en soirée",
    f"250{NNBSP}000\u00a0€",
    "cinq (5) agents supplémentaires",
    "tribunal judiciaire de Clermont-Ferrand",
    "groupes locaux de traitement de la délinquance (GLTD)",
    "de manière tournante, afin de mailler en permanence le territoire",
    "maison de justice et du droit",
    "centre de loisirs jeunesse (CLJ) de la police nationale",
    "médiation nocturne",
    "trois (3) intervenantes sociales",
    "l’État, la métropole, la ville et le conseil départemental",
    "service national universel",
    "Vergnes et de la Gauthière",
    "cyber-harcèlement",
    "Gérald DARMANIN",
    "Le ministre de l’Intérieur",
    "Olivier BIANCHI",
    "Philippe CHOPIN",
    "Éric MAILLAUD",
    "Michel ROUQUETTE",
    "22 juillet 2021",
    "2021-2026",
    "évaluation annuelle",
    "Mineurs et éducation",
    "Lutte contre la radicalisation et le séparatisme",
    "Transports",
]


@pytest.mark.parametrize("fact", CLERMONT_FACTS)
def test_clermont_text_holds_each_seed_fact(clermont, fact):
    assert fact in flat(clermont.text())


BOURGES_FACTS = [
    "dix (10) nouvelles caméras par an",
    "La sécurité et la tranquillité publique",
    "La justice",
    "La prévention de la délinquance",
    "La lutte contre la radicalisation et le séparatisme",
    "L’éducation",
    "La prévention sociale",
    "Engagements de l’État",
    "Engagements de la Ville",
    "Engagements communs",
    "participation citoyenne",
    "travaux d’intérieur général".replace("intérieur", "intérêt"),
    "chantiers passerelles",
    "Parcours gagnant",
    "errance et la rupture sociale",
    "Le préfet du Cher",
    "Le maire de Bourges",
]


@pytest.mark.parametrize("fact", BOURGES_FACTS)
def test_bourges_text_holds_each_seed_fact(bourges, fact):
    assert fact.lower() in flat(bourges.text()).lower()


def test_bourges_has_six_volets_in_its_order(bourges):
    assert [v.key for v in bourges.volets] == [
        "securite", "justice", "prevention", "radicalisation", "education", "prevention-sociale",
    ]
    assert [s.partie for s in bourges.volets[0].sections] == ["etat", "collectivite", "commun"]


def test_clermont_has_six_axes(clermont):
    assert len(clermont.volets) == 6


@pytest.mark.parametrize("which", ["clermont", "bourges"])
def test_article_numbers_are_continuous(request, which):
    contract = request.getfixturevalue(which)
    assert [a.number for a in contract.articles] == list(range(1, len(contract.articles) + 1))


@pytest.mark.parametrize("which", ["clermont", "bourges"])
def test_socle_matrix_accounts_for_all_24_measures(request, which):
    contract = request.getfixturevalue(which)
    assert len(contract.socle) == 24
    assert all(r.decision == "retenue" and r.article for r in contract.socle)


def test_cross_references_use_computed_numbers(clermont):
    revision = next(a for a in clermont.articles if a.title == "Révision")
    evaluation = next(a for a in clermont.articles if a.title == "Suivi et évaluation annuelle")
    assert f"l’article {evaluation.number}" in revision.blocks[0].text


def test_signature_blocks_follow_the_profile(clermont, bourges):
    # Seed 000: the ministre and the maire sign, the préfet, the procureur and the DASEN attend.
    assert [s.qualite for s in clermont.signature.signatories] == ["Le ministre de l’Intérieur", "Le maire de Clermont-Ferrand"]
    assert [w.nom for w in clermont.signature.witnesses] == ["Philippe CHOPIN", "Éric MAILLAUD", "Michel ROUQUETTE"]
    assert signature_statement(clermont.signature) == "Fait à Clermont-Ferrand, le 22 juillet 2021, en deux (2) exemplaires originaux."
    assert len(bourges.signature.signatories) == 4
    assert signature_statement(bourges.signature) == "Fait à Bourges, le ...................., en quatre (4) exemplaires originaux."


def test_funding_totals(clermont):
    assert [(r.partie, r.montant) for r in clermont.funding] == [("État", 250000)]
    annex = next(a for a in clermont.annexes if a.kind == "financement")
    assert ("", "Total État", "État", "", "", f"250{NNBSP}000\u00a0€") in annex.table.total_rows


# --- editing a copy of bourges.yaml --------------------------------------------


def edited(example_copy, old, new, name="bourges.yaml"):
    path = example_copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def messages(info):
    return [str(i) for i in info.value.issues]


def test_removing_a_socle_clause_names_the_measure(library, example_copy):
    path = edited(example_copy, "      - collectivite-securite-referents-surete\n", "")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    [issue] = info.value.issues
    assert issue.line == line_of(path, "volets:")
    assert "1 mesure(s) du socle ni retenue(s) ni écartée(s)" in issue.message
    assert "collectivite-securite-referents-surete" in issue.message


def test_a_motif_sets_the_measure_aside_and_the_matrix_shows_it(library, example_copy):
    path = edited(example_copy, "      - collectivite-securite-referents-surete\n", "")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("socle_ecarte:\n  - id: collectivite-securite-referents-surete\n    motif: Mesure déjà couverte par la convention de coordination\n")
    contract = contract_from(path, library)
    row = next(r for r in contract.socle if r.clause_id == "collectivite-securite-referents-surete")
    assert (row.decision, row.article, row.motif) == ("écartée", None, "Mesure déjà couverte par la convention de coordination")
    assert "Mesure déjà couverte par la convention de coordination" in contract.text()


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        ("signataires:", "signataire:", "signataire:", "clé inconnue « signataire » (vouliez-vous dire « signataires » ?)"),
        ("cameras_par_an: 10", "cameras_par_an: dix", "cameras_par_an",
         "paramètre « cameras_par_an » : nombre entier attendu, reçu « dix »"),
        ("cameras_par_an: 10", "cameras_par_an: -3", "cameras_par_an",
         "paramètre « cameras_par_an » : valeur trop petite : au moins 1 attendu, reçu « -3 »"),
        ("cameras_par_an: 10", "camera_par_an: 10", "camera_par_an",
         "paramètre « camera_par_an » inconnu pour la clause « collectivite-securite-videoprotection-csu » (vouliez-vous dire « cameras_par_an » ?)"),
        ("      - etat-justice-gltd\n", "      - etat-justice-gtld\n", "etat-justice-gtld",
         "clause « etat-justice-gtld » inconnue de la bibliothèque (vouliez-vous dire « etat-justice-gltd » ?)"),
        ("  - volet: justice\n", "  - volet: justise\n", "justise",
         "volet « justise » inconnu de la bibliothèque (vouliez-vous dire « justice » ?)"),
        ("  debut: 2021", "  debut: deux mille", "deux mille", "« debut » : nombre entier attendu, reçu « deux mille »"),
        ("    qualite: Le préfet du Cher\n", "", "partie: etat", "clé obligatoire « qualite » absente"),
    ],
)
def test_profile_errors_are_french_with_their_line(library, example_copy, old, new, needle, message):
    path = edited(example_copy, old, new)
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    shown = {str(i).split(" : ", 1)[1]: i.line for i in info.value.issues}
    assert message in shown, shown
    assert shown[message] == line_of(path, needle)
    assert all(i.path == str(path) for i in info.value.issues)


def test_all_profile_errors_come_at_once(library, example_copy):
    path = edited(example_copy, "cameras_par_an: 10", "cameras_par_an: dix")
    edited(example_copy, "      - etat-justice-gltd\n", "      - etat-justice-gtld\n")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    assert len(info.value.issues) >= 2


def test_template_syntax_in_a_value_is_printed_literally(library, example_copy):
    path = edited(example_copy, "lieux: [une salle pour les conférences, une salle de théâtre]", "lieux: ['{{ 7*7 }}', \"{% if x %}\"]")
    contract = contract_from(path, library)
    text = contract.text()
    assert "{{ 7*7 }}" in text and "{% if x %}" in text


def test_strict_turns_warnings_into_errors(library, example_copy):
    path = edited(example_copy, "  fin: 2026", "  fin: 2029")
    contract = contract_from(path, library)
    assert any("au-delà de la fin des mandats municipaux" in w for w in contract.warnings)
    with pytest.raises(InvalidInput) as info:
        contract_from(path, library, strict=True)
    assert "le contrat court jusqu'en 2029" in messages(info)[0]


def test_missing_state_signatory_is_an_error(library, example_copy):
    path = edited(example_copy, "  - partie: etat\n    qualite: Le préfet du Cher\n", "  - partie: parquet\n    qualite: Le procureur\n")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    assert any("aucun signataire pour l'État (partie: etat)" in m for m in messages(info))


def test_reciprocity_warning(library, example_copy):
    path = edited(example_copy, "      - etat-radicalisation-partage-information\n      - etat-radicalisation-formation-agents\n", "")
    (example_copy / "bourges.yaml").write_text(
        path.read_text(encoding="utf-8")
        + "socle_ecarte:\n  - id: etat-radicalisation-partage-information\n    motif: Traité par la cellule départementale\n",
        encoding="utf-8",
    )
    contract = contract_from(path, library)
    assert any("engagements de la collectivité seule, sans contrepartie" in w for w in contract.warnings)


# --- other shapes of contract -----------------------------------------------------


def minimal_profile(**overrides):
    from csi_docgen import load_library

    socle = [c.id for c in load_library().socle]
    profile = {
        "collectivite": {"nom": "Exempleville", "type": "commune"},
        "periode": {"debut": 2021, "fin": 2026},
        "signature": {"lieu": "Exempleville", "date": "2021-09-01", "exemplaires": 2},
        "signataires": [
            {"partie": "etat", "qualite": "Le préfet", "nom": "A"},
            {"partie": "collectivite", "qualite": "Le maire", "nom": "B"},
        ],
        "volets": [{"volet": "securite", "clauses": socle}],
        "annexes": {"generees": ["socle"]},
    }
    profile.update(overrides)
    return profile


def test_two_signatories(library):
    contract = contract_from(minimal_profile(), library)
    assert len(contract.signature.signatories) == 2
    assert "le 1er septembre 2021" in signature_statement(contract.signature)


def test_twelve_signatories_at_most(library):
    six = [
        {"partie": "etat", "qualite": "Le ministre de l'Intérieur", "nom": "A"},
        {"partie": "etat", "qualite": "Le garde des Sceaux, ministre de la Justice", "nom": "B"},
        {"partie": "etat", "qualite": "Le préfet", "nom": "C"},
        {"partie": "etat", "qualite": "Le procureur de la République", "nom": "D"},
        {"partie": "etat", "qualite": "Le recteur d'académie", "nom": "E"},
        {"partie": "collectivite", "qualite": "Le maire", "nom": "F"},
    ]
    contract = contract_from(minimal_profile(signataires=six), library)
    assert [s.nom for s in contract.signature.signatories] == list("ABCDEF")
    assert contract_from(minimal_profile(signataires=six + six), library).signature.copies == 2  # as given
    with pytest.raises(InvalidInput, match="au plus 12 élément"):
        contract_from(minimal_profile(signataires=six + six + six[:1]), library)


def test_intercommunal_profile_agrees(library):
    profile = minimal_profile(
        collectivite={"nom": "Clermont Auvergne Métropole", "type": "metropole", "communes_membres": ["Aubière", "Beaumont", "Cébazat"]}
    )
    contract = contract_from(profile, library)
    text = flat(contract.text())
    assert "La métropole s’engage" in text
    assert "la commune" not in text.lower().replace("communes membres", "")
    assert "Aubière, Beaumont et Cébazat" in text
    assert "Engagements de la métropole" in text


def test_epci_with_a_proper_name(library):
    profile = minimal_profile(collectivite={"nom": "Bourges Plus", "type": "communaute-agglomeration", "sujet": "Bourges Plus"})
    text = flat(contract_from(profile, library).text())
    assert "Bourges Plus s’engage" in text
    assert "Engagements de Bourges Plus" in text
