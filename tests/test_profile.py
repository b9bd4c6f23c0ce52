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
    "recrutement de cinq agents supplémentaires",
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
    "22\u00a0juillet 2021",  # the day never ends a line without its month
    "2021-2026",
    "évaluation annuelle",
    "Les mineurs et l’éducation",
    "La lutte contre la radicalisation et le séparatisme",
    "Les transports",
    "Axe 1 — La sécurité intérieure",
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
    assert [s.partie for s in bourges.volets[0].sections] == ["collectivite", "commun"]
    assert bourges.volets[0].label == "Champ 1 — La sécurité et la tranquillité publique"


def test_clermont_has_six_axes(clermont):
    assert len(clermont.volets) == 6


@pytest.mark.parametrize("which", ["clermont", "bourges"])
def test_article_numbers_are_continuous(request, which):
    contract = request.getfixturevalue(which)
    assert [a.number for a in contract.articles] == list(range(1, len(contract.articles) + 1))


@pytest.mark.parametrize("which, retained", [("clermont", 4), ("bourges", 5)])
def test_socle_matrix_accounts_for_all_24_measures(request, which, retained):
    contract = request.getfixturevalue(which)
    assert len(contract.socle) == 24
    kept = [r for r in contract.socle if r.decision == "retenue"]
    assert len(kept) == retained and all(r.article for r in kept)
    # What the seed does not speak of is « non traitée », never « écartée » with an invented motif.
    assert all(r.decision == "non traitée" and not r.article for r in contract.socle if r.decision != "retenue")
    assert len(contract.warnings) == 24 - retained
    assert not any(a.kind == "socle" for a in contract.annexes)


def test_cross_references_use_computed_numbers(clermont):
    revision = next(a for a in clermont.articles if a.title == "Révision")
    evaluation = next(a for a in clermont.articles if a.title == "Suivi et évaluation annuelle")
    assert f"l’article {evaluation.number}" in revision.blocks[0].text


def test_signature_blocks_follow_the_profile(clermont, bourges):
    # Seed 000: the ministre and the maire sign, the préfet, the procureur and the DASEN attend.
    assert [s.qualite for s in clermont.signature.signatories] == ["Le ministre de l’Intérieur", "Le maire de Clermont-Ferrand"]
    assert [w.nom for w in clermont.signature.witnesses] == ["Philippe CHOPIN", "Éric MAILLAUD", "Michel ROUQUETTE"]
    assert signature_statement(clermont.signature) == "Fait à Clermont-Ferrand, le 22\u00a0juillet 2021, en deux (2) exemplaires originaux."
    assert len(bourges.signature.signatories) == 4
    assert signature_statement(bourges.signature) == "Fait à Bourges, le ...................., en quatre (4) exemplaires originaux."


def test_funding_totals(clermont):
    assert [(r.partie, r.montant) for r in clermont.funding] == [("État", 250000)]
    annex = next(a for a in clermont.annexes if a.kind == "financement")
    assert ("", "Total", "État", "", "", f"250{NNBSP}000\u00a0€") in annex.table.total_rows


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


def test_removing_a_socle_clause_leaves_it_not_addressed_with_a_warning(library, example_copy):
    path = edited(example_copy, "      - collectivite-justice-tig-tnr\n", "")
    contract = contract_from(path, library)
    [warning] = [w for w in contract.warnings if "collectivite-justice-tig-tnr" in w]
    assert f"{path}:{line_of(path, 'socle:')}:" in warning
    assert "mesure du socle non traitée : « collectivite-justice-tig-tnr »" in warning
    row = next(r for r in contract.socle if r.clause_id == "collectivite-justice-tig-tnr")
    assert (row.decision, row.article) == ("non traitée", None)
    with pytest.raises(InvalidInput) as info:
        contract_from(path, library, strict=True)
    assert any("collectivite-justice-tig-tnr" in m for m in messages(info))


