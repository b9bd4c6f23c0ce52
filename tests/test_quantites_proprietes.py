"""Property tests (hypothesis): each figure type prints in French and reads back to the same value.

For random values of every type, one contract is built from a profile
(YAML, as a drafter writes it); the printed form is parsed back — figures,
words (num2words), years — in ``contract.text()`` and in the .docx read back
by python-docx, and must give the value that was written. The .docx passes
openxml-audit.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from num2words import num2words

import csi_docgen
from test_quantites import profile_text

NNBSP = "\u202f"
NBSP = "\u00a0"

DECLARATIONS = """\
          etp: {type: entier, description: Entier}
          etp2: {type: nombre, description: ETP, unite: ETP, unite_singulier: ETP}
          part: {type: pourcentage, description: Part}
          postes: {type: fourchette, description: Postes, unite: postes, unite_singulier: poste}
          recrutements: {type: echeancier, description: Recrutements, unite: agents, unite_singulier: agent}
          effectifs: {type: trajectoire, description: Effectif, unite: agents, unite_singulier: agent}
          cameras: {type: entier, description: Caméras, unite: caméras, unite_singulier: caméra, genre: f}
          soutien: {type: montant, description: Soutien, financeur: etat}
"""
TEXT = """\
          ETP : {{ etp2 }}.

          Part : {{ part }}.

          Postes : {{ postes }}.

          Recrutements : {{ recrutements }}.

          Effectifs : {{ effectifs }}.

          Caméras : {{ cameras }}.

          Soutien : {{ soutien }}.

          Entier : {{ etp }}.
"""
INDICATORS = """\
          - id: effectif
            libelle: Effectif
            unite: agents
            periodicite: annuelle
            source: Mairie
            reference: "{{ effectifs.reference.valeur | nombre }}"
            cible: "{{ effectifs.cible.valeur | nombre }}"
"""

YEARS = st.integers(2021, 2026)
COUNTS = st.integers(0, 99_999)
DECIMALS = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)
APPROX_FORMS = ("environ", "pres_de", "plus_de", "moins_de", "au_moins")
APPROX_NOUNS = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
                "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000}


@st.composite
def trajectories(draw):
    start = draw(st.integers(2015, 2024))
    end = draw(st.integers(start + 1, 2030))
    steps = draw(st.lists(st.integers(start + 1, end - 1), unique=True, max_size=3)) if end - start > 1 else []
    return {
        "reference": {"annee": start, "valeur": draw(COUNTS)},
        "etapes": {year: draw(COUNTS) for year in sorted(steps)},
        "cible": {"annee": end, "valeur": draw(COUNTS)},
    }


VALUES = st.fixed_dictionaries(
    {
        "etp": COUNTS,
        "etp2": DECIMALS,
        "part": st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
        "postes": st.tuples(COUNTS, COUNTS).map(sorted),
        "recrutements": st.dictionaries(YEARS, st.one_of(COUNTS, st.just(15)), min_size=1),
        "effectifs": trajectories(),
        "cameras": st.tuples(st.sampled_from(APPROX_FORMS), st.sampled_from(sorted(APPROX_NOUNS.values()) + [7, 37, 1250])),
        "soutien": st.dictionaries(YEARS, st.integers(0, 10_000_000), min_size=1),
    }
)


@functools.lru_cache(maxsize=1)
def _library():
    return csi_docgen.load_library()


def _yaml(values: dict) -> str:
    flow = {
        **values,
        "etp2": str(values["etp2"]),
        "part": str(values["part"]),
        "postes": {"min": values["postes"][0], "max": values["postes"][1]},
        "cameras": {values["cameras"][0]: values["cameras"][1]},
    }
    return "".join(f"          {name}: {json.dumps(value, default=str)}\n" for name, value in flow.items())


def number(text: str) -> Decimal:
    return Decimal(text.replace(NNBSP, "").replace(",", "."))


def counted(words: str, figure: str) -> int:
    """« trente-trois (33) » → 33, after checking the words are num2words' for the figure."""
    value = int(number(figure))
    assert words == num2words(value, lang="fr"), (words, figure)
    return value


COUNT = r"([a-zé\- ]+?) \(([\d\u202f]+)\)"


