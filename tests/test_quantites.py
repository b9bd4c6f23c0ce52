"""Figures as contracts write them: decimals, percentages, ranges, calendars, trajectories, money per year.

An inline clause declares each type; its values print in French in the
contract's text, its indicator rows carry the reference and target tied to
them, the funding annex adds up, and bad values get French errors at their
line.
"""

from __future__ import annotations

import re
import textwrap

import pytest

import csi_docgen
from csi_docgen.errors import InvalidInput

NNBSP = "\u202f"
NBSP = "\u00a0"

DECLARATIONS = """\
          etp: {type: nombre, description: Équivalents temps plein, unite: ETP, unite_singulier: ETP}
          part: {type: pourcentage, description: Part de la population couverte}
          postes: {type: fourchette, description: Postes de TIG, unite: postes, unite_singulier: poste}
          recrutements: {type: echeancier, description: Recrutements par année, unite: policiers municipaux, unite_singulier: policier municipal}
          effectifs: {type: trajectoire, description: Effectif de la police municipale, unite: agents, unite_singulier: agent}
          cameras: {type: entier, description: Caméras, unite: caméras, unite_singulier: caméra, genre: f}
          soutien: {type: montant, description: Soutien de l'État, financeur: etat}
"""

VALUES = """\
          etp: 5.5
          part: 20
          postes: {min: 40, max: 90}
          recrutements: {2021: 33, 2022: 37}
          effectifs: {reference: {annee: 2021, valeur: 12}, etapes: {2023: 25}, cible: {annee: 2026, valeur: 60}}
          cameras: {environ: 100}
          soutien: {par_an: 100000, debut: 2021, fin: 2023}
"""

TEXT = """\
          ETP : {{ etp }}. Part : {{ part }}. Postes : {{ postes }}.
          Recrutements : {{ recrutements }}. Effectifs : {{ effectifs }}.
          Caméras : {{ cameras }}. Soutien : {{ soutien }}.
          {{ recrutements | majuscule }}.
"""

INDICATORS = """\
          - id: effectif
            libelle: Effectif de la police municipale
            unite: agents
            periodicite: annuelle
            source: Police municipale
            reference: "{{ effectifs.reference.valeur | nombre }} ({{ effectifs.reference.annee }})"
            cible: "{{ effectifs.cible.valeur | nombre }} ({{ effectifs.cible.annee }})"
          - id: postes-ouverts
            libelle: Postes de TIG ouverts
            unite: postes
            periodicite: annuelle
            source: SPIP
            cible: "{{ postes | nombre }}"
          - id: sans-lien
            libelle: Réunions
            unite: réunions
            periodicite: annuelle
            source: Mairie
"""


def profile_text(library, declarations=DECLARATIONS, values=VALUES, text=TEXT, indicators=INDICATORS, partie="collectivite", nom="L'Isle-d'Abeau") -> str:
    aside = "".join(f"  - {{id: {c.id}, motif: étudiée et non retenue}}\n" for c in library.socle)
    return (
        textwrap.dedent(
            f"""\
            collectivite: {{nom: "{nom}", type: commune}}
            periode: {{debut: 2021, fin: 2026}}
            signature: {{lieu: "{nom}"}}
            signataires:
              - {{partie: etat, qualite: Le préfet}}
              - {{partie: collectivite, qualite: "Le maire de {nom}"}}
            volets:
              - volet: securite
                clauses:
                  - etat-securite-renfort-effectifs-police-nationale
                  - id: essai-quantites
                    titre: Engagements chiffrés
                    partie: {partie}
                    texte: |
            """
        )
        + text
        + "        parametres:\n"
        + declarations
        + "        valeurs:\n"
        + values
        + "        indicateurs:\n"
        + indicators
        + "socle_ecarte:\n"
        + aside
    )


def write(tmp_path, text: str):
    path = tmp_path / "essai.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def contract(tmp_path, library):
    return csi_docgen.contract_from(write(tmp_path, profile_text(library)), library)


def article_text(contract) -> str:
    article = contract.article_for("essai-quantites")
    return " ".join(b.text for b in article.blocks).replace(f"{NBSP}:", " :")


def test_each_type_prints_in_french(contract):
    text = article_text(contract)
    assert "ETP : 5,5 ETP." in text
    assert f"Part : 20{NBSP}%." in text
    assert "Postes : entre 40 et 90 postes." in text
    assert "Recrutements : trente-trois (33) policiers municipaux en 2021 et trente-sept (37) en 2022." in text
    assert "Effectifs : de douze (12) agents en 2021 à vingt-cinq (25) en 2023 puis soixante (60) en 2026." in text
    assert "Caméras : une centaine de caméras." in text
    assert f"Soutien : 100{NNBSP}000{NBSP}€ par an de 2021 à 2023." in text
    # A value that starts a sentence is capitalised by « majuscule ».
    assert "Trente-trois (33) policiers municipaux en 2021" in text
    assert "Trente-trois (33) policiers municipaux en 2021" in " ".join(contract.text().split())


