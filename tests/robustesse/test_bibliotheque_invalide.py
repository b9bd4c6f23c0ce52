"""Broken clause libraries and template injection: refused at lint time, in French, with file and line.

A clause text is a Jinja template run in a sandbox; what it may do is
checked when the library loads (``verifier-clauses``, ``load_library``,
``build --clauses``): undeclared names, Jinja internals, other templates,
calls and attributes starting with « _ » are refused before anything is
rendered. The sandbox itself is checked too, by rendering hostile
templates directly: a refusal is always a ``RenderError``, never a Python
exception, and never slow.
"""

from __future__ import annotations

import time

import pytest

from csi_docgen import check_library, load_library
from csi_docgen.errors import CsiError, InvalidInput, RenderError
from outils_robustesse import assert_no_traceback, base_profile, run_cli, snapshot

DECLARATIONS = """\
volets:
  securite: Sécurité intérieure
parties:
  etat: Engagements de l'État
  collectivite: "Engagements {collectivite}"
sources:
  circulaire: Circulaire n° 6258/SG du 16 avril 2021
"""

HEADER = """\
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
"""
BODY = "L'État s'engage à agir.\n{% if effectif %}\nIl affecte {{ effectif | quantite }}.\n{% endif %}\n"
GOOD = HEADER + BODY
BODY_LINE = HEADER.count("\n") + 1  # first line of the text in the file


