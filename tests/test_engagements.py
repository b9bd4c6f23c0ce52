"""What the contract may say of the city: socle statuses, clause variants, divisions, placeholders."""

from __future__ import annotations

import re
import textwrap

import docx
import pytest
from click.testing import CliRunner

from csi_docgen import build, check_library, contract_from, load_profile
from csi_docgen.cli import cli
from csi_docgen.errors import InvalidInput

HEAD = """\
collectivite:
  nom: Exempleville
  type: commune
periode:
  debut: 2021
  fin: 2026
signature:
  lieu: Exempleville
  date: 2021-09-01
signataires:
  - partie: etat
    qualite: Le préfet
    nom: Alice MARTIN
  - partie: collectivite
    qualite: Le maire
    nom: Bruno DURAND
"""


def write(tmp_path, body: str, name: str = "exempleville.yaml"):
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def line_of(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


# --- socle statuses -------------------------------------------------------------------------

IN_PLACE = [
    "collectivite-securite-referents-surete",
    "collectivite-securite-emploi-conjoints",
    "collectivite-justice-conciliateurs",
    "collectivite-securite-troubles-rappels-ordre",
]
KEPT = ["etat-justice-gltd", "etat-securite-securite-du-quotidien", "collectivite-justice-tig-tnr"]
COVERED = ["collectivite-securite-renforcement-pm", "collectivite-prevention-clspd"]


@pytest.fixture
def partial(tmp_path):
    """3 library clauses, 2 socle measures covered by clauses of the profile, 4 in place, 15 not addressed."""
    statuses = "".join(f"  {cid}: {{statut: deja-en-oeuvre, texte: Mesure en place depuis 2019.}}\n" for cid in IN_PLACE)
    path = write(tmp_path, f"""\
        volets:
          - volet: securite
            clauses:
              - etat-justice-gltd
              - etat-securite-securite-du-quotidien
              - collectivite-justice-tig-tnr
              - id: exempleville-police-municipale
                titre: Quarante policiers municipaux de plus
                partie: collectivite
                couvre: collectivite-securite-renforcement-pm
                texte: |
                  {{{{ collectivite.Sujet }}}} recrute quarante policiers municipaux supplémentaires.
              - id: exempleville-conseil
                titre: Le conseil de sécurité
                partie: collectivite
                couvre: collectivite-prevention-clspd
                texte: |
                  {{{{ collectivite.Sujet }}}} réunit son conseil chaque trimestre.
        socle:
        """)
    path.write_text(path.read_text(encoding="utf-8") + statuses, encoding="utf-8")
    return path


def test_a_partial_profile_builds_with_a_warning_per_measure_not_addressed(partial, library, tmp_path):
    library_socle = {c.id for c in library.socle}
    missing = library_socle - set(KEPT) - set(COVERED) - set(IN_PLACE)
    assert len(missing) == 15
    result = build(partial, tmp_path / "contrat.docx", library=library)
    warned = {re.search(r"non traitée : « ([a-z-]+) »", w).group(1) for w in result.warnings if "non traitée" in w}
    assert warned == missing and len(result.warnings) == 15
    rows = {r.clause_id: r for r in result.contract.socle}
    assert {k for k, r in rows.items() if r.decision == "retenue"} == set(KEPT)
    assert {k for k, r in rows.items() if r.decision == "couverte"} == set(COVERED)
    assert rows["collectivite-prevention-clspd"].article == result.contract.article_for("exempleville-conseil").number
    assert {k for k, r in rows.items() if r.decision == "déjà en œuvre"} == set(IN_PLACE)
    assert rows[IN_PLACE[0]].motif == "Mesure en place depuis 2019."
    # The signed copy: no socle matrix, no « écartée » anywhere.
    assert not any(a.kind == "socle" for a in result.contract.annexes)
    document = docx.Document(str(result.path))
    text = "\n".join(p.text for p in document.paragraphs) + "".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "écartée" not in text and "Quarante policiers municipaux de plus" in text


def test_strict_refuses_the_partial_profile_naming_each_measure(partial, library, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--strict", str(partial), "-o", str(tmp_path / "sortie")])
    assert result.exit_code == 1
    named = set(re.findall(r"erreur : .*non traitée : « ([a-z-]+) »", result.output))
    assert len(named) == 15
    assert not (tmp_path / "sortie").exists() or not list((tmp_path / "sortie").glob("*.docx"))


def test_the_socle_annex_when_asked_is_neutral(partial, library):
    path = partial
    path.write_text(path.read_text(encoding="utf-8") + "annexes:\n  generees: [socle]\n", encoding="utf-8")
    contract = contract_from(path, library)
    [annex] = contract.annexes
    assert annex.title == "Prise en compte des mesures du socle"
    assert annex.table.header == ("Mesure du socle", "Partie", "Volet", "Prise en compte", "Article, texte ou motif")
    assert flat(annex.intro) == (
        "Prise en compte, par le présent contrat, des 24 mesures du socle de la circulaire du 16 avril 2021 : "
        "3 retenues dans un article, 2 couvertes par une clause propre au contrat, 4 déjà mises en œuvre, 15 non traitées."
    )
    gltd = next(row for row in annex.table.rows if row[0] == "Groupes locaux de traitement de la délinquance")
    # The division is the one the article is in, not the clause's volet of the library (justice).
    assert gltd[2] == "Volet 1 — Sécurité intérieure"
    assert "écartée" not in contract.text()


def test_counts_read_aucune_for_zero(library, tmp_path):
    from csi_docgen.assembly import socle_intro
    from csi_docgen.model import SocleRow

    rows = [SocleRow("a", "A", "État", "", "non traitée", None, "")] * 24
    assert "aucune retenue dans un article, 24 non traitées" in socle_intro(rows)


def test_socle_command_prints_text_and_csv(partial):
    text = CliRunner().invoke(cli, ["socle", str(partial)])
    assert text.exit_code == 0, text.output
    assert re.search(r"^couverte +collectivite-prevention-clspd — ", text.output, re.M)
    assert "Mesure en place depuis 2019." in text.output
    csv = CliRunner().invoke(cli, ["socle", "--csv", str(partial)])
    lines = csv.output.splitlines()
    assert lines[0] == "mesure;intitule;partie;prise_en_compte;article;division;texte_ou_motif"
    assert len(lines) == 25
    assert any(l.startswith("etat-justice-gltd;") and ";retenue;" in l for l in lines)


@pytest.mark.parametrize(
    "covers, message",
    [
        ("etat-justice-gltd", "la mesure « etat-justice-gltd » est déjà retenue dans un volet"),
        ("commun-transports-securisation", "« commun-transports-securisation » n'est pas une mesure du socle"),
        ("etat-justice-gtld", "mesure « etat-justice-gtld » inconnue de la bibliothèque (vouliez-vous dire « etat-justice-gltd » ?)"),
    ],
)
def test_covering_what_cannot_be_covered_is_an_error_at_its_line(partial, library, covers, message):
    text = partial.read_text(encoding="utf-8").replace("couvre: collectivite-prevention-clspd", f"couvre: {covers}")
    partial.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_profile(partial, library)
    [issue] = [i for i in info.value.issues if message in str(i)]
    assert issue.line == line_of(partial, f"couvre: {covers}")


# --- clause variants ----------------------------------------------------------------------------

CHOSEN = ["collectivite-prevention-clspd", "collectivite-prevention-cddf", "collectivite-securite-videoprotection-csu"]


@pytest.mark.parametrize("situation, creates", [("existant", False), ("a-creer", True)])
def test_situation_chooses_the_variant(library, tmp_path, situation, creates):
    entries = "".join(f"      - id: {cid}\n        parametres:\n          situation: {situation}\n" for cid in CHOSEN)
    path = write(tmp_path, "volets:\n  - volet: prevention\n    clauses:\n" + entries)
    contract = contract_from(path, library)
    for cid in CHOSEN:
        text = flat(" ".join(b.text for b in contract.article_for(cid).blocks if hasattr(b, "text")))
        assert ("créer" in text) == creates, (cid, text)


def test_a_missing_situation_names_the_clause_and_the_choice(library, tmp_path):
    path = write(tmp_path, "volets:\n  - volet: prevention\n    clauses:\n      - collectivite-prevention-cddf\n")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    [issue] = info.value.issues
    assert issue.line == line_of(path, "- collectivite-prevention-cddf")
    assert issue.message.startswith("paramètre obligatoire « situation » absent pour la clause « collectivite-prevention-cddf »")
    result = CliRunner().invoke(cli, ["valider", str(path)])
    assert result.exit_code == 1 and f"{path}:{issue.line}:" in result.output


def test_verifier_clauses_refuses_creer_without_a_choice(library_copy):
    clause = library_copy / "collectivite" / "prevention" / "collectivite-prevention-parcours-gagnant.md"
    clause.write_text(clause.read_text(encoding="utf-8").rstrip("\n") + "\n\nLa ville s’engage à créer un comité.\n", encoding="utf-8")
    _, issues = check_library(library_copy)
    [issue] = issues
    assert issue.path.endswith("collectivite-prevention-parcours-gagnant.md")
    assert issue.line == len(clause.read_text(encoding="utf-8").splitlines())
    assert issue.message == "le texte parle de « créer » sans laisser le profil choisir si la structure existe déjà"
    result = CliRunner().invoke(cli, ["verifier-clauses", str(library_copy)])
    assert result.exit_code == 1


def test_a_situation_with_a_default_is_refused(library_copy):
    clause = library_copy / "collectivite" / "prevention" / "collectivite-prevention-cddf.md"
    clause.write_text(clause.read_text(encoding="utf-8").replace("      - existant\n", "      - existant\n    defaut: a-creer\n", 1), encoding="utf-8")
    _, issues = check_library(library_copy)
    assert [i.message for i in issues] == [
        "paramètre « situation » : choix obligatoire attendu, de valeurs « a-creer » et « existant », sans valeur par défaut"
    ]


def test_profile_drops_an_indicator_and_titles_an_article(library, tmp_path):
    path = write(tmp_path, """\
        volets:
          - volet: securite
            clauses:
              - id: etat-securite-renfort-effectifs-police-nationale
                titre: Six policiers de plus
                indicateurs_retires: [reservistes]
        """)
    contract = contract_from(path, library)
    assert contract.articles[2].title == "Six policiers de plus"
    assert [r.indicateur for r in contract.indicators] == ["Effectif de la police nationale affecté au territoire"]
    assert all(r.engagement == "Six policiers de plus" for r in contract.indicators)
    bad = write(tmp_path, """\
        volets:
          - volet: securite
            clauses:
              - id: etat-securite-renfort-effectifs-police-nationale
                indicateurs_retires: [reserviste]
        """, "mauvais.yaml")
    with pytest.raises(InvalidInput, match="indicateur « reserviste » inconnu .*vouliez-vous dire « reservistes »"):
        load_profile(bad, library)


def test_evaluation_article_does_not_claim_indicators_for_every_engagement(library, tmp_path):
    path = write(tmp_path, """\
        volets:
          - volet: securite
            clauses:
              - etat-justice-gltd
              - id: exempleville-sans-indicateur
                titre: Un engagement sans indicateur
                partie: commun
                texte: L'État et {{ collectivite.sujet }} se réunissent.
        """)
    evaluation = next(a for a in contract_from(path, library).articles if a.title == "Suivi et évaluation annuelle")
    assert not evaluation.blocks[0].text.startswith("Chaque engagement")
    assert "pour ceux qui en comportent" in evaluation.blocks[0].text


# --- divisions, pending and empty ones ------------------------------------------------------------


def test_an_empty_volet_is_an_error_at_its_line(library, tmp_path):
    path = write(tmp_path, "volets:\n  - volet: securite\n    clauses:\n      - etat-justice-gltd\n  - volet: transports\n    titre: Les transports\n")
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    [issue] = info.value.issues
    assert issue.line == line_of(path, "volet: transports")
    assert issue.message == "volet « Les transports » sans aucune clause : le contrat imprimerait un titre vide"
    assert "en_attente:" in issue.hint


def test_a_pending_volet_prints_its_sentence(library, tmp_path):
    path = write(tmp_path, """\
        volets:
          - volet: securite
            clauses: [etat-justice-gltd]
          - volet: transports
            en_attente: Les engagements de ce volet sont en cours d'élaboration.
        """)
    contract = contract_from(path, library)
    transports = contract.volets[1]
    assert transports.label == "Volet 2 — Transports" and not transports.articles
    assert [b.text for b in transports.pending] == ["Les engagements de ce volet sont en cours d’élaboration."]
    assert "Volet 2 — Transports\n====================\n\nLes engagements de ce volet" in contract.text()
    assert contract.differences(contract).startswith("Aucune différence")  # the comparison walks pending volets too


def test_pilier_in_headings_and_sommaire(library, tmp_path):
    path = write(tmp_path, """\
        options: {divisions: pilier}
        volets:
          - volet: securite
            titre: Tranquillité publique
            clauses: [etat-justice-gltd]
        """)
    result = build(path, tmp_path / "pilier.docx", library=library)
    document = docx.Document(str(result.path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    toc = [p.text for p in document.paragraphs if p.style.name.lower() == "toc 2"]
    assert headings == ["Pilier 1 — Tranquillité publique"]
    assert [t.split("\t")[0] for t in toc] == ["Pilier 1 — Tranquillité publique"]


def test_two_levels_print_volets_and_their_axes(library, tmp_path):
    path = write(tmp_path, """\
        options:
          divisions: [volet, axe]
        annexes:
          generees: [socle]
        volets:
          - volet: securite
            titre: Sécurité et tranquillité
            sous_divisions:
              - titre: Présence sur la voie publique
                clauses: [etat-securite-presence-voie-publique]
              - titre: Vidéoprotection
                en_attente: Le plan de déploiement est en cours d'étude.
          - volet: justice
            clauses: [etat-justice-gltd]
        """)
    result = build(path, tmp_path / "axes.docx", library=library)
    contract = result.contract
    securite = contract.volets[0]
    assert [s.label for s in securite.subdivisions] == ["Axe 1 — Présence sur la voie publique", "Axe 2 — Vidéoprotection"]
    assert [a.clause_id for a in securite.articles] == ["etat-securite-presence-voie-publique"]
    document = docx.Document(str(result.path))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == ["Volet 1 — Sécurité et tranquillité", "Volet 2 — Justice"]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 3"][:2] == [
        "Axe 1 — Présence sur la voie publique",
        "Axe 2 — Vidéoprotection",
    ]
    text = contract.text()
    assert "Axe 2 — Vidéoprotection\n-----------------------\n\nLe plan de déploiement est en cours d’étude." in text
    row = next(r for r in contract.socle if r.clause_id == "etat-securite-presence-voie-publique")
    assert row.volet == "Volet 1 — Sécurité et tranquillité"


def test_sub_divisions_need_a_second_word(library, tmp_path):
    path = write(tmp_path, """\
        volets:
          - volet: securite
            sous_divisions:
              - titre: Présence
                clauses: [etat-securite-presence-voie-publique]
        """)
    with pytest.raises(InvalidInput) as info:
        load_profile(path, library)
    assert any("« sous_divisions » sans second niveau de divisions" in i.message and i.line == line_of(path, "sous_divisions") for i in info.value.issues)


def test_an_unknown_division_word_is_refused(library, tmp_path):
    path = write(tmp_path, "options: {divisions: chapitre}\nvolets:\n  - volet: securite\n    clauses: [etat-justice-gltd]\n")
    with pytest.raises(InvalidInput, match="valeurs possibles : volet, pilier, axe, objectif, champ"):
        load_profile(path, library)


# --- placeholders ----------------------------------------------------------------------------------


def test_a_placeholder_is_a_warning_and_strict_refuses_it(library, tmp_path):
    path = write(tmp_path, "volets:\n  - volet: securite\n    clauses: [etat-justice-gltd]\n")
    path.write_text(path.read_text(encoding="utf-8").replace("nom: Alice MARTIN", "nom: À compléter"), encoding="utf-8")
    contract = contract_from(path, library)
    assert any(f":{line_of(path, 'À compléter')}:" in w and "valeur à compléter" in w for w in contract.warnings)
    with pytest.raises(InvalidInput, match="valeur à compléter"):
        contract_from(path, library, strict=True)


def test_placeholders_are_found_wherever_the_yaml_puts_them(library, tmp_path):
    """Noted while the YAML is read: a folded line, a list, a comment (not a value), an escape."""
    path = write(tmp_path, "volets:\n  - volet: securite\n    clauses: [etat-justice-gltd]\n")
    text = path.read_text(encoding="utf-8")
    folded = text.replace("nom: Alice MARTIN", "nom: >-\n      À\n      compléter") + "# À compléter plus tard\nvisas: [a compléter]\n"
    path.write_text(folded, encoding="utf-8")

    def placeholder_lines(source):
        return sorted(w.line for w in load_profile(source, library).warnings if "valeur à compléter" in w.message)

    assert placeholder_lines(path) == [line_of(path, "nom: >-"), line_of(path, "visas:")]
    # An escape sequence may make a value the text does not show: the values are walked instead.
    path.write_text(folded.replace("visas: [a compléter]", 'visas: ["\\u00c0 compl\\u00e9ter"]'), encoding="utf-8")
    assert placeholder_lines(path) == [line_of(path, "nom: >-"), line_of(path, "visas:")]


def test_examples_readme_snippets_of_this_page_build(library, tmp_path):
    """The socle, pending and sub-division snippets of examples/README.md, as written."""
    import yaml

    from conftest import EXAMPLES

    blocks = re.findall(r"```yaml\n(.*?)```", (EXAMPLES / "README.md").read_text(encoding="utf-8"), re.S)
    [covering] = [b for b in blocks if "couvre:" in b]
    [statuses] = [b for b in blocks if b.startswith("socle:")]
    [pending] = [b for b in blocks if "en_attente:" in b and "sous_divisions" not in b]
    [axes] = [b for b in blocks if "sous_divisions:" in b]
    path = write(tmp_path, "options: {divisions: [volet, axe]}\nvolets:\n  - volet: prevention\n    clauses:\n" + covering + pending + axes + statuses)
    contract = contract_from(path, library)
    rows = {r.clause_id: r.decision for r in contract.socle}
    assert rows["collectivite-securite-renforcement-pm"] == "couverte"
    assert rows["collectivite-prevention-cddf"] == "déjà en œuvre" and rows["collectivite-politique-ville-quartiers-ete"] == "sans objet"
    assert [v.label for v in contract.volets] == ["Volet 1 — Prévention de la délinquance", "Volet 2 — Transports", "Volet 3 — Sécurité intérieure"]
    assert yaml.safe_load(statuses)["socle"]
