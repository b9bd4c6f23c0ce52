"""YAML reading: types left to the schema, positions kept, hazards refused."""

import pytest

from csi_docgen.errors import YamlError
from csi_docgen.yamlpos import load_yaml


def test_scalars_stay_as_typed():
    doc = load_yaml("code: 01000\nactif: NO\njour: 2024-01-05\nsiret: 12345678900012\n", "p.yaml")
    assert doc.data == {"code": "01000", "actif": "NO", "jour": "2024-01-05", "siret": "12345678900012"}


def test_positions_are_one_based_lines_and_columns():
    doc = load_yaml("a:\n  b:\n    - x\n    - y\n", "p.yaml")
    assert doc.where(("a", "b", 1)) == (4, 7)
    assert doc.key_where(("a", "b")) == (2, 3)


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("a: 1\nb: 2\na: 3\n", "clé « a » en double (déjà donnée ligne 1)", 3),
        ("a:\n\tb: 1\n", "tabulation dans l'indentation", 2),
        ("a: &x [1]\nb: *x\n", "les alias YAML (« & » et « * ») ne sont pas acceptés", 2),
        ("a: !!python/object:os.system ls\n", "étiquette YAML « !!python/object:os.system » non autorisée", 1),
        ("a: b: c\n", "YAML mal formé : deux-points inattendu (une valeur contenant « : » doit être entre guillemets)", 1),
    ],
)
def test_hazards_are_refused_with_their_line(text, message, line):
    with pytest.raises(YamlError) as info:
        load_yaml(text, "p.yaml")
    assert info.value.issue.message == message
    assert info.value.line == line
    assert str(info.value).startswith(f"p.yaml:{line}")


@pytest.mark.parametrize(
    "text, line",
    [
        ('signature:\n  lieu: "Vierzon\n  date: 2026-09-15\nsignataires:\n  - qualite: "Le maire"\n', 2),  # closed by a later quote
        ("collectivite:\n  nom: Vierzon\nsignature:\n  lieu: 'Vierzon\n  date: 2026-09-15\n", 4),  # open to the end
    ],
)
def test_an_unclosed_quote_is_named_at_the_line_that_opened_it(text, line):
    with pytest.raises(YamlError) as info:
        load_yaml(text, "p.yaml")
    assert info.value.issue.hint == (
        f"le guillemet ouvert ligne {line} est-il fermé ? Une valeur entre guillemets se ferme sur sa ligne par le même guillemet"
    )


def test_an_indentation_slip_keeps_the_indentation_hint():
    with pytest.raises(YamlError) as info:
        load_yaml("a:\n  b: 1\n c: 2\n", "p.yaml")
    assert info.value.issue.hint == "vérifiez l'indentation et les « : » de cette ligne ou de la précédente"


def test_billion_laughs_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)
    )
    with pytest.raises(YamlError, match="alias"):
        load_yaml(bomb, "bombe.yaml")