def read_back(text: str) -> dict:
    """The values, parsed from the French text of the clause (one paragraph per value)."""
    def line(label: str) -> str:
        match = re.search(rf"{label}{NBSP}: (.*)\.$", text, re.M)
        assert match, (label, text)
        return match.group(1)

    found: dict = {}
    found["etp2"] = number(re.fullmatch(r"([\d\u202f,]+) ETP", line("ETP")).group(1))
    found["etp"] = int(number(line("Entier")))
    found["part"] = number(re.fullmatch(rf"([\d\u202f,]+){NBSP}%", line("Part")).group(1))
    low, high = re.fullmatch(r"entre ([\d\u202f,]+) et ([\d\u202f,]+) postes?", line("Postes")).groups()
    found["postes"] = [int(number(low)), int(number(high))]
    recrutements = line("Recrutements")
    constant = re.fullmatch(rf"{COUNT} agents? par an de (\d{{4}}) à (\d{{4}})", recrutements)
    if constant:
        words, figure, start, end = constant.groups()
        found["recrutements"] = {year: counted(words, figure) for year in range(int(start), int(end) + 1)}
    else:
        pieces = re.findall(rf"(?:^|, | et )(?:{COUNT}(?: agents?)?|autant) en (\d{{4}})", recrutements)
        assert pieces, recrutements
        found["recrutements"] = {}
        previous = None
        for words, figure, year in pieces:
            # « autant en 2022 »: the same quantity as the year before
            previous = previous if not figure else counted(words, figure)
            found["recrutements"][int(year)] = previous
    steps = re.findall(rf"(?:^de | à | puis ){COUNT}(?: agents?)? en (\d{{4}})", line("Effectifs"))
    points = [(int(year), counted(words, figure)) for words, figure, year in steps]
    found["effectifs"] = {
        "reference": {"annee": points[0][0], "valeur": points[0][1]},
        "etapes": dict(points[1:-1]),
        "cible": {"annee": points[-1][0], "valeur": points[-1][1]},
    }
    cameras = line("Caméras")
    noun = re.fullmatch(r"(environ |près |plus |moins |au moins )?(?:d’)?une? (\w+) de caméras", cameras)
    words_of = {"près ": "pres_de", "plus ": "plus_de", "moins ": "moins_de", "au moins ": "au_moins", None: "environ"}
    if noun:
        found["cameras"] = (words_of[noun.group(1)], APPROX_NOUNS[noun.group(2)])
    else:
        form, words, figure = re.fullmatch(rf"(environ|près de|plus de|moins de|au moins) {COUNT} caméras?", cameras).groups()
        found["cameras"] = (form.replace("près de", "pres_de").replace("plus de", "plus_de").replace("moins de", "moins_de").replace("au moins", "au_moins"), counted(words.replace("une", "un"), figure))
    found["soutien"] = {int(y): int(number(a)) for a, y in re.findall(rf"([\d\u202f]+){NBSP}€ en (\d{{4}})", line("Soutien"))}
    return found


def expected(values: dict) -> dict:
    return {
        **values,
        "etp2": Decimal(values["etp2"]),
        "part": Decimal(values["part"]),
        "postes": list(values["postes"]),
        "effectifs": {**values["effectifs"], "etapes": dict(values["effectifs"]["etapes"])},
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
def test_every_type_round_trips_through_text_and_docx(values):
    from openxml_audit import OpenXmlValidator

    library = _library()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "essai.yaml"
        path.write_text(profile_text(library, declarations=DECLARATIONS, values=_yaml(values), text=TEXT, indicators=INDICATORS), encoding="utf-8")
        contract = csi_docgen.contract_from(path, library)
        article = contract.article_for("essai-quantites")
        in_model = "\n".join(b.text for b in article.blocks)
        assert read_back(in_model) == expected(values)
        # text() wraps its paragraphs: unwrap them, then read the values again.
        unwrapped = "\n".join(" ".join(p.split("\n")) for p in contract.text().split("\n\n"))
        assert read_back(unwrapped[unwrapped.index("ETP\u00a0:") :]) == expected(values)
        output = Path(folder) / "essai.docx"
        contract.to_docx(output)
        paragraphs = [p.text for p in docx.Document(str(output)).paragraphs]
        start = paragraphs.index(next(p for p in paragraphs if p.startswith("ETP")))
        assert read_back("\n".join(paragraphs[start : start + 8])) == expected(values)
        result = OpenXmlValidator().validate(str(output))
        assert (result.error_count, result.warning_count) == (0, 0), [e.description for e in result.errors]
    # The indicator row carries the trajectory's reference and target.
    [row] = [r for r in contract.indicators if r.clause_id == "essai-quantites"]
    assert (number(row.reference), number(row.cible)) == (values["effectifs"]["reference"]["valeur"], values["effectifs"]["cible"]["valeur"])
    # The funding annex adds the yearly amounts up.
    assert sum(r.montant for r in contract.funding if r.article == article.number) == sum(values["soutien"].values())