def test_indicator_rows_show_the_tied_reference_and_target(contract):
    rows = {r.indicateur: r for r in contract.indicators if r.clause_id == "essai-quantites"}
    assert (rows["Effectif de la police municipale"].reference, rows["Effectif de la police municipale"].cible) == ("12 (2021)", "60 (2026)")
    assert (rows["Postes de TIG ouverts"].reference, rows["Postes de TIG ouverts"].cible) == ("", "40 à 90")
    assert (rows["Réunions"].reference, rows["Réunions"].cible) == ("", "")


def test_yearly_amount_over_three_years_adds_up(contract):
    [row] = [r for r in contract.funding if r.article == contract.article_for("essai-quantites").number]
    assert (row.partie, row.annee, row.annuel, row.montant) == ("État", "2021-2023", 100000, 300000)
    annex = next(a for a in contract.annexes if a.kind == "financement")
    assert annex.table.rows[0][2:] == ("État", "2021-2023 (3 ans)", f"100{NNBSP}000{NBSP}€", f"300{NNBSP}000{NBSP}€")
    assert ("", "Total général", "", "", "", f"300{NNBSP}000{NBSP}€") in annex.table.total_rows


def test_amounts_per_year_give_one_row_per_year(tmp_path, library):
    values = VALUES.replace("soutien: {par_an: 100000, debut: 2021, fin: 2023}", "soutien: {2021: 100000, 2022: 120000, 2023: 80000}")
    contract = csi_docgen.contract_from(write(tmp_path, profile_text(library, values=values)), library)
    assert [(r.partie, r.annee, r.montant) for r in contract.funding] == [("État", "2021", 100000), ("État", "2022", 120000), ("État", "2023", 80000)]
    annex = next(a for a in contract.annexes if a.kind == "financement")
    assert annex.table.total_rows[0] == ("", "Total", "État", "", "", f"300{NNBSP}000{NBSP}€")
    assert f"Soutien : 100{NNBSP}000{NBSP}€ en 2021, 120{NNBSP}000{NBSP}€ en 2022 et 80{NNBSP}000{NBSP}€ en 2023." in article_text(contract)


def test_profile_apostrophes_read_like_the_clause_text(contract):
    text = contract.text()
    assert "L'Isle" not in text
    assert "la commune de L’Isle-d’Abeau" in text
    assert "Fait à L’Isle-d’Abeau" in text
    assert "Le maire de L’Isle-d’Abeau" in text


def problems(tmp_path, library, text):
    path = write(tmp_path, text)
    with pytest.raises(InvalidInput) as info:
        csi_docgen.contract_from(path, library)
    return [(i.line, i.message, i.hint or "") for i in info.value.issues]


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        ("cameras: {environ: 100}", "cameras: 5.5", "cameras: 5.5", "nombre entier attendu, reçu « 5.5 » (un nombre décimal"),
        ("postes: {min: 40, max: 90}", "postes: {min: 90, max: 40}", "postes: {min: 90", "« min » (90) dépasse « max » (40)"),
        ("recrutements: {2021: 33, 2022: 37}", "recrutements: {2021: 33, 2029: 37}", "recrutements: {2021: 33, 2029", "année 2029 hors de la période du contrat (2021-2026)"),
        (
            "cible: {annee: 2026, valeur: 60}}",
            "cible: {annee: 2020, valeur: 60}}",
            "effectifs: {reference",
            "l'année de la cible (2020) doit suivre celle de la référence (2021)",
        ),
        ("recrutements: {2021: 33, 2022: 37}", "recrutements: 33", "recrutements: 33", "échéancier (année: quantité) attendu sous la forme {2021: 33, 2022: 37}"),
        ("effectifs: {reference: {annee: 2021, valeur: 12}, etapes: {2023: 25}, cible: {annee: 2026, valeur: 60}}", "effectifs: 60", "effectifs: 60", "trajectoire attendu sous la forme {reference: {annee: 2021, valeur: 12}, etapes: {2023: 25}, cible: {annee: 2026, valeur: 60}}"),
        ("soutien: {par_an: 100000, debut: 2021, fin: 2023}", "soutien: {par_an: 100000, debut: 2021, fin: 2030}", "soutien: {par_an", "année 2030 hors de la période du contrat"),
    ],
)
def test_bad_values_get_french_errors_at_their_line(tmp_path, library, old, new, needle, message):
    text = profile_text(library)
    assert old in text
    text = text.replace(old, new, 1)
    found = problems(tmp_path, library, text)
    assert any(line == line_of(text, needle) and message in msg for line, msg, _ in found), found


