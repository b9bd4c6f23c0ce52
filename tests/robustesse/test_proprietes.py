"""Property-based tests (hypothesis): any value survives verbatim; nothing but CsiError ever escapes.

* any text placed in a ``texte`` or ``liste`` parameter comes out verbatim in
  ``contract.text()`` and in the .docx read back by python-docx (after
  dropping the characters a .docx cannot hold and normalising whitespace:
  newlines in a value become spaces, the text view wraps lines);
* arbitrary values at arbitrary places of a profile, and arbitrary YAML
  text, give a contract or a ``CsiError`` — never another exception;
* every document written opens in python-docx.

Example counts are kept small (the whole file runs in a few seconds); for a
deeper search multiply them: ``CSI_HYPOTHESIS_FACTEUR=20 pytest tests/robustesse``.
"""

from __future__ import annotations

import copy
import functools
import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import csi_docgen
from csi_docgen import french
from csi_docgen.api import build
from csi_docgen.errors import CsiError, InvalidInput
from outils_robustesse import base_dict, base_profile, expected_literal, in_context, normalised, replaced, reread, socle_ids, writer_or_skip

FACTOR = int(os.environ.get("CSI_HYPOTHESIS_FACTEUR", "1"))


def examples(count: int) -> int:
    return count * FACTOR

COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Any text without surrogates (they cannot be in a UTF-8 file), of a reasonable size.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=120)


@functools.lru_cache(maxsize=1)
def _base() -> dict:
    return base_dict()


@functools.lru_cache(maxsize=1)
def _library():
    """The shipped library (not the fixture: hypothesis would print it with each example)."""
    return csi_docgen.load_library()


@functools.lru_cache(maxsize=1)
def _small() -> dict:
    """Two clauses only (the other socle measures set aside): fast to assemble."""
    profile = copy.deepcopy(_base())
    kept = profile["volets"][0]["clauses"][:2]
    profile["volets"][0]["clauses"] = kept
    profile["socle_ecarte"] = [
        {"id": cid, "motif": "Hors du champ de ce test"} for cid in socle_ids() if cid not in {c["id"] for c in kept}
    ]
    profile["annexes"] = {"generees": ["clauses"]}
    return profile


def profile_with(presence=None, zones=None, public=None) -> dict:
    profile = copy.deepcopy(_small())
    params = profile["volets"][0]["clauses"][1]["parametres"]
    if presence is not None:
        params["presence_renforcee"] = presence
    if zones is not None:
        params["zones_patrouille"] = zones
    if public is not None:
        profile["volets"][-1]["clauses"][0]["valeurs"]["public"] = public
    return profile


def printable(value: str) -> bool:
    """A value that is still a non-empty text once the characters Word refuses are gone."""
    return bool(french.clean_text(value))


@settings(max_examples=examples(80), **COMMON)
@given(value=TEXT)
def test_texte_parameter_survives_verbatim(value):
    library = _library()
    profile = profile_with(presence=value, public=value)
    if not printable(value):
        with pytest.raises(InvalidInput, match="texte vide"):
            csi_docgen.contract_from(profile, library)
        return
    contract = csi_docgen.contract_from(profile, library)
    assert in_context("notamment ", value, ".") in normalised(contract.text())
    custom = contract.article_for("exempleville-errance")
    assert in_context("accompagnent ", value, ".") in normalised(custom.blocks[0].text)


@settings(max_examples=examples(60), **COMMON)
@given(items=st.lists(TEXT, min_size=1, max_size=5))
def test_liste_parameter_survives_verbatim(items):
    library = _library()
    profile = profile_with(zones=items)
    if not all(printable(i) for i in items):
        with pytest.raises(InvalidInput, match="texte vide"):
            csi_docgen.contract_from(profile, library)
        return
    contract = csi_docgen.contract_from(profile, library)
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]
    assert in_context("secteurs suivants\u00a0: ", joined, ".") in normalised(contract.text())


