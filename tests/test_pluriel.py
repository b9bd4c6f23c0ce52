"""Several communes sign one contract: every sentence that names them agrees in number."""

from __future__ import annotations

import itertools
import re

import pytest

from csi_docgen import contract_from, french


def raw_value(param):
    """A profile value of the right type for ``param`` (the choice's first value)."""
    low = param.min if param.min is not None else 1
    kind = param.type
    if kind == "choix":
        return param.valeurs[0]
    values = {
        "entier": max(low, 2),
        "nombre": "5,5",
        "pourcentage": 20,
        "fourchette": {"min": 40, "max": 90},
        "echeancier": {2021: 33, 2022: 37},
        "trajectoire": {"reference": {"annee": 2021, "valeur": 12}, "cible": {"annee": 2026, "valeur": 60}},
        "montant": 100000,
        "annee": 2022,
        "date": "2021-07-22",
        "texte": "sur les secteurs définis par le diagnostic",
        "liste": ["le centre-ville", "les Jardins"],
        "booleen": True,
    }
    return values[kind]


def two_communes_profile(library, **overrides):
    """Riom and Mozac sign together; every clause of the library, each value given."""
    volets = []
    for volet in library.volets:
        clauses = [
            {"id": c.id, "parametres": {name: raw_value(p) for name, p in c.params.items()}}
            for c in library.clauses.values()
            if c.header.volet == volet and c.header.partie in ("etat", "collectivite", "commun")
        ]
        if clauses:
            volets.append({"volet": volet, "clauses": clauses})
    profile = {
        "collectivite": {"nom": "Riom", "type": "commune", "deliberation": {"numero": "2021-45", "date": "2021-06-28"}},
        "parties": [{"id": "mozac", "nom": "Mozac", "type": "commune", "deliberation": {"numero": "12", "date": "2021-06-30"}}],
        "periode": {"debut": 2021, "fin": 2026},
        "signature": {"lieu": "Riom", "date": "2021-09-01"},
        "signataires": [
            {"partie": "etat", "qualite": "Le préfet du Puy-de-Dôme", "nom": "A"},
            {"partie": "collectivite", "qualite": "Le maire de Riom", "nom": "B"},
            {"partie": "mozac", "qualite": "La maire de Mozac", "nom": "C"},
        ],
        "volets": volets,
        "annexes": {"generees": ["indicateurs", "financement"]},
    }
    profile.update(overrides)
    return profile


# --- what agreement in number means --------------------------------------------------------

# Words that may follow « les communes » without being their verb.
NOT_A_VERB = {",", ".", ";", ":", ")", "»", "|", "de", "du", "des", "le", "la", "les", "et", "ou", "à", "au", "aux",
              "dans", "pour", "par", "avec", "sur", "membres"}
CLITICS = {"y", "en", "ne", "n’", "se"}
_TOKEN = re.compile(r"[\w’-]+|[^\w\s]")
# A possessive that belongs to someone else than the communes, in a sentence that names them.
NOT_THEIRS = ("de sa commune",)


def agreement_mistakes(text: str) -> list[str]:
    """Each « les communes » followed by a singular verb, and each singular possessive in a sentence naming them."""
    text = text.replace("'", "’").replace("\u00a0", " ").replace("\u202f", " ")
    found = []
    for match in re.finditer(r"\b[Ll]es communes\b", text):
        tokens = _TOKEN.findall(text[match.end() : match.end() + 300])
        if tokens and tokens[0] == "," and match.group()[0] == "L" and "," in tokens[1:]:
            tokens = tokens[tokens.index(",", 1) + 1 :]  # « Les communes, dotées d’une fourrière, s’engagent »
        while tokens and tokens[0] in CLITICS:
            tokens = tokens[1:]
        word = tokens[0] if tokens else "."
        if word not in NOT_A_VERB and not word.startswith(("l’", "d’")) and not word.endswith("nt"):
            found.append(f"« {match.group()} {word} »")
    found += [f"« {m} » (« aux communes », « des communes »)" for m in re.findall(r"\b(?:à|de) les communes\b", text)]
    for sentence in re.split(r"(?<=[.;:])\s+|\n", text):
        if re.search(r"\b[Ll]es communes\b", sentence):
            cleaned = sentence
            for phrase in NOT_THEIRS:
                cleaned = cleaned.replace(phrase, "")
            for possessive in re.findall(r"\b(?:[Ss]on|[Ss]a|[Ss]es) \w+", cleaned):
                found.append(f"« {possessive} » dans « {sentence.strip()} »")
    return found