def test_amount_of_a_joint_commitment_without_funder_is_refused_at_its_line(tmp_path, library):
    declarations = DECLARATIONS.replace("soutien: {type: montant, description: Soutien de l'État, financeur: etat}", "soutien: {type: montant, description: Soutien}")
    text = profile_text(library, declarations=declarations, partie="commun")
    found = problems(tmp_path, library, text)
    assert [(line, msg) for line, msg, _ in found] == [
        (line_of(text, "soutien: {type: montant"), "paramètre « soutien » : montant d'un engagement commun sans « financeur »")
    ]


def test_library_clause_amount_of_a_joint_commitment_needs_a_funder(library_copy):
    from csi_docgen.clauses import check_library

    path = library_copy / "commun" / "radicalisation" / "commun-radicalisation-citoyennete-associations.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    financeur: etat\n", "", 1), encoding="utf-8")
    _, issues = check_library(library_copy)
    errors = [i for i in issues if i.severity == "erreur"]
    assert [(i.line, i.message) for i in errors] == [(12, "paramètre « soutien_etat » : montant d'un engagement commun sans « financeur »")]


def test_inline_value_under_parametres_says_where_it_belongs(tmp_path, library):
    text = profile_text(library).replace("          etp: {type: nombre,", "          effectif: 12\n          etp: {type: nombre,", 1)
    found = problems(tmp_path, library, text)
    assert found == [
        (
            line_of(text, "effectif: 12"),
            "« effectif » : une valeur sous « parametres », qui déclare les paramètres de la clause",
            "déclarez-le sous « parametres » (« effectif: {type: entier, description: …} ») et donnez sa valeur sous « valeurs » (« valeurs: {effectif: 12} »)",
        )
    ]


def test_inline_missing_value_points_to_valeurs(tmp_path, library):
    text = profile_text(library, values=VALUES.replace("          part: 20\n", ""))
    found = problems(tmp_path, library, text)
    assert len(found) == 1
    _, message, hint = found[0]
    assert message.startswith("valeur obligatoire « part » absente pour la clause « essai-quantites »")
    assert hint.startswith("ajoutez « valeurs: {part: …} » sous la clause")


def test_inline_unknown_value_says_to_declare_it(tmp_path, library):
    text = profile_text(library, values=VALUES + "          budget_total: 12\n")
    found = problems(tmp_path, library, text)
    assert [(m, h.split(",")[0]) for _, m, h in found] == [
        ("valeur « budget_total » inconnue pour la clause « essai-quantites »", "déclarez-le sous « parametres » de la clause (type et description)")
    ]


# --- the examples: every figure an article states is in its indicator rows -------------------

FIGURE = re.compile(r"\((\d[\d\u202f]*)\)|(\d[\d\u202f]*)\u00a0€")


@pytest.mark.parametrize("name", ["bourges", "clermont-ferrand"])
def test_examples_indicator_annex_shows_every_figure_the_articles_state(library, name):
    from conftest import EXAMPLES

    contract = csi_docgen.contract_from(EXAMPLES / f"{name}.yaml", library)
    checked = 0
    for article in contract.articles:
        if article.clause_id is None:
            continue
        text = " ".join(b.text if hasattr(b, "text") else " ".join(b.item_texts()) for b in article.blocks)
        figures = {"".join(m.groups("")).replace("\u202f", "") for m in FIGURE.finditer(text)}
        if not figures:
            continue
        rows = [r for r in contract.indicators if r.article == article.number]
        stated = " ".join(f"{r.reference} {r.cible}".replace("\u202f", "") for r in rows)
        for figure in figures:
            checked += 1
            assert re.search(rf"(?<!\d){figure}(?!\d)", stated), (article.number, article.title, figure, [(r.indicateur, r.reference, r.cible) for r in rows])
    assert checked >= (1 if name == "bourges" else 4)  # Clermont: +6 PN, 250 000 €, +12 PM, 3 ISCG
    annex = next(a for a in contract.annexes if a.kind == "indicateurs")
    assert any(row[5] != "—" for row in annex.table.rows)


# --- the documentation's examples, executed ------------------------------------------------

DOC_ROW = re.compile(r"^\| `(\w+)` \| `(\{.*?\})` \| `(.+?)` \| « (.+) » \|$", re.M)
DOCUMENTS = ["README.md", "clauses/README.md", "examples/README.md"]


def doc_rows(name: str) -> list[tuple[str, str, str, str]]:
    from conftest import REPO

    return DOC_ROW.findall((REPO / name).read_text(encoding="utf-8"))