def test_socle_ecarte_still_sets_a_measure_aside_as_not_retained(library, example_copy):
    path = edited(example_copy, "  collectivite-securite-referents-surete: {statut: non-traitee}\n", "")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("socle_ecarte:\n  - id: collectivite-securite-referents-surete\n    motif: Mesure déjà couverte par la convention de coordination\n")
    contract = contract_from(path, library)
    row = next(r for r in contract.socle if r.clause_id == "collectivite-securite-referents-surete")
    assert (row.decision, row.article, row.motif) == ("non retenue", None, "Mesure déjà couverte par la convention de coordination")
    assert not any("referents-surete" in w for w in contract.warnings)
    assert "écartée" not in contract.text()


def test_a_status_for_a_retained_measure_is_an_error(library, example_copy):
    path = edited(example_copy, "  collectivite-securite-referents-surete: {statut: non-traitee}\n", "  collectivite-justice-tig-tnr: {statut: sans-objet, motif: Pas de service d’accueil}\n")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    [issue] = [i for i in info.value.issues if i.severity == "erreur"]
    assert issue.line == line_of(path, "  collectivite-justice-tig-tnr: {statut")
    assert f"la mesure « collectivite-justice-tig-tnr » est déjà retenue dans un volet (ligne {line_of(path, '      - collectivite-justice-tig-tnr')})" in issue.message


def test_a_status_needs_its_sentence_or_motif(library, example_copy):
    path = edited(example_copy, "  collectivite-securite-referents-surete: {statut: non-traitee}\n", "  collectivite-securite-referents-surete: {statut: deja-en-oeuvre}\n")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    assert "une mesure « deja-en-oeuvre » demande un « texte » (la phrase que le contrat peut imprimer)" in messages(info)[0]


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
        ("      - collectivite-justice-tig-tnr\n", "      - collectivite-justice-tig-tmr\n", "collectivite-justice-tig-tmr",
         "clause « collectivite-justice-tig-tmr » inconnue de la bibliothèque (vouliez-vous dire « collectivite-justice-tig-tnr » ?)"),
        ("  - volet: justice\n", "  - volet: justise\n", "justise",
         "volet « justise » inconnu de la bibliothèque (vouliez-vous dire « justice » ?)"),
        ("  debut: 2021", "  debut: deux mille", "deux mille", "« debut » : nombre entier attendu, reçu « deux mille »"),
        ("    qualite: Le préfet du Cher\n", "", "partie: etat", "clé obligatoire « qualite » absente"),
        ("  fin: 2026\n", "", "  debut: 2021", "clé obligatoire « fin » absente sous « periode »"),
        ("  divisions: champ", "  divisions: champs", "  divisions: champs",
         "« divisions » : valeur inconnue ; valeurs possibles : volet, pilier, axe, objectif, champ, reçu « champs » (vouliez-vous dire « champ » ?)"),
        ("  divisions: champ", "  divisions: [champ, axes]", "  divisions: [champ, axes]",
         "« divisions » : valeur inconnue ; valeurs possibles : volet, pilier, axe, objectif, champ, reçu « axes » (vouliez-vous dire « axe » ?)"),
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


@pytest.mark.parametrize("new", ["  divisions: champs", "  divisions: [champ, axes]"])
def test_a_value_of_a_union_has_one_error_without_type_names(library, example_copy, new):
    path = edited(example_copy, "  divisions: champ", new)
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    shown = [str(i) for i in info.value.issues]
    assert len(shown) == 1 and "literal[" not in shown[0] and "list[" not in shown[0], shown
    assert shown[0].endswith("(vouliez-vous dire « axe » ?)" if "axes" in new else "(vouliez-vous dire « champ » ?)")


def test_all_profile_errors_come_at_once(library, example_copy):
    path = edited(example_copy, "cameras_par_an: 10", "cameras_par_an: dix")
    edited(example_copy, "      - collectivite-justice-tig-tnr\n", "      - collectivite-justice-tig-tmr\n")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    assert len(info.value.issues) >= 2


def test_template_syntax_in_a_value_is_printed_literally(library, example_copy):
    path = edited(example_copy, "lieux: [une salle pour les conférences ou une salle de théâtre]", "lieux: ['{{ 7*7 }}', \"{% if x %}\"]")
    contract = contract_from(path, library)
    text = contract.text()
    assert "{{ 7*7 }}" in text and "{% if x %}" in text