def yaml_double_quoted(value: str) -> str:
    """A YAML double-quoted scalar holding exactly ``value`` (every non-ASCII character escaped)."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


@settings(max_examples=examples(60), **COMMON)
@given(value=TEXT)
def test_value_written_in_a_yaml_file_survives_verbatim(tmp_path_factory, value):
    library = _library()
    assume(printable(value))
    folder = tmp_path_factory.mktemp("yaml")
    path = folder / "p.yaml"
    path.write_text(replaced("presence_renforcee: en soirée", f"presence_renforcee: {yaml_double_quoted(value)}"), encoding="utf-8")
    contract = csi_docgen.contract_from(path, library)
    assert in_context("notamment ", value, ".") in normalised(contract.text())


@settings(max_examples=examples(25), **COMMON)
@given(value=TEXT, items=st.lists(TEXT, min_size=1, max_size=3))
def test_docx_holds_the_value_and_always_opens(tmp_path_factory, value, items):
    library = _library()
    writer_or_skip()
    assume(printable(value) and all(printable(i) for i in items))
    target = tmp_path_factory.mktemp("docx") / "contrat.docx"
    result = build(profile_with(presence=value, zones=items), target, library=library)
    text = normalised(reread(target))
    assert expected_literal(value) in text
    for item in items:
        assert expected_literal(item) in text
    assert result.sha256


# --- nothing but CsiError --------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
    st.sampled_from(["", "0", "-1", "1e999", "2021-02-30", "99999", "oui", "null", "{{ 7*7 }}", "../x.docx", "/etc/passwd"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)

PLACES = [
    ("collectivite",), ("collectivite", "nom"), ("collectivite", "type"), ("collectivite", "sujet"),
    ("collectivite", "communes_membres"), ("collectivite", "code_insee"), ("periode",), ("periode", "debut"),
    ("periode", "fin"), ("signature", "date"), ("signature", "exemplaires"), ("signature", "lieu"),
    ("signataires",), ("signataires", 0), ("signataires", 0, "partie"), ("signataires", 1, "nom"), ("visas",),
    ("preambule",), ("volets",), ("volets", 0), ("volets", 0, "volet"), ("volets", 0, "clauses"),
    ("volets", 0, "clauses", 0), ("volets", 0, "clauses", 0, "parametres"),
    ("volets", 0, "clauses", 0, "parametres", "cameras_par_an"), ("volets", 0, "clauses", 1, "parametres", "zones_patrouille"),
    ("volets", 0, "clauses", 1, "indicateurs"), ("volets", -1, "clauses", 0, "texte"), ("volets", -1, "clauses", 0, "valeurs"),
    ("volets", -1, "clauses", 0, "parametres"), ("volets", -1, "personnalise"), ("socle_ecarte",), ("annexes",),
    ("annexes", "generees"), ("annexes", "externes"), ("options",), ("options", "sommaire"), ("inconnue",),
]


def _put(profile: dict, place: tuple, value) -> None:
    node = profile
    for key in place[:-1]:
        node = node[key]
    if isinstance(node, list) and isinstance(place[-1], int):
        node[place[-1]] = value
    else:
        node[place[-1]] = value


@settings(max_examples=examples(120), **COMMON)
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), VALUES), min_size=1, max_size=3))
def test_any_profile_gives_a_contract_or_a_csi_error(changes):
    library = _library()
    profile = copy.deepcopy(_base())
    for place, value in changes:
        try:
            _put(profile, place, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced the parent
    try:
        contract = csi_docgen.contract_from(profile, library)
    except CsiError as exc:
        assert str(exc)
        assert exc.exit_code == 1
    else:
        assert not french.has_illegal_chars(contract.text())


YAMLISH = st.text(st.sampled_from(list("abc:-[]{}#&*!|>'\"%@`,?~ \n\t\\0123456789éà\x00\x0b\ufeff")), max_size=200)


@settings(max_examples=examples(150), **COMMON)
@given(text=st.one_of(YAMLISH, st.text(max_size=200), st.builds(lambda s: base_profile()[: len(s) * 7], TEXT)))
def test_any_file_gives_issues_or_a_csi_error(tmp_path_factory, text):
    library = _library()
    path = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    verdict = csi_docgen.check_profile(path, library)  # never raises on a file's content
    assert verdict.valid or verdict.errors
    assert all(str(i).startswith(str(path)) for i in verdict.errors)