def plain(text: str) -> str:
    return text.replace(NNBSP, " ").replace(NBSP, " ")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_type_is_documented_with_an_example_that_prints_as_shown(tmp_path, library, name):
    rows = doc_rows(name)
    assert {t for t, *_ in rows} >= {"entier", "nombre", "pourcentage", "fourchette", "echeancier", "trajectoire", "montant"}
    assert any("plus_de" in v or "environ" in v for _, _, v, _ in rows), "approximation"
    assert any("par_an" in d or "par_an" in v for _, d, v, _ in rows) and any("financeurs" in v for _, _, v, _ in rows)
    clauses = "".join(
        f"""\
      - id: doc-{i}
        titre: Exemple {i}
        partie: etat
        texte: "Valeur : {{{{ x }}}}."
        parametres:
          x: {{type: {kind}, description: Exemple, {decl[1:-1]}}}
        valeurs:
          x: {value}
"""
        for i, (kind, decl, value, _) in enumerate(rows)
    )
    text = profile_text(library).replace("      - id: essai-quantites\n", clauses + "      - id: essai-quantites\n", 1)
    contract = csi_docgen.contract_from(write(tmp_path, text), library)
    for i, (_, _, _, expected) in enumerate(rows):
        printed = plain(contract.article_for(f"doc-{i}").blocks[0].text)  # the budget reserve follows an amount
        assert printed == f"Valeur : {expected}.", (name, i)


def test_co_financing_shares_cut_the_amount_and_total_per_funder(tmp_path, library):
    values = VALUES.replace("soutien: {par_an: 100000, debut: 2021, fin: 2023}", "soutien: {montant: 250000, financeurs: {etat: 60, collectivite: 40}}")
    contract = csi_docgen.contract_from(write(tmp_path, profile_text(library, values=values)), library)
    assert [(r.partie, r.part, r.montant) for r in contract.funding] == [("État", f"60{NBSP}%", 150000), ("La commune", f"40{NBSP}%", 100000)]
    annex = next(a for a in contract.annexes if a.kind == "financement")
    assert [row[2] for row in annex.table.rows] == [f"État (60{NBSP}%)", f"La commune (40{NBSP}%)"]
    assert [row[1:3] + row[5:] for row in annex.table.total_rows] == [
        ("Total", "État", f"150{NNBSP}000{NBSP}€"),
        ("Total", "La commune", f"100{NNBSP}000{NBSP}€"),
        ("Total général", "", f"250{NNBSP}000{NBSP}€"),
    ]
    assert f"Soutien : 250{NNBSP}000{NBSP}€." in article_text(contract)


def test_apostrophes_in_the_header_title_and_the_file_name_stays(tmp_path, library):
    from csi_docgen.api import default_output

    contract = csi_docgen.contract_from(write(tmp_path, profile_text(library)), library)
    assert contract.collectivite == "L’Isle-d’Abeau"
    assert default_output(contract).name == "CSI-l-isle-d-abeau-2021-2026.docx"


def test_two_equal_years_read_autant_and_three_read_par_an(tmp_path, library):
    values = VALUES.replace("recrutements: {2021: 33, 2022: 37}", "recrutements: {2021: 15, 2022: 15}")
    contract = csi_docgen.contract_from(write(tmp_path, profile_text(library, values=values)), library)
    assert "Recrutements : quinze (15) policiers municipaux en 2021 et autant en 2022." in article_text(contract)
    values = VALUES.replace("recrutements: {2021: 33, 2022: 37}", "recrutements: {2021: 20, 2022: 20, 2023: 20}")
    contract = csi_docgen.contract_from(write(tmp_path, profile_text(library, values=values)), library)
    assert "Recrutements : vingt (20) policiers municipaux par an de 2021 à 2023." in article_text(contract)


def test_a_calendar_given_to_an_entier_says_which_type_it_needs(tmp_path, library):
    text = profile_text(library).replace("cameras: {environ: 100}", "cameras: {2021: 10, 2022: 12}")
    found = problems(tmp_path, library, text)
    assert [(line, msg) for line, msg, _ in found] == [
        (
            line_of(text, "cameras: {2021"),
            "paramètre « cameras » : nombre entier attendu, reçu un échéancier : ce paramètre de la clause est de type « entier » "
            "(un nombre, ou une approximation comme {environ: 100}) ; un échéancier demande un paramètre déclaré « type: echeancier »",
        )
    ]


def test_a_figure_with_no_break_spaces_is_one_word_for_the_column_widths():
    from csi_docgen.docx.tables import CHAR, column_widths

    amount = f"250{NNBSP}000{NBSP}€"
    widths = column_widths(("Cible", "Source"), [(amount, "Préfecture " * 20)], 10_000)
    assert widths[0] >= len(amount) * CHAR
