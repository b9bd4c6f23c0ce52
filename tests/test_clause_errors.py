"""Broken clause files: one French message per kind of error, with file and line."""

import pytest

from csi_docgen.clauses import check_library, load_library
from csi_docgen.errors import InvalidInput

DECLARATIONS = """
volets:
  securite: Sécurité intérieure
  justice: Justice
parties:
  etat: Engagements de l'État
  collectivite: "Engagements {collectivite}"
sources:
  circulaire: Circulaire n° 6258/SG du 16 avril 2021
"""

GOOD = """
---
id: etat-securite-exemple
titre: Exemple
volet: securite
partie: etat
socle: false
source:
  document: circulaire
  reference: annexe, mesure 1
version: 1
parametres:
  effectif:
    type: entier
    description: Effectif
    min: 1
    unite: policiers
    facultatif: true
---
L'État s'engage à agir.
{% if effectif %}
Il affecte {{ effectif | quantite }}.
{% endif %}
"""


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


CASES = [
    ("yaml", broken("titre: Exemple", "titre: Exemple: deux"), 3,
     "YAML mal formé : deux-points inattendu (une valeur contenant « : » doit être entre guillemets) (vérifiez l'indentation et les « : » de cette ligne ou de la précédente)"),
    ("cle-absente", broken("titre: Exemple\n", ""), 2, "clé obligatoire « titre » absente"),
    ("cle-inconnue", broken("titre:", "tritre:"), 3, "clé inconnue « tritre » (vouliez-vous dire « titre » ?)"),
    ("volet", broken("volet: securite", "volet: securit"), 4,
     "volet « securit » inconnu de bibliotheque.yaml (vouliez-vous dire « securite » ?)"),
    ("partie", broken("partie: etat", "partie: etta"), 5,
     "partie « etta » inconnue de bibliotheque.yaml (vouliez-vous dire « etat » ?)"),
    ("parametre-non-declare", broken("{{ effectif | quantite }}", "{{ efectif | quantite }}"), 21,
     "« efectif » n'est pas un paramètre déclaré dans l'en-tête (vouliez-vous dire « effectif » ?)"),
    ("parametre-inutilise", broken("{% if effectif %}\nIl affecte {{ effectif | quantite }}.\n{% endif %}", ""), 12,
     "paramètre « effectif » déclaré mais jamais employé dans le texte (employez {{ effectif }} dans le texte ou retirez la déclaration)"),
    ("jinja", broken("{% endif %}", "{% endfi %}"), 22, None),
    ("defaut", broken("facultatif: true", "defaut: douze"), 17,
     "paramètre « effectif » : valeur par défaut invalide : nombre entier attendu, reçu « douze »"),
    ("filtre", broken("| quantite", "| quantité"), 21, None),
    ("type", broken("type: entier", "type: entiers"), 13, None),
    ("socle", broken("socle: false", "socle: peut-être"), 6, "« socle » : oui ou non attendu (true / false), reçu « peut-être »"),
    ("sans-en-tete", GOOD.replace("---\n", "", 1), 1, None),
]


@pytest.mark.parametrize("name, text, line, message", CASES, ids=[c[0] for c in CASES])
def test_broken_clause_is_reported_with_file_and_line(make_tree, name, text, line, message):
    root = make_tree({"bibliotheque.yaml": DECLARATIONS, f"etat/{name}.md": text})
    library, issues = check_library(root)
    assert library is None
    errors = [i for i in issues if i.severity == "erreur"]
    assert errors, name
    assert all(i.path == f"lib/etat/{name}.md" for i in errors)
    if message:
        shown = {str(i).split(" : ", 1)[1]: i.line for i in errors}
        assert message in shown, shown
        assert shown[message] == line
    else:
        assert errors[0].line == line, str(errors[0])


def test_unknown_filter_is_named(make_tree):
    root = make_tree({"bibliotheque.yaml": DECLARATIONS, "etat/a.md": broken("| quantite", "| quantites")})
    _, issues = check_library(root)
    assert "filtre « quantites » inconnu (vouliez-vous dire « quantite » ?)" in str(issues[0])


def test_duplicate_id_names_both_files(make_tree):
    root = make_tree({"bibliotheque.yaml": DECLARATIONS, "etat/a.md": GOOD, "etat/b.md": GOOD})
    _, issues = check_library(root)
    assert len(issues) == 1
    assert str(issues[0]) == "lib/etat/b.md:2 : identifiant « etat-securite-exemple » déjà employé par lib/etat/a.md (chaque clause a un identifiant unique)"


def test_all_errors_of_a_library_come_together(make_tree):
    root = make_tree(
        {
            "bibliotheque.yaml": DECLARATIONS,
            "etat/a.md": broken("volet: securite", "volet: x"),
            "etat/b.md": broken("titre: Exemple", "titre: Exemple: deux").replace("etat-securite-exemple", "etat-b"),
            "etat/c.md": broken("{% endif %}", "").replace("etat-securite-exemple", "etat-c"),
        }
    )
    with pytest.raises(InvalidInput) as info:
        load_library(root)
    assert sorted(i.path for i in info.value.issues) == ["lib/etat/a.md", "lib/etat/b.md", "lib/etat/c.md"]


def test_latin1_clause_file_is_refused_clearly(make_tree):
    root = make_tree({"bibliotheque.yaml": DECLARATIONS, "etat/a.md": GOOD.lstrip("\n").replace("L'État", "L'Etat é").encode("latin-1")})
    _, issues = check_library(root)
    assert issues[0].message == "le fichier n'est pas encodé en UTF-8"
    assert issues[0].line == 19


def test_good_clause_loads(make_tree):
    root = make_tree({"bibliotheque.yaml": DECLARATIONS, "etat/a.md": GOOD})
    library = load_library(root)
    assert list(library.clauses) == ["etat-securite-exemple"]