def test_the_check_finds_singular_verbs_and_possessives():
    assert agreement_mistakes("Les communes s’engage à renforcer leur police.") == ["« Les communes s’engage »"]
    assert agreement_mistakes("À ce titre, les communes met en œuvre.") == ["« les communes met »"]
    assert agreement_mistakes("Les communes y désigne un représentant.") == ["« Les communes désigne »"]
    assert agreement_mistakes("Les moyens sont présentés à les communes.") == ["« à les communes » (« aux communes », « des communes »)"]
    assert agreement_mistakes("Les communes, dotées d’une fourrière, veille au grain.") == ["« Les communes veille »"]
    assert agreement_mistakes("Les communes s’engagent à renforcer sa police municipale.")[0].startswith("« sa police »")
    assert agreement_mistakes(
        "Les communes s’engagent à agir. L’État et les communes s’engagent, avec le parquet et les communes le 22 juillet, "
        "pour les communes ; ci-après dénommées « les communes ». Chaque maire préside le conseil de sa commune. Ses images."
    ) == []


# --- the helpers ----------------------------------------------------------------------------


def test_helpers_agree_with_one_or_several_communes():
    one, masculine, several = french.designation("Riom", "commune"), french.designation("X", "etablissement-public"), french.communes_ensemble(["Riom", "Mozac"])
    assert [one.nt, one.son, one.sa, one.ses, one.e, one.elle] == ["", "son", "sa", "ses", "e", "elle"]
    assert [masculine.e, masculine.elle] == ["", "il"]
    assert [several.nt, several.son, several.sa, several.ses, several.e, several.elle] == ["nt", "leur", "leur", "leurs", "es", "elles"]
    assert (several.Sujet, several.a, several.de, several.executif) == ("Les communes", "aux communes", "des communes", "les maires")


