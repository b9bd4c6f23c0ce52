"""The shipped clause library: the circulaire's whole catalogue, and sound files."""

import re
from collections import Counter
from pathlib import Path

import pytest

from csi_docgen import french, render
from csi_docgen.assembly import ContractInfo
from csi_docgen.values import sample_value

ANNEX = Path(__file__).parent / "donnees" / "annexe-circulaire.md"
VOLET_ORDER = ["securite", "justice", "prevention", "politique-ville", "education", "radicalisation"]


def annex_measures():
    """(partie, volet, rank) → bold?, read from the circulaire's annex."""
    measures = {}
    partie = volet = None
    rank = 0
    for line in ANNEX.read_text(encoding="utf-8").splitlines():
        part = re.match(r"^#+ \**(I|III)/", line)
        if part:
            partie = "etat" if part.group(1) == "I" else "collectivite"
            continue
        section = re.match(r"^#+ \**(\d)/", line)
        if section:
            volet = VOLET_ORDER[int(section.group(1)) - 1]
            rank = 0
            continue
        if line.startswith("- ") and partie:
            rank += 1
            measures[(partie, volet, rank)] = line.startswith("- **")
    return measures


def circulaire_clauses(library):
    """Clauses that are measures of the annex (the circulaire's body is cited without a rank)."""
    return [c for c in library.clauses.values() if c.header.source.document == "circulaire" and c.header.source.rang]


def test_annex_has_44_measures_and_24_socle():
    measures = annex_measures()
    assert len(measures) == 44
    assert sum(measures.values()) == 24


def test_library_holds_each_annex_measure_once_with_its_socle_flag(library):
    measures = annex_measures()
    found = {}
    for clause in circulaire_clauses(library):
        h = clause.header
        key = (h.partie, h.volet, h.source.rang)
        assert key not in found, f"{clause.id} et {found.get(key)} citent la même mesure {key}"
        found[key] = clause.id
        assert key in measures, f"{clause.id} cite une mesure absente de l'annexe : {key}"
        assert h.socle == measures[key], f"{clause.id} : socle={h.socle}, annexe en gras={measures[key]}"
    assert set(found) == set(measures)


def test_counts_per_party_and_volet(library):
    counts = Counter((c.header.partie, c.header.volet) for c in circulaire_clauses(library))
    socle = Counter((c.header.partie, c.header.volet) for c in circulaire_clauses(library) if c.header.socle)
    expected = {
        ("etat", "securite"): (5, 3), ("etat", "justice"): (2, 2), ("etat", "prevention"): (3, 3),
        ("etat", "politique-ville"): (3, 0), ("etat", "education"): (10, 0), ("etat", "radicalisation"): (1, 1),
        ("collectivite", "securite"): (7, 7), ("collectivite", "justice"): (4, 2),
        ("collectivite", "prevention"): (3, 3), ("collectivite", "politique-ville"): (2, 2),
        ("collectivite", "education"): (1, 0), ("collectivite", "radicalisation"): (3, 1),
    }
    assert {k: (counts[k], socle[k]) for k in expected} == expected
    assert len(library.socle) == 24


def test_seed_specific_clauses_are_not_socle_and_cite_their_seed(library):
    extra = [c for c in library.clauses.values() if not c.header.source.rang]
    assert len(extra) >= 20
    for clause in extra:
        assert not clause.header.socle, clause.id
        assert clause.header.source.document in ("csi-clermont-ferrand", "csi-bourges", "circulaire"), clause.id


def test_each_circulaire_clause_cites_its_rank_in_the_reference(library):
    for clause in circulaire_clauses(library):
        assert f"mesure {clause.header.source.rang}" in clause.header.source.reference, clause.id


@pytest.mark.parametrize("kind", ["commune", "metropole", "communaute-agglomeration"])
def test_every_clause_renders_clean_french(library, kind):
    collectivite = french.designation("Exemple", kind)
    contrat = ContractInfo("Contrat de sécurité intégrée", 2021, 2026, "2021-2026", (), 1)
    for clause in library.clauses.values():
        for mode in ("exemple", "defaut"):
            values = {n: (sample_value(p) if mode == "exemple" else None if p.defaut is None else sample_value(p)) for n, p in clause.params.items()}
            context = {"collectivite": collectivite, "contrat": contrat, "article": lambda ref: "7", **values}
            blocks = render.render_markdown_template(library.env, clause.template_name, context, clause.path)
            text = "\n".join(
                b.text if hasattr(b, "text") else "\n".join(b.item_texts()) for b in blocks
            )
            assert text.strip(), clause.id
            for leftover in ("{{", "{%", "None", "[", "]", '"', " :", " ;", " ?", " !", "« ", " »"):
                assert leftover not in text, f"{clause.id} ({mode}) : « {leftover} » dans {text!r}"
            if kind != "commune":
                assert "La commune" not in text and "la commune" not in text, clause.id


def test_collectivity_subject_agrees(library):
    clause = library["collectivite-prevention-clspd"]
    for kind, sujet, expected in (
        ("commune", None, "La commune s’engage"),
        ("metropole", None, "La métropole s’engage"),
        ("communaute-agglomeration", "Bourges Plus", "Bourges Plus s’engage"),
    ):
        context = {
            "collectivite": french.designation("Exemple", kind, sujet),
            "contrat": ContractInfo("CSI", 2021, 2026, "2021-2026", (), 1),
            "article": lambda ref: "7",
            **{n: sample_value(p) for n, p in clause.params.items()},
        }
        blocks = render.render_markdown_template(library.env, clause.template_name, context, clause.path)
        assert expected in blocks[0].text