def broken(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def body(extra: str) -> str:
    """The good clause with one more line of text (at line BODY_LINE)."""
    return HEADER + extra + "\n" + BODY


# (case, clause file content, French message fragment, line)
CASES = [
    # --- the file ---------------------------------------------------------------------------------
    ("fichier-vide", "", "le fichier doit commencer par une ligne « --- » suivie de l'en-tête", 1),
    ("sans-en-tete", BODY, "le fichier doit commencer par une ligne « --- »", 1),
    ("en-tete-non-ferme", GOOD.replace("---\nL'État", "L'État"), "l'en-tête n'est pas fermé par une ligne « --- »", 1),
    ("en-tete-liste", "---\n- id\n- titre\n---\nTexte.\n", "l'en-tête doit être une suite de lignes « clé: valeur »", 2),
    ("en-tete-vide", "---\n---\nTexte.\n", "l'en-tête doit être une suite de lignes « clé: valeur »", 2),
    ("latin-1", broken("titre: Exemple", "titre: Exemple été").encode("latin-1"), "le fichier n'est pas encodé en UTF-8", 3),
    ("tabulation", broken("  effectif:", "\teffectif:"), "tabulation dans l'indentation", 12),
    ("yaml-mal-forme", broken("titre: Exemple", "titre: Exemple: deux"), "YAML mal formé : deux-points inattendu", 3),
    ("cle-en-double", broken("titre: Exemple\n", "titre: Exemple\ntitre: Autre\n"), "clé « titre » en double (déjà donnée ligne 3)", 4),
    ("alias", broken("titre: Exemple", "titre: &t Exemple\nreference_bis: *t"), "les alias YAML (« & » et « * ») ne sont pas acceptés", 4),
    ("etiquette", broken("titre: Exemple", "titre: !!python/object/apply:os.system [ls]"), "étiquette YAML « !!python/object/apply:os.system » non autorisée", 3),
    ("imbrication", broken("titre: Exemple", "titre: " + "[" * 100 + "]" * 100), "structure trop profondément imbriquée", 3),
    ("controle-en-tete", broken("titre: Exemple", "titre: Exem\x0bple"), "caractère de contrôle invisible", 3),
    # --- the header -------------------------------------------------------------------------------
    ("cle-obligatoire", broken("titre: Exemple\n", ""), "clé obligatoire « titre » absente", 2),
    ("cle-inconnue", broken("titre:", "tritre:"), "clé inconnue « tritre » (vouliez-vous dire « titre » ?)", 3),
    ("version-texte", broken("version: 1", "version: une"), "« version » : nombre entier attendu, reçu « une »", 10),
    ("version-absurde", broken("version: 1", "version: -7"), "« version » : valeur trop petite : au moins 1 attendu", 10),
    ("volet-inconnu", broken("volet: securite", "volet: securit"), "volet « securit » inconnu de bibliotheque.yaml (vouliez-vous dire « securite » ?)", 4),
    ("partie-inconnue", broken("partie: etat", "partie: etta"), "partie « etta » inconnue de bibliotheque.yaml", 5),
    ("type-parametre", broken("type: entier", "type: entiers"), "« type » : valeur inconnue ; valeurs possibles", 13),
    ("defaut-absurde", broken("facultatif: true", "defaut: " + "9" * 40), "valeur par défaut invalide : valeur trop grande", 17),
    # --- the text: Jinja syntax -----------------------------------------------------------------------
    ("if-non-ferme", broken("{% endif %}\n", ""), "syntaxe Jinja incorrecte : fin de texte inattendue", None),
    ("endif-orphelin", body("fin{% endif %}"), "syntaxe Jinja incorrecte : balise inconnue « endif »", BODY_LINE),
    # Jinja notices the missing « }} » on the next token, at the start of the following line.
    ("accolades-non-fermees", body("{{ effectif "), "syntaxe Jinja incorrecte : élément attendu 'fin de « }} »'", BODY_LINE + 1),
    ("raw-non-ferme", body("{% raw %}texte"), "syntaxe Jinja incorrecte : « {% raw %} » sans « {% endraw %} »", BODY_LINE),
    ("commentaire-non-ferme", body("{# note"), "syntaxe Jinja incorrecte : commentaire « {# » sans « #} »", BODY_LINE),
    ("nom-non-declare", body("{{ efectif }}"), "« efectif » n'est pas un paramètre déclaré dans l'en-tête (vouliez-vous dire « effectif » ?)", BODY_LINE),
    ("filtre-inconnu", body("{{ effectif | quantites }}"), "filtre « quantites » inconnu (vouliez-vous dire « quantite » ?)", BODY_LINE),
    ("test-inconnu", body("{% if effectif is zut %}x{% endif %}"), "test « zut » inconnu", BODY_LINE),
    ("controle-dans-le-texte", body("Texte\x00avec un nul et \ufffe"), "caractère de contrôle invisible dans le texte", BODY_LINE),
    # --- the text: template injection ------------------------------------------------------------------
    ("mro", body("{{ ''.__class__.__mro__ }}"), "accès interdit à « __class__ »", BODY_LINE),
    ("collectivite-class", body("{{ collectivite.__class__ }}"), "accès interdit à « __class__ »", BODY_LINE),
    ("import-os", body("{% import 'os' as os %}"), "balise « import » interdite dans un texte de clause", BODY_LINE),
    ("from-import", body("{% from 'os' import system %}"), "balise « from … import » interdite", BODY_LINE),
    ("include", body("{% include 'clause:etat-securite-exemple' %}"), "balise « include » interdite", BODY_LINE),
    ("extends", body("{% extends 'fixe:objet' %}"), "balise « extends » interdite", BODY_LINE),
    ("cycler-globals", body("{{ cycler.__init__.__globals__ }}"), "accès interdit à « __globals__ »", BODY_LINE),
    ("cycler-nu", body("{{ cycler }}"), "« cycler » n'est pas un paramètre déclaré", BODY_LINE),
    ("lipsum", body("{{ lipsum.__globals__['os'] }}"), "accès interdit à « __globals__ »", BODY_LINE),
    ("range", body("{{ range(100) }}"), "appel interdit dans un texte de clause", BODY_LINE),
    ("namespace", body("{{ namespace }}"), "« namespace » n'est pas un paramètre déclaré", BODY_LINE),
    ("self", body("{{ self }}"), "« self » est un nom interne de Jinja", BODY_LINE),
    ("self-contexte", body("{{ self._TemplateReference__context }}"), "accès interdit à « _TemplateReference__context »", BODY_LINE),
    ("indice-souligne", body("{{ collectivite['__class__'] }}"), "accès interdit à « __class__ »", BODY_LINE),
    ("attribut-prive", body("{{ collectivite._VOWEL }}"), "accès interdit à « _VOWEL »", BODY_LINE),
    ("filtre-attr", body("{{ collectivite | attr('__class__') }}"), "filtre « attr » inconnu", BODY_LINE),
    ("format", body("{{ '{0.__class__}'.format(collectivite) }}"), "appel interdit dans un texte de clause", BODY_LINE),
    ("methode", body("{{ collectivite.nom.upper() }}"), "appel interdit dans un texte de clause", BODY_LINE),
    ("article-globals", body("{{ article.__globals__ }}"), "accès interdit à « __globals__ »", BODY_LINE),
    ("macro-caller", body("{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}"), "appel interdit", BODY_LINE),
]


def _library_with(make_tree, name, content):
    return make_tree({"bibliotheque.yaml": DECLARATIONS, f"etat/{name}.md": content})


@pytest.mark.parametrize("case, content, fragment, line", CASES, ids=[c[0] for c in CASES])
def test_verifier_clauses_reports_file_and_line(make_tree, case, content, fragment, line):
    root = _library_with(make_tree, case, content)
    result = run_cli("verifier-clauses", root)
    assert_no_traceback(result.output)
    assert result.exit_code == 1, result.output
    shown = f"erreur : lib/etat/{case}.md:{line}" if line else f"erreur : lib/etat/{case}.md:"
    hits = [m for m in result.output.splitlines() if fragment in m]
    assert hits, result.output
    assert any(m.startswith(shown) for m in hits), (shown, hits)
    assert "erreur(s) dans la bibliothèque" in result.output


@pytest.mark.parametrize("case, content, fragment, line", CASES, ids=[c[0] for c in CASES])
def test_load_and_check_library_raise_only_csi_errors(make_tree, case, content, fragment, line):
    root = _library_with(make_tree, case, content)
    with pytest.raises(InvalidInput) as info:
        load_library(root)
    assert any(fragment in str(i) and i.path == f"lib/etat/{case}.md" for i in info.value.issues), info.value
    library, issues = check_library(root)
    assert library is None
    errors = [i for i in issues if i.severity == "erreur" and fragment in i.message + f" ({i.hint})"]
    assert errors, [str(i) for i in issues]
    if line:
        assert errors[0].line == line, str(errors[0])


def test_build_with_a_broken_library_writes_nothing(make_tree, tmp_path):
    """``build --clauses`` with an injected clause: exit 1, French message, no file."""
    root = _library_with(make_tree, "mro", body("{{ ''.__class__.__mro__ }}"))
    profile = tmp_path / "p.yaml"
    profile.write_text(base_profile(), encoding="utf-8")
    out = tmp_path / "sortie"
    result = run_cli("build", profile, "-o", out, "--clauses", root)
    assert_no_traceback(result.output)
    assert result.exit_code == 1
    assert f"erreur : lib/etat/mro.md:{BODY_LINE} : accès interdit à « __class__ »" in result.output
    assert f"{profile} : aucun contrat écrit" in result.output
    assert snapshot(out) == {}


def test_broken_declarations(make_tree):
    cases = {
        "vide": ("", "section « volets » absente ou vide"),
        "liste": ("- securite\n", "section « volets » absente ou vide"),
        "inconnue": (DECLARATIONS + "themes:\n  a: b\n", "section « themes » inconnue"),
        "latin1": (DECLARATIONS.replace("Sécurité", "Sécurité").encode("latin-1"), "le fichier n'est pas encodé en UTF-8"),
    }
    for name, (text, fragment) in cases.items():
        root = make_tree({"bibliotheque.yaml": text, "etat/a.md": GOOD}, root=f"lib-{name}")
        with pytest.raises(CsiError) as info:
            load_library(root)
        assert fragment in str(info.value), (name, str(info.value))
        assert f"lib-{name}/bibliotheque.yaml" in str(info.value)
        result = run_cli("verifier-clauses", root)
        assert result.exit_code == 1 and fragment in result.output, result.output
        assert_no_traceback(result.output)


def test_clause_file_with_a_bom_loads(make_tree):
    root = make_tree({"bibliotheque.yaml": "\ufeff" + DECLARATIONS, "etat/a.md": "\ufeff" + GOOD})
    library = load_library(root)
    assert list(library.clauses) == ["etat-securite-exemple"]
    assert run_cli("verifier-clauses", root).exit_code == 0


# --- the sandbox itself, without the lint --------------------------------------------------------------

HOSTILE = [
    # (case, template, French fragment of the RenderError)
    ("classe", "{{ collectivite.__class__ }}", "accès interdit à « __class__ »"),
    ("mro", "{{ ''.__class__.__mro__ }}", "accès interdit à « __class__ »"),
    ("globals", "{{ article.__globals__ }}", "accès interdit à « __globals__ »"),
    ("dict", "{{ collectivite.__dict__ }}", "accès interdit à « __dict__ »"),
    ("prive", "{{ collectivite._VOWEL }}", "valeur inconnue : attribut « _VOWEL » inexistant"),
    ("self-contexte", "{{ self._TemplateReference__context }}", "accès interdit à « _TemplateReference__context »"),
    ("cycler", "{{ cycler.__init__ }}", "accès interdit à « __init__ »"),
    ("cycler-nu", "{{ cycler }}", "valeur inconnue : « cycler » n'est pas défini"),
    ("range", "{{ range(10) }}", "valeur inconnue : « range » n'est pas défini"),
    ("import", "{% import 'os' as os %}", "texte impossible à produire"),
    ("multiplication", "{{ 'a' * 1000000000 }}", "texte ou liste trop long produit par « * »"),
    ("puissance", "{{ 2 ** 100000000000 }}", "puissance trop grande"),
    ("puissances", "{{ 10 ** 10 ** 10 }}", "nombre trop grand produit par « ** »"),
    ("puissance-large", "{{ 999999 ** 64 }}", "nombre trop grand produit par « ** »"),
    ("format-pourcent", "{{ '%999999999d' % 1 }}", "largeur de mise en forme trop grande"),
    ("methode-geante", "{{ 'a'.center(1000000000) }}", "appel de « center » interdit"),
    ("division", "{{ 1 // 0 }}", "calcul impossible"),
    ("inclusion-de-soi", "{% include 'hostile:inclusion-de-soi' %}", "le texte s'emploie lui-même sans fin"),
    ("attribut-absent", "{{ collectivite.inexistant }}", "valeur inconnue : attribut « inexistant » inexistant"),
]


@pytest.mark.parametrize("case, source, fragment", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_sandbox_refuses_with_a_render_error(library, case, source, fragment):
    """Rendered directly (as if the lint had been bypassed): RenderError in French, quickly."""
    from csi_docgen import french, render

    name = f"hostile:{case}"
    env = render.make_environment({name: render.TemplateSource(name, source, f"hostile/{case}.md")})
    context = {"collectivite": french.designation("Exempleville", "commune"), "article": lambda ref: "1"}
    start = time.perf_counter()
    try:
        blocks = render.render_markdown_template(env, name, context, f"hostile/{case}.md")
    except RenderError as exc:
        assert exc.path == f"hostile/{case}.md"
        if fragment:
            assert fragment in str(exc), str(exc)
    else:
        # Only a harmless text may come out (a method the sandbox allows returns a bounded string).
        assert fragment is None, blocks
        assert sum(len(b.text) for b in blocks) < 2_000_000_000
    assert time.perf_counter() - start < 2.0
