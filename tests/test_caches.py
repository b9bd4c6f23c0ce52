"""What a process remembers between builds never changes what it writes.

Rebuilds reuse typeset texts, paragraphs, tables and the prepared template
(reference .docx with its external annexes merged). These tests rebuild
with and without those caches, and after editing the files the caches were
computed from.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from csi_docgen import filememo
from csi_docgen.build import build
from csi_docgen.caches import clear_caches


def test_warm_and_cold_builds_write_the_same_bytes(tmp_path, library, example_copy):
    profile = example_copy / "clermont-ferrand.yaml"
    clear_caches()
    cold = build(profile, tmp_path / "froid.docx", library=library).sha256
    warm = build(profile, tmp_path / "chaud.docx", library=library).sha256
    clear_caches(templates=False)
    half = build(profile, tmp_path / "tiede.docx", library=library).sha256
    assert cold == warm == half


def test_an_edited_external_annex_is_merged_again(tmp_path, library, example_copy):
    profile = example_copy / "bourges.yaml"
    annex = profile.parent / "annexes" / "convention-coordination-pm-pn.docx"
    before = build(profile, tmp_path / "avant.docx", library=library)
    other = tmp_path / "autre.docx"
    # Another .docx in place of the annex: the contract now holds the Bourges contract itself.
    shutil.copyfile(before.path, other)
    shutil.copyfile(other, annex)
    after = build(profile, tmp_path / "apres.docx", library=library)
    assert after.sha256 != before.sha256
    clear_caches()
    assert build(profile, tmp_path / "froid.docx", library=library).sha256 == after.sha256


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
    first = build(profile, tmp_path / "a.docx", library=library).contract.text()
    profile.write_text(text.replace("cameras_par_an: 10", "cameras_par_an: 12"), encoding="utf-8")
    second = build(profile, tmp_path / "b.docx", library=library).contract.text()
    assert "dix (10) nouvelles caméras" in first and "douze (12) nouvelles caméras" in second
    assert first.replace("dix (10) nouvelles", "douze (12) nouvelles") == second


def test_an_indicator_target_given_later_reaches_the_indicator_annex(tmp_path, library, example_copy):
    clause = library.clauses["collectivite-securite-videoprotection-csu"]
    indicator = clause.header.indicateurs[0].id
    profile = example_copy / "bourges.yaml"
    text = profile.read_text(encoding="utf-8")
    entry = "          csu_existant: oui\n"
    assert text.count(entry) == 1
    first = build(profile, tmp_path / "a.docx", library=library).contract
    given = f"{entry}        indicateurs:\n          {indicator}:\n            cible: 50 caméras en 2026\n"
    profile.write_text(text.replace(entry, given), encoding="utf-8")
    second = build(profile, tmp_path / "b.docx", library=library).contract
    clear_caches()
    cold = build(profile, tmp_path / "c.docx", library=library)
    rows = [r for r in second.indicators if r.clause_id == clause.id and r.indicateur]
    assert [r.cible for r in rows][:1] == ["50 caméras en 2026"]
    assert not any(r.cible for r in first.indicators if r.clause_id == clause.id)
    assert cold.sha256 == build(profile, tmp_path / "d.docx", library=library).sha256
    with zipfile.ZipFile(tmp_path / "b.docx") as z:
        assert "50 caméras en 2026" in z.read("word/document.xml").decode("utf-8")


def test_context_keys_tell_apart_what_prints_differently():
    from csi_docgen import french, render

    keys = [render.context_key(v) for v in (1, True, 1.0, "1", french.Nombre(1, "agent", None, "m"), french.Nombre(1, "caméra", None, "f"), [1], (1,))]
    assert len(set(keys)) == len(keys)


def test_a_file_saved_again_with_the_same_size_and_date_is_read_again(tmp_path):
    path = tmp_path / "modele.docx"
    path.write_bytes(b"version A")
    first = filememo.read(path)
    stat = os.stat(path)
    path.write_bytes(b"version B")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same modification time
    assert filememo.read(path)[0] == b"version B"  # the change time still tells
    assert filememo.read(path)[1] != first[1]
    assert filememo.read(tmp_path / "modele.docx") is filememo.read(path)  # remembered


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

    assert body(first.path).count('w:val="Heading4"') == 55
    assert body(second.path).count('w:val="TitreArticle"') == 55
    assert 'w:val="Heading4"' not in body(second.path)


def test_ordered_lists_keep_their_own_numbering_when_articles_are_remembered(tmp_path, library, example_copy):
    profile = example_copy / "bourges.yaml"
    text = profile.read_text(encoding="utf-8")
    for name in ("parcours", "situations-complexes"):  # two articles, each with an ordered list
        anchor = f"      - id: bourges-prevention-sociale-{name}\n"
        start = text.index("texte: |\n", text.index(anchor)) + len("texte: |\n")
        text = text[:start] + "          Les étapes :\n\n          1. repérer ;\n          2. accompagner.\n\n" + text[start:]
    profile.write_text(text, encoding="utf-8")
    clear_caches()
    cold = build(profile, tmp_path / "froid.docx", library=library)
    warm = build(profile, tmp_path / "chaud.docx", library=library)
    assert warm.sha256 == cold.sha256
    with zipfile.ZipFile(warm.path) as z:
        body = z.read("word/document.xml").decode("utf-8")
        numbering = z.read("word/numbering.xml").decode("utf-8")
    ids = re.findall(r'<w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="(\d+)"/>', body)
    assert len(ids) == 4 and ids[0] == ids[1] != ids[2] == ids[3]  # two lists, each restarting at 1
    for num_id in set(ids):
        assert f'<w:num w:numId="{num_id}">' in numbering


def test_clearing_the_caches_leaves_the_public_functions_in_place(tmp_path):
    # In a fresh process, before anything was assembled: the assemble module is
    # not loaded yet, and clearing must not bind it in place of the function.
    code = (
        "import csi_docgen as csi\n"
        "from csi_docgen.caches import clear_caches\n"
        "library = csi.load_library()\n"
        "profile = csi.load_profile('examples/bourges.yaml', library)\n"
        "clear_caches()\n"
        "print(type(csi.assemble(profile, library)).__name__)\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Contract"