def readme_plural_rows():
    from conftest import CLAUSES

    text = (CLAUSES / "README.md").read_text(encoding="utf-8")
    section = text.split("### Accorder au pluriel", 1)[1].split("\n### ", 1)[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return [(source.strip("| `"), one, several.rstrip(" |")) for source, one, several in rows]


def test_clauses_readme_plural_table_renders_as_shown(library):
    rows = readme_plural_rows()
    assert len(rows) >= 6
    for source, one, several in rows:
        template = library.env.from_string(source)
        for desig, expected in ((french.designation("Riom", "commune"), one), (french.communes_ensemble(["Riom", "Mozac"]), several)):
            assert french.strip_markers(template.render(collectivite=desig)) == expected, source


# --- every clause, every variant, rendered for two communes --------------------------------------


def _options(param):
    from csi_docgen.values import sample_value

    if param.type == "choix":
        out = list(param.valeurs)
    elif param.type == "booleen":
        out = [True, False]
    else:
        out = [sample_value(param.model_copy(update={"defaut": None}))]
    if param.facultatif or (param.defaut is not None and param.type != "booleen"):
        out.append(None)
    return out


def clause_variants(clause):
    """Every combination of the clause's choices, booleans and optional values (a few dozen at most)."""
    names = list(clause.params)
    for combo in itertools.product(*(_options(clause.params[n]) for n in names)):
        yield dict(zip(names, combo))


def rendered(library, clause, collectivite, values, recent_law: bool) -> str:
    from csi_docgen import render
    from csi_docgen.assembly import ContractInfo

    contrat = ContractInfo("Contrat de sécurité intégrée", 2021, 2026, "2021-2026", (), 1, circulaire=recent_law, clspd_5000=recent_law)
    context = {"collectivite": collectivite, "contrat": contrat, "article": lambda ref: "7", **values}
    blocks = render.render_markdown_template(library.env, clause.template_name, context, clause.path)
    return "\n".join(b.text if hasattr(b, "text") else "\n".join(b.item_texts()) for b in blocks)


def test_every_clause_agrees_in_the_plural_in_every_variant(library):
    several = french.communes_ensemble(["Riom", "Mozac"])
    mistakes, named = [], set()
    for clause in library.clauses.values():
        variants = list(clause_variants(clause))
        assert len(variants) <= 512, clause.id
        for values in variants:
            for recent_law in (True, False):
                text = rendered(library, clause, several, values, recent_law)
                named |= {clause.id} if "communes" in text else set()
                mistakes += [f"{clause.id} : {m}" for m in agreement_mistakes(text)]
                mistakes += [f"{clause.id} : « {m} » (les maires)" for m in re.findall(r"\b(?:[Ll]e|du|au) maire\b", text)]
    assert mistakes == []
    # Every clause of the collectivité names it, and so do the common ones.
    assert {c.id for c in library.clauses.values() if c.header.partie in ("collectivite", "commun")} <= named


def test_singular_verbs_and_possessives_stay_for_one_commune(library):
    one = french.designation("Riom", "commune")
    clause = library["collectivite-securite-renforcement-pm"]
    values = {"effectif_supplementaire": 12, "presence_renforcee": None, "zones_patrouille": None}
    values = {n: values.get(n) for n in clause.params}
    text = rendered(library, clause, one, values, True)
    assert text.startswith("La commune s’engage à renforcer sa police municipale et ses patrouilles dans toutes les zones de son territoire")
    assert "La commune renforce sa police municipale en y affectant" in text and "en sus de ses effectifs actuels" in text


# --- a whole contract signed by two communes ---------------------------------------------------


def flat(text: str) -> str:
    return re.sub(r"[ \n]+", " ", text).replace("\u00a0", " ").replace("\u202f", " ").replace("**", "")


def paragraphs(text: str) -> str:
    """The plain-text view, one paragraph a line (it wraps long lines)."""
    return "\n".join(flat(p) for p in re.split(r"\n\s*\n", text))


@pytest.fixture(scope="module")
def two_communes(library, tmp_path_factory):
    contract = contract_from(two_communes_profile(library), library)
    path = tmp_path_factory.mktemp("pluriel") / "riom-mozac.docx"
    contract.to_docx(path)
    return contract, path


def test_two_communes_contract_keeps_every_clause_and_agrees(library, two_communes):
    contract, _ = two_communes
    kept = {a.clause_id for t in contract.titres for v in t.volets for s in v.sections for a in s.articles}
    assert kept == {c.id for c in library.clauses.values() if c.header.partie in ("etat", "collectivite", "commun")}
    assert agreement_mistakes(paragraphs(contract.text())) == []
    text = flat(contract.text())
    body = text.split("Il est convenu ce qui suit", 1)[1].split("Fait à Riom", 1)[0]
    assert re.findall(r"\b(?:[Ll]e|du|au) maire\b", body) == []
    for sentence in (
        "Les communes s’engagent à renforcer leur police municipale et leurs patrouilles dans toutes les zones de leur territoire",
        "Les communes renforcent leur police municipale en y affectant, sur la durée du contrat, deux (2) policiers municipaux en sus de leurs effectifs actuels.",
        "Les communes, dotées d’une fourrière, s’engagent à conclure une convention avec le parquet",
        "Les communes font connaître la maison de justice et du droit aux habitants",
        "À ce titre, les communes mettent en œuvre les mesures suivantes : le centre-ville et les Jardins.",
        "Les communes s’engagent à recourir au rappel à l’ordre des maires et à la transaction municipale",
        "Les maires concourent en effet, par leur pouvoir de police, à l’exercice des missions",
        "Les communes désignent à cette fin un représentant dans chacune de ces instances.",
        "Les communes présentent chaque année le bilan de ces actions",
        "Les communes s’engagent à prendre en compte, dans tous leurs projets, l’avis des référents sûreté",
        "Les communes y désignent un représentant.",
        "sont déterminés au vu de cette évaluation et présentés aux communes.",
        "L’État s’engage à accompagner les communes dans la formation de leurs agents publics",
        "Cet engagement financier des communes est pris sous réserve de l’inscription des crédits correspondants à leurs budgets.",
    ):
        assert sentence in text, sentence


def test_two_communes_fixed_articles_and_parties_block(two_communes):
    contract, _ = two_communes
    text = flat(contract.text())
    assert "les engagements réciproques de l’État et des communes de Riom et de Mozac" in text  # objet
    assert "sur le territoire des communes" in text
    assert "un comité de pilotage coprésidé par le représentant de l’État dans le département et les maires." in text
    assert "Les services de l’État et les communes renseignent ces indicateurs chaque année." in text
    parties = flat("\n".join(t for _, t in contract.parties_block))
    assert "La commune de Riom, représentée par le maire de Riom, B, dûment habilité par délibération du conseil municipal n° 2021-45 du 28 juin 2021" in parties
    assert "La commune de Mozac, représentée par la maire de Mozac, C, dûment habilitée par délibération du conseil municipal n° 12 du 30 juin 2021" in parties
    assert parties.endswith("La commune de Riom et la commune de Mozac sont ci-après dénommées ensemble « les communes ».")
    assert [s.partie for s in contract.signature.signatories] == ["etat", "collectivite", "mozac"]
    assert contract.signature.copies == 3


def test_two_communes_docx_reads_in_the_plural_to_the_signature_page(two_communes):
    import docx

    _, path = two_communes
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    assert agreement_mistakes("\n".join(lines)) == []
    text = flat("\n".join(lines))
    assert "Engagements des communes" in lines
    assert "Fait à Riom, le 1er septembre 2021, en trois (3) exemplaires originaux." in text
    names = [
        p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
        if p.style.name == "Signature – nom"
    ]
    qualites = [
        p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
        if p.style.name == "Signature"
    ]
    assert list(dict.fromkeys(names)) == ["A", "B", "C"]
    assert list(dict.fromkeys(qualites)) == ["Le préfet du Puy-de-Dôme", "Le maire de Riom", "La maire de Mozac"]
    # The running header and the document title name both communes.
    assert document.core_properties.title == "Contrat de sécurité intégrée — Riom et Mozac — 2021-2026"
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert "Contrat de sécurité intégrée — Riom et Mozac — 2021-2026" in header


# --- verifier-clauses warns where a text would stay singular ----------------------------------------


def test_the_shipped_library_has_no_agreement_warning(library):
    from csi_docgen.agreement import agreement_warnings

    assert agreement_warnings(library) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{{ collectivite.Sujet }} s’engage à agir.", ["1:26 : « s’engage » reste au singulier", "écrivez « s’engage{{ collectivite.nt }} »"]),
        ("{{ collectivite.Sujet }} met en œuvre.", ["« met » reste au singulier", "{% if collectivite.pluriel %}…{% else %}met{% endif %}"]),
        ("{{ collectivite.Sujet }}, dotée d’une fourrière, veille.", ["« veille » reste au singulier"]),
        ("À ce titre, {{ collectivite.sujet }} y désigne un élu.", ["« désigne » reste au singulier"]),
        ("Ligne.\n{{ collectivite.Sujet }} s’engage{{ collectivite.nt }} à renforcer sa police.", ["2:68 : « sa » dans une phrase qui nomme la collectivité", "« {{ collectivite.sa }} »"]),
        ("{{ collectivite.Sujet }} s’engage{{ collectivite.nt }} à ce que le maire agisse.", ["« le maire » : « les maires »"]),
        ("Les moyens sont présentés à {{ collectivite.sujet }}.", ["« à {{ collectivite.sujet }} » donnerait « à les communes »", "« {{ collectivite.a }} »"]),
    ],
)
def test_agreement_warning_at_its_line(text, expected):
    from csi_docgen.agreement import template_issues

    [issue] = template_issues(text, "clause.md")
    assert issue.severity == "avertissement"
    for part in expected:
        assert part in str(issue), str(issue)


