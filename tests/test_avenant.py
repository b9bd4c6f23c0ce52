"""Avenants: numbering frozen at signature, the avenant, the consolidated text with Word revisions.

The scenario is Bourges, signed (a signing date is added to a copy of the
example): the cameras per year raised from 10 to 15, one clause removed (set
aside in the socle), one inline clause added in the middle of the justice
volet; then a second avenant drawn against the first amended version.
"""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree
from openxml_audit import OpenXmlValidator

from csi_docgen import changes as am
from csi_docgen.amend import draw_avenant
from csi_docgen.avenant import load_version
from csi_docgen.cli import cli
from csi_docgen.docx.writer import render_docx
from csi_docgen.errors import InvalidInput

from conftest import EXAMPLES, soffice_or_skip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TOOL = Path(__file__).parent / "outils" / "revisions_libreoffice.py"

REMOVED = "commun-securite-participation-citoyenne"
BEFORE_INSERTED = "collectivite-justice-tig-tnr"  # the first clause of the justice volet
INSERTED_CLAUSE = """      - id: bourges-justice-audiences-foraines
        titre: Audiences foraines
        partie: commun
        source: scénario d'essai
        texte: |
          L'État et {{ collectivite.sujet }} étudient l'organisation d'audiences foraines.
"""


def _signed_text() -> str:
    text = (EXAMPLES / "bourges.yaml").read_text(encoding="utf-8")
    return text.replace("  lieu: Bourges\n", "  lieu: Bourges\n  date: 2021-07-22\n", 1)


