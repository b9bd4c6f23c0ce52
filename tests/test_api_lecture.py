"""The API as a notebook user reads it: a short repr, an HTML preview that numbers titres as the
.docx does and leaves unknown names out."""

from csi_docgen import contract_from

from conftest import EXAMPLES


def test_repr_is_one_short_line(library):
    contract = contract_from(EXAMPLES / "bourges.yaml", library)
    text = repr(contract)
    assert text.startswith("<Contract Contrat de sécurité intégrée — Bourges — 2021-2026 : ")
    assert len(text) < 200 and "\n" not in text
    assert f"{len(contract.articles)} articles" in text
    assert text.endswith(" : 37 articles, 4 signataires, 1 annexe>"), text  # Bourges: indicators only


def test_preview_counts_agree_in_number(library):
    html = contract_from(EXAMPLES / "bourges.yaml", library)._repr_html_()
    assert "37 articles, 4 signataires, 1 annexe</p>" in html


def test_html_preview_numbers_titres_in_roman_and_has_no_dangling_dash(library):
    contract = contract_from(EXAMPLES / "bourges.yaml", library)
    html = contract._repr_html_()
    assert "<h3>Titre I — " in html and "<h3>Titre 1 — " not in html
    assert "<li>Le préfet du Cher</li>" in html  # Bourges names no signatory yet
    assert " — </li>" not in html
    named = contract_from(EXAMPLES / "clermont-ferrand.yaml", library)._repr_html_()
    assert "<li>Le maire de Clermont-Ferrand — Olivier BIANCHI</li>" in named


def test_html_preview_shows_the_parties_and_who_is_present(library):
    html = contract_from(EXAMPLES / "clermont-ferrand.yaml", library)._repr_html_()
    assert "<summary>Parties</summary><p><strong>ENTRE</strong></p><p>L’État, représenté par le ministre de l’Intérieur" in html
    assert "ci-après dénommée «\u00a0la ville\u00a0»" in html
    assert "<h3>En présence de</h3><ul><li>Le préfet du Puy-de-Dôme — Philippe CHOPIN</li>" in html


def test_a_profile_and_an_amendment_print_on_one_line(library):
    from csi_docgen import amendments, load_profile

    profile = load_profile(EXAMPLES / "clermont-ferrand.yaml", library)
    assert repr(profile).startswith(f"<Profile {EXAMPLES / 'clermont-ferrand.yaml'} — Clermont-Ferrand — 2021-2026 : ")
    assert len(repr(profile)) < 200
    signed = contract_from(EXAMPLES / "clermont-ferrand.yaml", library)
    amended = contract_from(EXAMPLES / "clermont-ferrand-avenant-1.yaml", library)
    changes = amendments(signed, amended)
    assert repr(changes[0]).startswith("<Amendment ") and all(len(repr(c)) < 200 for c in changes)


def test_amendments_of_two_paths_says_what_it_compares():
    import pytest

    from csi_docgen import amendments

    with pytest.raises(TypeError, match=r"amendments\(\) compare deux contrats \(csi.contract_from\(profil\)\), pas « str »"):
        amendments("signe.yaml", "modifie.yaml")


def test_build_into_a_folder_given_with_a_final_slash(library, tmp_path, monkeypatch):
    """« csi.build(profil, "sortie/") » wrote a .docx named « sortie »: a folder is a folder."""
    from csi_docgen import build

    monkeypatch.chdir(tmp_path)
    result = build(EXAMPLES / "bourges.yaml", "sortie/", library=library)
    assert result.path.as_posix() == "sortie/CSI-bourges-2021-2026.docx"
    assert (tmp_path / "sortie").is_dir() and (tmp_path / "sortie" / "CSI-bourges-2021-2026.docx").is_file()
    again = build(EXAMPLES / "bourges.yaml", output_dir=tmp_path / "sortie", library=library)
    assert again.path == tmp_path / "sortie" / "CSI-bourges-2021-2026.docx" and again.sha256 == result.sha256