def test_texts_written_for_both_numbers_raise_no_warning():
    from csi_docgen.agreement import template_issues

    text = (
        "{{ collectivite.Sujet }} s’engage{{ collectivite.nt }} à renforcer {{ collectivite.sa }} police. "
        "{{ collectivite.Sujet }} {% if collectivite.pluriel %}font{% else %}fait{% endif %} connaître le rappel à l’ordre "
        "{% if collectivite.pluriel %}des maires{% else %}du maire{% endif %}. L’État et {{ collectivite.sujet }} s’engagent. "
        "{% if csu %}{{ collectivite.Sujet }} y désigne{{ collectivite.nt }} un élu.{% endif %} Ses images sont renvoyées. "
        "Ils sont présentés {{ collectivite.a }} et portés à la connaissance {{ collectivite.de }}."
    )
    assert template_issues(text, "clause.md") == []


def test_verifier_clauses_prints_the_warning_and_passes(library_copy):
    from click.testing import CliRunner

    from csi_docgen.cli import cli

    clause = library_copy / "collectivite" / "prevention" / "collectivite-prevention-parcours-gagnant.md"
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.replace("s’engage{{ collectivite.nt }} à soutenir", "s’engage à soutenir"), encoding="utf-8")
    line = text[: text.index("s’engage{{ collectivite.nt }} à soutenir")].count("\n") + 1
    result = CliRunner().invoke(cli, ["verifier-clauses", str(library_copy)], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"collectivite-prevention-parcours-gagnant.md:{line}:26 : « s’engage » reste au singulier quand plusieurs communes signent" in result.output
    assert "bibliothèque valide" in result.output