def _amended_text(precedent="bourges.yaml", cameras=15, date="2023-03-15", extra="") -> str:
    text = _signed_text().replace("cameras_par_an: 10", f"cameras_par_an: {cameras}")
    text = text.replace(f"      - {REMOVED}\n", "")
    text = text.replace(f"      - {BEFORE_INSERTED}\n", f"      - {BEFORE_INSERTED}\n" + INSERTED_CLAUSE)
    return text + (
        f"\navenant:\n  precedent: {precedent}\n  date: {date}\n  visas:\n"
        "    - Vu la délibération du conseil municipal autorisant le maire à signer le présent avenant ;\n" + extra
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("avenant")
    shutil.copytree(EXAMPLES / "annexes", root / "annexes")
    (root / "bourges.yaml").write_text(_signed_text(), encoding="utf-8")
    (root / "bourges-avenant-1.yaml").write_text(_amended_text(), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def n(folder, library):
    """Numbers of the signed contract: the cameras' article, the removed one, the one the inserted follows."""
    signed = load_version(folder / "bourges.yaml", library).contract
    number = lambda ident: str(signed.article_for(ident).number)  # noqa: E731
    return {"cam": number("collectivite-securite-videoprotection-csu"), "gone": number(REMOVED), "before": number(BEFORE_INSERTED)}


@pytest.fixture(scope="module")
def drawn(folder, library):
    return draw_avenant(folder / "bourges.yaml", folder / "bourges-avenant-1.yaml", folder / "sortie", library=library)


def _docx_paragraphs(path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return texts


# --- the avenant ------------------------------------------------------------------------


def test_avenant_has_one_article_per_change_in_french_amendment_style(drawn, folder, library, n):
    text = "\n".join(_docx_paragraphs(drawn.avenant_path))
    assert "Avenant n°\u00a01 au contrat de sécurité intégrée de Bourges signé le 22\u00a0juillet 2021" in text
    assert f"À l’article {n['cam']}, les mots\u00a0: «\u00a0dix (10)\u00a0» sont remplacés par les mots\u00a0: «\u00a0quinze (15)\u00a0»." in text.replace(" :", "\u00a0:")
    assert f"L’article {n['gone']} est abrogé." in text
    assert f"Après l’article {n['before']}, il est inséré un article {n['before']} bis ainsi rédigé" in text
    assert f"«\u00a0Article {n['before']} bis — Audiences foraines" in text
    assert "L’annexe 1 est remplacée par l’annexe jointe au présent avenant." in text
    assert "Les autres stipulations du contrat demeurent inchangées." in text
    assert "Le présent avenant entre en vigueur" in text
    assert "Vu la délibération du conseil municipal autorisant le maire à signer le présent avenant" in text
    # The visa quotes the fingerprint of what the signed profile builds.
    signed = load_version(folder / "bourges.yaml", library)
    digest = hashlib.sha256(render_docx(signed.contract)).hexdigest()
    assert drawn.signed_sha256 == digest
    assert " ".join(digest[i:i + 16] for i in range(0, 64, 16)) in text
    assert "Fait à Bourges, le 15\u00a0mars 2023" in text
    assert sorted(c.kind for c in drawn.changes if c.article is not None) == sorted([am.WORDS, am.ABROGATED_KIND, am.INSERTED])


def test_avenant_is_signed_by_the_amended_versions_signatories(drawn):
    signatories = [s.qualite for s in drawn.avenant.signature.signatories]
    assert signatories == [s.qualite for s in drawn.amended.signature.signatories]
    assert "Le préfet du Cher" in signatories and "Le maire de Bourges" in signatories
    text = "\n".join(_docx_paragraphs(drawn.avenant_path))
    assert all(q in text for q in signatories)
    assert drawn.avenant.signature.date.isoformat() == "2023-03-15"


# --- numbering frozen at signature -------------------------------------------------------


def test_numbering_is_frozen_at_signature(drawn, folder, library, n):
    signed = load_version(folder / "bourges.yaml", library).contract
    amended = drawn.amended
    before = {a.clause_id or a.title: str(a.number) for a in signed.articles}
    after = {a.clause_id or a.title: str(a.number) for a in amended.articles}
    for key, number in before.items():
        assert after[key] == number, key  # every article keeps its number, the abrogated one too
    abrogated = amended.article_for(REMOVED)
    assert (abrogated.title, abrogated.blocks, str(abrogated.number)) == ("(abrogé)", (), n["gone"])
    assert str(amended.article_for("bourges-justice-audiences-foraines").number) == f"{n['before']} bis"
    assert len(amended.articles) == len(signed.articles) + 1
    # References between articles keep the signed numbers.
    revision = next(a for a in amended.articles if a.title == "Révision")
    assert revision == next(a for a in signed.articles if a.title == "Révision")


# --- the consolidated contract ----------------------------------------------------------


def _document(path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _resolve(root, accept: bool) -> list[str]:
    """Paragraph texts after accepting (or rejecting) every revision, as Word does it."""
    root = copy.deepcopy(root)
    gone, kept = ("del", "ins") if accept else ("ins", "del")
    for element in list(root.iter(W + gone)):
        parent = element.getparent()
        if parent.tag == W + "rPr":
            continue
        if parent.tag == W + "trPr":
            row = parent.getparent()
            row.getparent().remove(row)
            continue
        parent.remove(element)
    for element in list(root.iter(W + kept)):
        parent = element.getparent()
        if parent.tag in (W + "rPr", W + "trPr"):
            parent.remove(element)
            continue
        index = parent.index(element)
        for child in list(element):
            parent.insert(index, child)
            index += 1
        parent.remove(element)
    texts = []
    merged = ""
    for p in root.iter(W + "p"):
        text = "".join(t.text or "" for t in p.iter(W + "t", W + "delText"))
        mark = p.find(f"{W}pPr/{W}rPr/{W}{gone}")
        merged += text
        if mark is None:
            texts.append(merged)
            merged = ""
    return [t for t in texts if t]


def _texts(path) -> list[str]:
    root = _document(path)
    return [t for t in ("".join(x.text or "" for x in p.iter(W + "t")) for p in root.iter(W + "p")) if t]


def _assert_revisions_resolve(consolidated_path, signed, amended, folder) -> None:
    """Accepting every revision gives the amended contract's text, rejecting them the signed one's."""
    signed_path, amended_path = folder / "signe.docx", folder / "modifie.docx"
    signed.to_docx(signed_path)
    amended.to_docx(amended_path)
    root = _document(consolidated_path)
    assert _resolve(root, accept=True) == _texts(amended_path)
    assert _resolve(root, accept=False) == _texts(signed_path)


def test_consolidated_has_word_revisions_with_author_and_date(drawn):
    root = _document(drawn.consolidated_path)
    inserted, deleted = list(root.iter(W + "ins")), list(root.iter(W + "del"))
    assert inserted and deleted
    for mark in inserted + deleted:
        assert mark.get(W + "author") == "Avenant n° 1"
        assert mark.get(W + "date") == "2023-03-15T00:00:00Z"
    ids = [m.get(W + "id") for m in inserted + deleted]
    assert len(ids) == len(set(ids))
    deleted_text = "".join(t.text for t in root.iter(W + "delText"))
    inserted_text = "".join(t.text for m in inserted for t in m.iter(W + "t"))
    assert "dix" in deleted_text and "quinze" in inserted_text
    assert "Protocole de participation citoyenne" in deleted_text and "Audiences foraines" in inserted_text


def test_accept_all_gives_the_amended_text_and_reject_all_the_signed_one(drawn, folder, library, tmp_path):
    signed = load_version(folder / "bourges.yaml", library).contract
    _assert_revisions_resolve(drawn.consolidated_path, signed, drawn.amended, tmp_path)


def test_outputs_are_reproducible(drawn, folder, library, tmp_path):
    again = draw_avenant(folder / "bourges.yaml", folder / "bourges-avenant-1.yaml", tmp_path, library=library)
    assert again.avenant_path.read_bytes() == drawn.avenant_path.read_bytes()
    assert again.consolidated_path.read_bytes() == drawn.consolidated_path.read_bytes()


def test_openxml_audit_finds_nothing(drawn):
    for path in (drawn.avenant_path, drawn.consolidated_path):
        result = OpenXmlValidator().validate(str(path))
        assert [e.description for e in result.errors] == [], path


def _uno_python() -> str:
    for candidate in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        if candidate and Path(candidate).exists():
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
            if probe.returncode == 0:
                return candidate
    if os.environ.get("CI") == "true":
        pytest.fail("aucun Python ne charge le module uno de LibreOffice alors que CI=true : tests/lancer.sh installe python3-uno")
    pytest.skip("aucun Python ne charge le module uno de LibreOffice")


def test_libreoffice_accepts_and_rejects_to_the_amended_and_signed_texts(drawn, folder, library, tmp_path):
    """LibreOffice, the real client: accept-all / reject-all through its API, then its own text export compared."""
    soffice_or_skip()
    python = _uno_python()
    signed = load_version(folder / "bourges.yaml", library).contract
    signed_path, amended_path = tmp_path / "signe.docx", tmp_path / "modifie.docx"
    signed.to_docx(signed_path)
    drawn.amended.to_docx(amended_path)
    consolidated = drawn.consolidated_path
    run = subprocess.run(
        [python, str(TOOL), str(tmp_path), f"{consolidated}:accepter", f"{consolidated}:rejeter", f"{signed_path}:tel-quel", f"{amended_path}:tel-quel"],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    counts = [int(line.split("\t")[2]) for line in run.stdout.splitlines()]
    assert counts[0] > 0 and counts[2:] == [0, 0]  # LibreOffice sees the revisions, and none in the plain builds
    stem = consolidated.stem
    read = lambda name: (tmp_path / name).read_text(encoding="utf-8")  # noqa: E731
    assert read(f"{stem}.accepter.txt") == read("modifie.tel-quel.txt")
    assert read(f"{stem}.rejeter.txt") == read("signe.tel-quel.txt")


def test_both_files_convert_to_pdf(drawn, tmp_path):
    soffice_or_skip()
    from csi_docgen.pdf import to_pdf

    pdfs = to_pdf([drawn.avenant_path, drawn.consolidated_path], tmp_path)
    assert [p.stat().st_size > 1000 for p in pdfs] == [True, True]


# --- a second avenant chains -----------------------------------------------------------------


def test_a_second_avenant_is_drawn_against_the_first_amended_version(drawn, folder, library, tmp_path, n):
    second = _amended_text(precedent="bourges-avenant-1.yaml", cameras=20, date="2024-02-01").replace(
        INSERTED_CLAUSE,
        INSERTED_CLAUSE + INSERTED_CLAUSE.replace("audiences-foraines", "maison-justice").replace("Audiences foraines", "Maison de la justice et du droit"),
    )
    (folder / "bourges-avenant-2.yaml").write_text(second, encoding="utf-8")
    result = draw_avenant(folder / "bourges-avenant-1.yaml", folder / "bourges-avenant-2.yaml", tmp_path, library=library)
    assert result.number == 2
    assert result.avenant_path.name == "Avenant-2-bourges-2021-2026.docx"
    text = "\n".join(_docx_paragraphs(result.avenant_path))
    assert "Avenant n°\u00a02 au contrat de sécurité intégrée de Bourges signé le 22\u00a0juillet 2021" in text
    assert "Vu l’avenant n° 1 à ce contrat, signé le 15 mars 2023" in text.replace("\u00a0", " ")
    assert "«\u00a0quinze (15)\u00a0» sont remplacés par les mots\u00a0: «\u00a0vingt (20)\u00a0»" in text.replace(" :", "\u00a0:")
    assert f"Après l’article {n['before']} bis, il est inséré un article {n['before']} ter ainsi rédigé" in text
    assert "abrogé" not in text.replace("(abrogé)", "")  # the removed article was abrogated by the first one
    amended = result.amended
    assert str(amended.article_for(REMOVED).number) == n["gone"]
    root = _document(result.consolidated_path)
    assert {m.get(W + "author") for m in root.iter(W + "ins")} == {"Avenant n° 2"}


# --- bad input: French error, exit 1, nothing written --------------------------------------------


def _refused(args, folder) -> str:
    out = folder / "refus"
    result = CliRunner().invoke(cli, ["avenant", *args, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert not out.exists()
    return result.output


def test_identical_versions_are_refused(folder):
    (folder / "identique.yaml").write_text(_signed_text() + "\navenant:\n  precedent: bourges.yaml\n", encoding="utf-8")
    message = _refused([str(folder / "bourges.yaml"), str(folder / "identique.yaml")], folder)
    assert "rien à modifier par avenant" in message


def test_versions_of_two_different_contracts_are_refused(folder):
    other = _amended_text().replace("  debut: 2021", "  debut: 2022")
    (folder / "autre.yaml").write_text(other, encoding="utf-8")
    message = _refused([str(folder / "bourges.yaml"), str(folder / "autre.yaml")], folder)
    assert "autre.yaml:" in message and "periode.debut" in message and "pas deux versions du même contrat" in message


def test_an_amended_profile_without_its_precedent_is_refused(folder):
    message = _refused([str(folder / "bourges.yaml"), str(folder / "bourges.yaml")], folder)
    assert "ne dit pas quelle version il modifie" in message and "precedent" in message


def test_an_invalid_amended_profile_is_refused_at_its_line(folder):
    bad = _amended_text(extra="  numro: 1\n")
    (folder / "invalide.yaml").write_text(bad, encoding="utf-8")
    message = _refused([str(folder / "bourges.yaml"), str(folder / "invalide.yaml")], folder)
    line = bad.splitlines().index("  numro: 1") + 1
    assert f"invalide.yaml:{line}" in message and "numro" in message


def test_a_wrong_avenant_number_is_refused(folder):
    bad = _amended_text(extra="  numero: 2\n")
    (folder / "numero.yaml").write_text(bad, encoding="utf-8")
    message = _refused([str(folder / "bourges.yaml"), str(folder / "numero.yaml")], folder)
    assert "avenant.numero : 2 attendu 1" in message


def test_signed_file_matching_the_signed_profile_is_accepted(folder, library, tmp_path, n):
    signed = load_version(folder / "bourges.yaml", library).contract
    signed_docx = tmp_path / "CSI-signe.docx"
    signed.to_docx(signed_docx)
    result = CliRunner().invoke(
        cli, ["avenant", str(folder / "bourges.yaml"), str(folder / "bourges-avenant-1.yaml"), "--signe", str(signed_docx), "-o", str(tmp_path / "ok")]
    )
    assert result.exit_code == 0, result.output
    assert "Avenant n° 1 : " in result.output and f"l’article {n['gone']} : article abrogé" in result.output
    assert sorted(p.name for p in (tmp_path / "ok").iterdir()) == [
        "Avenant-1-bourges-2021-2026.docx", "CSI-bourges-2021-2026-consolide-avenant-1.docx"
    ]


def test_signed_file_edited_after_signing_is_refused_naming_what_differs(folder, library, tmp_path):
    signed = load_version(folder / "bourges.yaml", library).contract
    data = render_docx(signed)
    edited = tmp_path / "CSI-signe-modifie.docx"
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as src, zipfile.ZipFile(edited, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "word/document.xml":
                content = content.replace("dix (10)".encode(), "douze (12)".encode(), 1)
            dst.writestr(info, content)
    message = _refused([str(folder / "bourges.yaml"), str(folder / "bourges-avenant-1.yaml"), "--signe", str(edited)], folder)
    assert "CSI-signe-modifie.docx" in message and "n’est pas le contrat que produit" in message
    assert "word/document.xml" in message and "douze (12)" in message


def test_a_removed_article_moved_back_elsewhere_is_refused(folder, library):
    moved = _amended_text().replace("      - collectivite-prevention-chantiers-passerelles\n", "").replace(
        "      - collectivite-education-decrochage-absenteisme\n",
        "      - collectivite-education-decrochage-absenteisme\n      - collectivite-prevention-chantiers-passerelles\n",
    )
    (folder / "deplace.yaml").write_text(moved, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        draw_avenant(folder / "bourges.yaml", folder / "deplace.yaml", folder / "refus", library=library)
    assert "change de place" in str(info.value)
    assert not (folder / "refus").exists()


# --- the structured difference from Python -------------------------------------------------


def test_amendments_are_usable_from_python(drawn, folder, library, n):
    signed = load_version(folder / "bourges.yaml", library).contract
    changes = am.amendments(signed, drawn.amended)
    assert [c.as_dict() for c in changes[:3]] == [
        {"nature": "mots-remplaces", "objet": f"l’article {n['cam']}", "article": n["cam"], "mots": [{"avant": "dix (10)", "apres": "quinze (15)"}]},
        {"nature": "article-abroge", "objet": f"l’article {n['gone']}", "article": n["gone"]},
        {"nature": "article-insere", "objet": f"l’article {n['before']} bis", "article": f"{n['before']} bis", "apres": n["before"]},
    ]


# --- the example and the README -------------------------------------------------------------


def test_example_amended_profile_draws_its_avenant(library, tmp_path):
    result = draw_avenant(EXAMPLES / "clermont-ferrand.yaml", EXAMPLES / "clermont-ferrand-avenant-1.yaml", tmp_path, library=library)
    # The example is a copy of clermont-ferrand.yaml with one article inserted: when the signed
    # example changes, its copy must follow (python tests/outils/copie_avenant_exemple.py refreshes
    # it). The inserted article has no indicator, so the
    # evaluation article no longer says that every engagement has some: a few words replaced.
    assert [c.kind for c in result.changes] == [am.INSERTED, am.WORDS], [c.as_dict() for c in result.changes]
    assert result.changes[1].words[0] == ("Chaque engagement", "Les engagements")
    clspd = str(load_version(EXAMPLES / "clermont-ferrand.yaml", library).contract.article_for("collectivite-prevention-clspd").number)
    inserted = [c for c in result.changes if c.kind == am.INSERTED]
    assert [(c.where, c.after.clause_id) for c in inserted] == [(f"l’article {clspd} bis", "collectivite-prevention-clspd")]
    text = "\n".join(_docx_paragraphs(result.avenant_path))
    assert "Avenant n°\u00a01 au contrat de sécurité intégrée de Clermont-Ferrand signé le 22\u00a0juillet 2021" in text
    assert f"il est inséré un article {clspd} bis ainsi rédigé" in text and "21 communes de la métropole" in text
    root = _document(result.consolidated_path)
    assert {m.get(W + "author") for m in root.iter(W + "ins")} == {"Avenant n° 1"}
    assert {m.get(W + "date") for m in root.iter(W + "ins")} == {None}  # the example leaves the avenant's date blank


def test_building_an_amended_profile_keeps_the_signed_numbering_and_its_own_name(library, tmp_path):
    from csi_docgen import build

    result = build(EXAMPLES / "clermont-ferrand-avenant-1.yaml", output_dir=tmp_path, library=library)
    assert result.path.name == "CSI-clermont-ferrand-2021-2026-avenant-1.docx"
    clspd = result.contract.article_for("collectivite-prevention-clspd").number
    assert str(result.contract.article_for("clermont-prevention-conseil-metropolitain").number) == f"{clspd} bis"


def test_readme_avenant_command_runs_as_written(library, tmp_path, monkeypatch):
    import re
    import shlex

    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    [line] = [l.strip() for l in readme.splitlines() if l.strip().startswith("csi-docgen avenant examples/")]
    args = shlex.split(line)[1:]
    signed = args[args.index("--signe") + 1]
    monkeypatch.chdir(tmp_path)
    build_result = CliRunner().invoke(cli, ["build", str(EXAMPLES / "clermont-ferrand.yaml"), "-o", signed])
    assert build_result.exit_code == 0, build_result.output
    args = [str(EXAMPLES.parent / a) if a.startswith("examples/") else a for a in args]
    result = CliRunner().invoke(cli, args + ["-o", "sortie"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Avenant n° 1 : \d+ modification\(s\)", result.output)
    assert (tmp_path / "sortie" / "Avenant-1-clermont-ferrand-2021-2026.docx").is_file()


def test_comparer_and_the_avenant_share_one_structured_difference(drawn, folder, library, n):
    from csi_docgen.api import contract_from

    signed = contract_from(folder / "bourges.yaml", library)
    amended = contract_from(folder / "bourges-avenant-1.yaml", library)  # numbered as signed
    report = signed.differences(amended)
    assert report.amendments == drawn.changes
    assert report.renumbered == ()  # frozen numbering: no article changes its number
    assert report.as_dict()["modifications"][0] == {
        "nature": "mots-remplaces", "objet": f"l’article {n['cam']}", "article": n["cam"], "mots": [{"avant": "dix (10)", "apres": "quinze (15)"}]
    }
    result = CliRunner().invoke(cli, ["comparer", str(folder / "bourges.yaml"), str(folder / "bourges-avenant-1.yaml"), "--format", "json"])
    assert result.exit_code == 1  # like diff: differences found
    assert '"nature": "article-abroge"' in result.output


def test_an_abrogated_article_stays_in_its_subdivision(library):
    from csi_docgen.avenant import with_abrogated
    from csi_docgen.model import ABROGATED, Article, ArticleNumber, PartySection, Titre, Volet

    def art(n, rank=0):
        return Article(ArticleNumber(n, rank), f"a{n}", ())

    axe = Volet("axe", 1, "Axe", (PartySection("etat", "État", (art(3),)),))
    volet = Volet("v", 1, "Volet", (PartySection("etat", "État", (art(2),)),), subdivisions=(axe,))
    contract = load_version(EXAMPLES / "bourges.yaml", library).contract
    contract = __import__("dataclasses").replace(contract, titres=(Titre(1, "T", articles=(art(1),), volets=(volet,)), Titre(3, "F", articles=(art(5),))))
    gone = Article(ArticleNumber(4), ABROGATED, ())
    placed = with_abrogated(contract, (gone,))
    assert [str(a.number) for a in placed.articles] == ["1", "2", "3", "4", "5"]
    assert placed.titres[0].volets[0].subdivisions[0].sections[0].articles[-1] == gone


def test_a_rewritten_article_and_a_renamed_volet(folder, library, tmp_path):
    text = _signed_text().replace("    titre: La justice\n", "    titre: La justice et l'accès au droit\n", 1).replace(
        "        titre: Errance et rupture sociale\n", "        titre: Errance, rupture sociale et hébergement\n", 1
    ) + "\navenant:\n  precedent: bourges.yaml\n"
    (folder / "reecrit.yaml").write_text(text, encoding="utf-8")
    result = draw_avenant(folder / "bourges.yaml", folder / "reecrit.yaml", tmp_path, library=library)
    assert [c.kind for c in result.changes] == [am.HEADING, am.REPLACED, am.ANNEX_REPLACED]  # the indicators annex names the engagement
    words = "\n".join(_docx_paragraphs(result.avenant_path))
    assert "L’intitulé du champ 2 est remplacé par l’intitulé\u00a0: «\u00a0La justice et l’accès au droit\u00a0»." in words  # Bourges: « champs d’action »
    number = result.changes[1].article.number
    assert f"L’article {number} est remplacé par les dispositions suivantes" in words
    assert f"«\u00a0Article {number} — Errance, rupture sociale et hébergement" in words
    signed = load_version(folder / "bourges.yaml", library).contract
    _assert_revisions_resolve(result.consolidated_path, signed, result.amended, tmp_path)


def test_valider_checks_the_version_an_amended_profile_names(example_copy):
    """« valider » refuses what « build » refuses: a precedent that is not there."""
    from click.testing import CliRunner

    from csi_docgen.cli import cli

    path = example_copy / "clermont-ferrand-avenant-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  precedent: clermont-ferrand.yaml", "  precedent: clermont.yaml"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["valider", "-q", str(path)])
    assert result.exit_code == 1, result.output
    assert "avenant.precedent : fichier « clermont.yaml » introuvable" in result.output
    assert ":251 : avenant.precedent" in result.output
