"""Every piece of state has an owner, and what it remembers never changes what a build writes.

A Library is a snapshot of its files (loading again reads them again) and
carries the one memo of rendered texts, keyed by content; a profile's inline
clauses live in the profile's own overlay; the prepared template is keyed by
the content of the template and the external annexes. These tests rebuild
with and without what is remembered, and after editing the files it was
computed from, never calling anything to clear it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import csi_docgen as csi
from csi_docgen.api import build

REPO = Path(__file__).resolve().parents[1]


def test_warm_and_cold_builds_write_the_same_bytes(tmp_path, library, example_copy):
    profile = example_copy / "clermont-ferrand.yaml"
    fresh = csi.load_library()  # nothing rendered yet
    cold = build(profile, tmp_path / "froid.docx", library=fresh).sha256
    warm = build(profile, tmp_path / "chaud.docx", library=fresh).sha256
    assert len(fresh.memo) > 0
    assert cold == warm == build(profile, tmp_path / "autre.docx", library=library).sha256


def test_an_edited_external_annex_is_merged_again(tmp_path, library, example_copy):
    profile = example_copy / "clermont-ferrand.yaml"
    annex = profile.parent / "annexes" / "convention-coordination-pm-pn.docx"
    before = build(profile, tmp_path / "avant.docx", library=library)
    # Another .docx in place of the annex (a contract csi-docgen produced would be refused).
    import docx

    other = docx.Document()
    other.add_paragraph("Une autre convention, reçue après la première.")
    other.save(annex)
    after = build(profile, tmp_path / "apres.docx", library=library)
    assert after.sha256 != before.sha256
    assert build(profile, tmp_path / "froid.docx", library=csi.load_library()).sha256 == after.sha256


def test_an_edited_template_is_read_again(tmp_path, library, example_copy):
    from csi_docgen.resources import templates_dir

    profile = example_copy / "bourges.yaml"
    template = tmp_path / "modele.docx"
    shutil.copyfile(templates_dir() / "reference.docx", template)
    first = build(profile, tmp_path / "a.docx", library=library, template=template).sha256
    assert first == build(profile, tmp_path / "b.docx", library=library).sha256
    # A drafter enlarges the body text of the template.
    import docx
    from docx.shared import Pt

    document = docx.Document(str(template))
    document.styles["Normal"].font.size = Pt(13)
    document.save(str(template))
    second = build(profile, tmp_path / "c.docx", library=library, template=template)
    assert second.sha256 != first
    assert b'w:val="26"' in _part(second.path, "word/styles.xml")


def _part(path, name) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def test_a_changed_value_is_rendered_again(tmp_path, library, example_copy):
    profile = example_copy / "bourges.yaml"
    text = profile.read_text(encoding="utf-8")
    assert "cameras_par_an: 10" in text
    first = " ".join(build(profile, tmp_path / "a.docx", library=library).contract.text().split())
    profile.write_text(text.replace("cameras_par_an: 10", "cameras_par_an: 12"), encoding="utf-8")
    second = " ".join(build(profile, tmp_path / "b.docx", library=library).contract.text().split())
    assert "dix (10) nouvelles caméras" in first and "douze (12) nouvelles caméras" in second
    # The indicator annex's target is tied to the same value.
    assert first.replace("dix (10) nouvelles", "douze (12) nouvelles").replace("+10 par an", "+12 par an") == second


def test_an_indicator_target_given_later_reaches_the_indicator_annex(tmp_path, library, example_copy):
    clause = library.clauses["collectivite-securite-videoprotection-csu"]
    indicator = clause.header.indicateurs[0].id
    profile = example_copy / "bourges.yaml"
    text = profile.read_text(encoding="utf-8")
    entry = "          cameras_par_an: 10\n"
    assert text.count(entry) == 1
    first = build(profile, tmp_path / "a.docx", library=library).contract
    given = f"{entry}        indicateurs:\n          {indicator}:\n            cible: 50 caméras en 2026\n"
    profile.write_text(text.replace(entry, given), encoding="utf-8")
    second = build(profile, tmp_path / "b.docx", library=library).contract
    cold = build(profile, tmp_path / "c.docx", library=csi.load_library())
    rows = [r for r in second.indicators if r.clause_id == clause.id and r.indicateur]
    assert [r.cible for r in rows][:1] == ["50 caméras en 2026"]
    assert [r.cible for r in first.indicators if r.clause_id == clause.id][:1] == ["+10 par an"]  # tied to cameras_par_an
    assert cold.sha256 == build(profile, tmp_path / "d.docx", library=library).sha256
    with zipfile.ZipFile(tmp_path / "b.docx") as z:
        assert "50 caméras en 2026" in z.read("word/document.xml").decode("utf-8")


def test_context_keys_tell_apart_what_prints_differently():
    from csi_docgen import french, render

    keys = [render.context_key(v) for v in (1, True, 1.0, "1", french.Nombre(1, "agent", None, "m"), french.Nombre(1, "caméra", None, "f"), [1], (1,))]
    assert len(set(keys)) == len(keys)


def test_a_template_naming_its_styles_otherwise_is_not_served_remembered_articles(tmp_path, library, example_copy):
    reference = Path(__file__).resolve().parents[1] / "templates" / "reference.docx"
    with zipfile.ZipFile(reference) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b'"Heading4"', b'"TitreArticle"')
    other = tmp_path / "autre-modele.docx"
    with zipfile.ZipFile(other, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    profile = example_copy / "bourges.yaml"
    first = build(profile, tmp_path / "a.docx", library=library)  # remembers every article
    second = build(profile, tmp_path / "b.docx", library=library, template=other)

    def body(path):
        with zipfile.ZipFile(path) as z:
            return z.read("word/document.xml").decode("utf-8")

    articles = len(first.contract.articles)
    assert articles > 30
    assert body(first.path).count('w:val="Heading4"') == articles
    assert body(second.path).count('w:val="TitreArticle"') == articles
    assert 'w:val="Heading4"' not in body(second.path)


def test_ordered_lists_keep_their_own_numbering_when_articles_are_remembered(tmp_path, library, example_copy):
    profile = example_copy / "bourges.yaml"
    text = profile.read_text(encoding="utf-8")
    for name in ("parcours", "situations-complexes"):  # two articles, each with an ordered list
        anchor = f"      - id: bourges-prevention-sociale-{name}\n"
        start = text.index("texte: |\n", text.index(anchor)) + len("texte: |\n")
        text = text[:start] + "          Les étapes :\n\n          1. repérer ;\n          2. accompagner.\n\n" + text[start:]
    profile.write_text(text, encoding="utf-8")
    cold = build(profile, tmp_path / "froid.docx", library=csi.load_library())
    warm = build(profile, tmp_path / "chaud.docx", library=library)
    assert warm.sha256 == cold.sha256
    with zipfile.ZipFile(warm.path) as z:
        body = z.read("word/document.xml").decode("utf-8")
        numbering = z.read("word/numbering.xml").decode("utf-8")
    ids = re.findall(r'<w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="(\d+)"/>', body)
    assert len(ids) == 4 and ids[0] == ids[1] != ids[2] == ids[3]  # two lists, each restarting at 1
    for num_id in set(ids):
        assert f'<w:num w:numId="{num_id}">' in numbering


# --- the two stale-cache bugs of the first memo layer, and the snapshot ------


def test_an_edited_clause_file_is_seen_by_the_next_load(library_copy):
    clause = next(p for p in sorted(library_copy.rglob("*.md")) if p.name != "README.md")
    first = csi.load_library(library_copy)
    cid = next(c.id for c in first.clauses.values() if c.path.endswith(clause.name))
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.rstrip("\n") + "\n\nPhrase ajoutée après coup.\n", encoding="utf-8")
    second = csi.load_library(library_copy)
    assert first.clauses[cid].sha256 != second.clauses[cid].sha256
    source = second.env.loader.sources[second.clauses[cid].template_name]
    assert "Phrase ajoutée après coup." in source.text
    assert "Phrase ajoutée après coup." not in first.env.loader.sources[first.clauses[cid].template_name].text


def _articles_copy(tmp_path, name="articles") -> Path:
    target = tmp_path / name
    shutil.copytree(REPO / "templates" / "articles", target)
    return target


def _fixed_text(contract) -> str:
    """The text of a fixed article neither example replaces (the examples give their own « Durée »)."""
    article = next(a for t in contract.titres for a in t.articles if "litiges" in a.title.lower())
    return "\n".join(b.text for b in article.blocks if hasattr(b, "text"))


def test_an_edited_fixed_article_is_seen_by_the_next_load(tmp_path, monkeypatch, example_copy):
    from csi_docgen import clauses

    folder = _articles_copy(tmp_path)
    monkeypatch.setattr(clauses, "templates_dir", lambda: tmp_path)
    profile = example_copy / "bourges.yaml"
    first = csi.load_library()
    before = _fixed_text(csi.contract_from(profile, first))
    duration = folder / "07-litiges.md"
    duration.write_text(duration.read_text(encoding="utf-8").rstrip("\n") + "\n\nDurée revue par les parties.\n", encoding="utf-8")
    second = csi.load_library()
    after = _fixed_text(csi.contract_from(profile, second))
    assert "Durée revue par les parties." not in before
    assert "Durée revue par les parties." in after
    # The library loaded before the edit is a snapshot: it still gives the old text.
    assert _fixed_text(csi.contract_from(profile, first)) == before


def test_assemble_with_another_articles_folder_serves_that_folder(tmp_path, library, example_copy):
    first, second = _articles_copy(tmp_path, "a"), _articles_copy(tmp_path, "b")
    for folder, phrase in ((first, "Texte du dossier A."), (second, "Texte du dossier B.")):
        duration = folder / "07-litiges.md"
        duration.write_text(duration.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{phrase}\n", encoding="utf-8")
    profile = csi.load_profile(example_copy / "bourges.yaml", library)
    from_a = _fixed_text(csi.assemble(profile, library, articles_dir=first))
    from_b = _fixed_text(csi.assemble(profile, library, articles_dir=second))
    shipped = _fixed_text(csi.assemble(profile, library))
    assert "Texte du dossier A." in from_a and "dossier B" not in from_a
    assert "Texte du dossier B." in from_b and "dossier A" not in from_b
    assert "dossier" not in shipped


def test_an_edited_profile_is_seen_by_the_next_build(tmp_path, library, example_copy):
    profile = example_copy / "bourges.yaml"
    text = profile.read_text(encoding="utf-8")
    first = build(profile, tmp_path / "a.docx", library=library).contract.text()
    marker = "Texte de la clause du profil modifié."
    anchor = text.index("texte: |\n") + len("texte: |\n")
    indent = re.match(r" *", text[anchor:]).group(0)
    profile.write_text(text[:anchor] + f"{indent}{marker}\n\n" + text[anchor:], encoding="utf-8")
    second = build(profile, tmp_path / "b.docx", library=library).contract.text()
    assert marker not in first and marker in second


def _snapshot(library):
    return (
        dict(library.clauses),
        library.fixed,
        dict(library.volets),
        dict(library.parties),
        sorted(library.env.loader.sources),
        library.env.globals.copy(),
        dict(library.env.filters),
    )


def test_a_library_is_unchanged_by_building_profiles_with_inline_clauses(tmp_path, example_copy):
    library = csi.load_library()
    before = _snapshot(library)
    inline_ids = []
    for name in ("bourges.yaml", "clermont-ferrand.yaml"):
        profile = csi.load_profile(example_copy / name, library)
        inline_ids += [s.clause.id for v in profile.volets for s in v.clauses if s.clause.origin == "profil"]
        csi.assemble(profile, library).to_docx(tmp_path / f"{name}.docx")
    assert inline_ids  # the examples do have inline clauses
    assert _snapshot(library) == before
    assert not any(cid in library.clauses for cid in inline_ids)
    # The environment compiled only the library's own templates.
    compiled = {name for _, name in library.env.cache.keys()}
    assert compiled <= set(library.env.loader.sources)
    assert not any(name.startswith("profil:") for name in compiled)


def test_two_profiles_giving_an_inline_clause_the_same_id_keep_their_own_text(tmp_path, library, make_tree):
    texts = {}
    for city in ("Alpha", "Beta"):
        example = REPO / "examples" / "bourges.yaml"
        text = example.read_text(encoding="utf-8")
        anchor = text.index("texte: |\n") + len("texte: |\n")
        indent = re.match(r" *", text[anchor:]).group(0)
        folder = tmp_path / city
        shutil.copytree(REPO / "examples", folder)
        (folder / "bourges.yaml").write_text(text[:anchor] + f"{indent}Phrase propre à {city}.\n\n" + text[anchor:], encoding="utf-8")
        texts[city] = csi.contract_from(folder / "bourges.yaml", library).text()
    assert "Phrase propre à Alpha." in texts["Alpha"] and "Beta" not in texts["Alpha"]
    assert "Phrase propre à Beta." in texts["Beta"] and "Alpha" not in texts["Beta"]


# --- what a fresh process finds in the cache folder --------------------------


def _fresh_process_store(monkeypatch):
    """The in-memory store of prepared templates of a process that has built nothing."""
    from collections import OrderedDict

    from csi_docgen.docx import package

    monkeypatch.setattr(package, "_cache", OrderedDict())
    return package


def test_a_fresh_process_reuses_the_prepared_template_from_the_cache_folder(tmp_path, monkeypatch, library, example_copy):
    monkeypatch.setenv("CSI_DOCGEN_CACHE", str(tmp_path / "cache"))
    profile = example_copy / "clermont-ferrand.yaml"  # with an external annex
    package = _fresh_process_store(monkeypatch)
    first = build(profile, tmp_path / "a.docx", library=library).sha256
    assert list((tmp_path / "cache" / "modeles").glob("*.pickle"))
    package = _fresh_process_store(monkeypatch)

    def must_not_prepare(*args, **kwargs):
        raise AssertionError("prepared again")

    monkeypatch.setattr(package, "_prepare", must_not_prepare)
    assert build(profile, tmp_path / "b.docx", library=library).sha256 == first


def test_a_damaged_or_unwritable_cache_folder_is_ignored(tmp_path, monkeypatch, library, example_copy):
    profile = example_copy / "clermont-ferrand.yaml"
    monkeypatch.setenv("CSI_DOCGEN_CACHE", "")  # off
    _fresh_process_store(monkeypatch)
    expected = build(profile, tmp_path / "ref.docx", library=library).sha256
    cache = tmp_path / "cache"
    monkeypatch.setenv("CSI_DOCGEN_CACHE", str(cache))
    _fresh_process_store(monkeypatch)
    build(profile, tmp_path / "a.docx", library=library)
    for entry in (cache / "modeles").glob("*.pickle"):
        entry.write_bytes(b"pas un pickle")  # damaged (a disk full, a crash)
    _fresh_process_store(monkeypatch)
    assert build(profile, tmp_path / "b.docx", library=library).sha256 == expected
    blocked = tmp_path / "fichier"
    blocked.write_text("un fichier, pas un dossier")
    monkeypatch.setenv("CSI_DOCGEN_CACHE", str(blocked / "cache"))  # cannot be created
    _fresh_process_store(monkeypatch)
    assert build(profile, tmp_path / "c.docx", library=csi.load_library()).sha256 == expected


def test_an_edited_template_is_prepared_again_in_a_fresh_process(tmp_path, monkeypatch, library, example_copy):
    from csi_docgen.resources import templates_dir

    monkeypatch.setenv("CSI_DOCGEN_CACHE", str(tmp_path / "cache"))
    profile = example_copy / "bourges.yaml"
    template = tmp_path / "modele.docx"
    shutil.copyfile(templates_dir() / "reference.docx", template)
    _fresh_process_store(monkeypatch)
    first = build(profile, tmp_path / "a.docx", library=library, template=template).sha256
    import docx
    from docx.shared import Pt

    document = docx.Document(str(template))
    document.styles["Normal"].font.size = Pt(13)
    document.save(str(template))
    _fresh_process_store(monkeypatch)
    second = build(profile, tmp_path / "b.docx", library=library, template=template)
    assert second.sha256 != first
    assert b'w:val="26"' in _part(second.path, "word/styles.xml")


def test_compiled_texts_are_kept_between_processes(tmp_path, monkeypatch, example_copy):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CSI_DOCGEN_CACHE", str(cache))
    profile = example_copy / "bourges.yaml"
    first = csi.contract_from(profile, csi.load_library()).text()
    compiled = list((cache / "jinja").rglob("__jinja2_*"))
    assert compiled
    # A damaged compiled text is compiled again.
    for entry in compiled:
        entry.write_bytes(b"rien")
    assert csi.contract_from(profile, csi.load_library()).text() == first


def test_a_remembered_profile_text_gives_each_load_its_own_values(tmp_path, library, example_copy):
    """The library remembers a profile's text read as YAML; no load changes what the next one reads."""
    source = (example_copy / "bourges.yaml").read_text(encoding="utf-8")
    # A control character written as an escape: the load removes it (a warning) from its own copy.
    escaped = source.replace("  nom: Bourges\n", '  nom: "Bour\\x01ges"\n', 1)
    assert escaped != source
    first, second = example_copy / "un.yaml", example_copy / "deux.yaml"
    first.write_text(escaped, encoding="utf-8")
    second.write_text(escaped, encoding="utf-8")
    loads = [csi.load_profile(path, library) for path in (first, first, second)]
    assert [p.data.collectivite.nom for p in loads] == ["Bourges"] * 3
    # Same text, two files: each warning names its own file.
    assert [{w.path for w in p.warnings if "contrôle" in w.message} for p in loads] == [{p.path} for p in loads]
    assert loads[0].path != loads[2].path
    first.write_text(escaped.replace("Bour\\x01ges", "Vierzon"), encoding="utf-8")
    assert csi.load_profile(first, library).data.collectivite.nom == "Vierzon"