def test_strict_turns_warnings_into_errors(library, example_copy):
    path = edited(example_copy, "  fin: 2026", "  fin: 2029")
    contract = contract_from(path, library)
    assert any("au-delà de la fin du mandat municipal en cours à son début (2020-2026)" in w for w in contract.warnings)
    with pytest.raises(InvalidInput) as info:
        contract_from(path, library, strict=True)
    assert any("le contrat court jusqu'en 2029" in m for m in messages(info))


@pytest.mark.parametrize(
    "debut, fin, warned",
    [(2021, 2026, False), (2021, 2027, True), (2026, 2032, False), (2026, 2033, True), (2020, 2026, False), (2015, 2020, False), (2015, 2021, True)],
)
def test_period_warning_follows_the_mandate_in_progress_at_the_start(library, example_copy, debut, fin, warned):
    path = edited(example_copy, "  debut: 2021\n  fin: 2026", f"  debut: {debut}\n  fin: {fin}")
    contract = contract_from(path, library)
    assert any("au-delà de la fin du mandat municipal" in w for w in contract.warnings) == warned


def test_missing_state_signatory_is_an_error(library, example_copy):
    path = edited(example_copy, "  - partie: etat\n    qualite: Le préfet du Cher\n", "  - partie: parquet\n    qualite: Le procureur\n")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    assert any("aucun signataire pour l'État (partie: etat)" in m for m in messages(info))


def test_reciprocity_is_a_note_that_strict_does_not_escalate(library, example_copy):
    path = edited(example_copy, "  fin: 2026", "  fin: 2026")
    profile = load_profile(path, library, strict=False)
    [note] = [w for w in profile.warnings if w.severity == "note"]
    assert note.message == "volet « La prévention de la délinquance » : engagements de la collectivité seule"
    contract = contract_from(path, library)
    assert contract.notes and not any("engagements de la collectivité seule" in w for w in contract.warnings)
    # The example has socle measures not addressed: drop them to see --strict pass with the note alone.
    lines = [l for l in path.read_text(encoding="utf-8").splitlines(keepends=True) if "{statut: non-traitee}" not in l]
    text = "".join(lines).replace("socle:\n", "socle:\n" + "".join(
        f"  {c.id}: {{statut: sans-objet, motif: Hors du champ de ce test}}\n" for c in library.socle if c.id not in profile.kept_ids
    ))
    path.write_text(text, encoding="utf-8")
    strict = load_profile(path, library, strict=True)
    assert [w.severity for w in strict.warnings] == ["note"]


# --- other shapes of contract -----------------------------------------------------


def minimal_profile(**overrides):
    from csi_docgen import load_library

    socle = [{"id": c.id, "parametres": {"situation": "existant"}} if "situation" in c.params else c.id for c in load_library().socle]
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
    assert "le 1er\u00a0septembre 2021" in signature_statement(contract.signature)


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


def test_a_parameter_declared_without_description_is_named(library):
    from csi_docgen import check_profile

    socle = [{"id": c.id, "parametres": {"situation": "existant"}} if "situation" in c.params else c.id for c in library.socle]
    socle.append({
        "id": "vierzon-police-municipale", "titre": "Dix policiers municipaux de plus", "partie": "collectivite",
        "parametres": {"effectif": {"type": "entier"}}, "valeurs": {"effectif": 10}, "texte": "{{ effectif }} policiers.",
    })
    profile = {
        "collectivite": {"nom": "Vierzon", "type": "commune"},
        "periode": {"debut": 2026, "fin": 2032},
        "signature": {"lieu": "Vierzon"},
        "signataires": [{"partie": "etat", "qualite": "Le préfet"}, {"partie": "collectivite", "qualite": "Le maire de Vierzon"}],
        "volets": [{"volet": "securite", "clauses": socle}],
    }
    verdict = check_profile(profile, library)
    assert [i.message for i in verdict.issues if i.severity == "erreur"] == ["clé obligatoire « description » absente sous « effectif »"]
