"""Profile values are data: printed literally, cleaned of what Word cannot hold, never evaluated.

Injection attempts (Jinja, Markdown, WordprocessingML, entities) placed in
clause parameters come out character for character in ``contract.text()``
and in the .docx read back by python-docx; control characters are removed
with a warning; huge values and odd encodings (BOM, CRLF) still give a
sound document. Every document written here is re-read by python-docx and
checked by openxml-audit.
"""

from __future__ import annotations

import time

import pytest

import csi_docgen
from csi_docgen.api import build
from outils_robustesse import (
    INJECTIONS,
    LONG,
    assert_no_traceback,
    audit,
    audit_cli,
    base_dict,
    base_profile,
    controls_profile,
    expected_literal,
    normalised,
    profile_with,
    replaced,
    reread,
    run_cli,
    sha256,
    writer_or_skip,
    yaml_quoted,
)


@pytest.fixture(scope="module")
def injected(tmp_path_factory, library):
    folder = tmp_path_factory.mktemp("injection")
    path = folder / "exempleville.yaml"
    path.write_text(profile_with(INJECTIONS), encoding="utf-8")
    contract = csi_docgen.contract_from(path, library)
    return folder, path, contract


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_is_printed_literally_in_the_text(injected, value):
    _, _, contract = injected
    text = normalised(contract.text())
    assert expected_literal(value) in text
    renforcement = contract.article_for("collectivite-securite-renforcement-pm")
    article_text = normalised(" ".join(b.text if hasattr(b, "text") else " ".join(b.item_texts()) for b in renforcement.blocks))
    assert f"notamment {expected_literal(' / '.join(INJECTIONS))}." in article_text
    assert "49" not in article_text


def test_nothing_of_the_values_is_interpreted(injected):
    _, _, contract = injected
    article = contract.article_for("collectivite-securite-renforcement-pm")
    runs = [r for b in article.blocks for r in getattr(b, "runs", ())]
    # The only bold of the clause is its own; the values bring none.
    assert all("gras" not in r.text or not r.bold for r in runs)
    assert all(not r.italic for r in runs)
    custom = contract.article_for("exempleville-errance")
    assert "{{ 7*7 }}" in custom.blocks[0].text and "49" not in custom.blocks[0].text


def test_injected_contract_writes_a_sound_docx(injected, library, tmp_path):
    writer_or_skip()
    folder, path, contract = injected
    out = tmp_path / "injection.docx"
    result = build(path, out, library=library)
    text = normalised(reread(out))
    for value in INJECTIONS:
        assert expected_literal(value) in text, value
    assert "pirate" in text and "<w:p>" in text
    audit(out)
    # The document has as many paragraphs as the same contract with harmless values:
    import docx

    plain = tmp_path / "plain.docx"
    harmless = ["valeur"] * len(INJECTIONS)
    plain_profile = tmp_path / "plain.yaml"
    plain_profile.write_text(profile_with(harmless), encoding="utf-8")
    build(plain_profile, plain, library=library)
    assert len(docx.Document(str(out)).paragraphs) == len(docx.Document(str(plain)).paragraphs)
    assert result.sha256 == sha256(out)


def test_injection_given_as_a_dict_is_printed_literally(library):
    profile = base_dict()
    clauses = profile["volets"][0]["clauses"]
    clauses[1]["parametres"]["presence_renforcee"] = " / ".join(INJECTIONS)
    clauses[1]["parametres"]["zones_patrouille"] = list(INJECTIONS)
    text = normalised(csi_docgen.contract_from(profile, library).text())
    for value in INJECTIONS:
        assert expected_literal(value) in text


# --- control and XML-illegal characters --------------------------------------------------------------

def test_control_characters_are_removed_with_a_warning(tmp_path, library):
    path = tmp_path / "exempleville.yaml"
    path.write_text(controls_profile(), encoding="utf-8")
    result = run_cli("valider", path)
    assert_no_traceback(result.output)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("avertissement : ")]
    assert any(f"{path}:29:" in w and "caractère de contrôle invisible retiré" in w for w in warnings), warnings
    assert any(f"{path}:13:" in w for w in warnings), warnings
    assert any(f"{path}:8:" in w for w in warnings), warnings
    assert "profil valide" in result.output
    contract = csi_docgen.contract_from(path, library)
    text = contract.text()
    assert "enaaaaaaaaaaabsoirée" in text
    assert "fin, fin, fin, fin, fin, fin et fin" in normalised(text)
    assert "Le préfet" in text and "Exempleville" in text
    assert not csi_docgen.french.has_illegal_chars(text)
    assert contract.warnings


def test_control_characters_never_corrupt_the_docx(tmp_path, library):
    writer_or_skip()
    path = tmp_path / "exempleville.yaml"
    path.write_text(controls_profile(), encoding="utf-8")
    out = tmp_path / "sortie"
    result = run_cli("build", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert "avertissement : " in result.output and "caractère de contrôle invisible retiré" in result.output
    [docx_path] = out.glob("*.docx")
    text = reread(docx_path)
    assert "enaaaaaaaaaaabsoirée" in text
    audit(docx_path)
    audit_cli(out)  # the command line the brief names: openxml-audit -o json


def test_control_characters_in_a_dict_are_removed(library):
    profile = base_dict()
    profile["volets"][0]["clauses"][1]["parametres"]["presence_renforcee"] = "en\x00soi\x0brée\ufffe"
    profile["signataires"][0]["nom"] = "Alice\x1fMARTIN"
    contract = csi_docgen.contract_from(profile, library)
    assert "notamment ensoirée." in normalised(contract.text())
    assert "AliceMARTIN" in contract.text()
    assert any("caractère de contrôle invisible" in w for w in contract.warnings)


# --- size and encodings ---------------------------------------------------------------------------------

def test_very_long_values(tmp_path, library):
    path = tmp_path / "exempleville.yaml"
    text = replaced("presence_renforcee: en soirée", f"presence_renforcee: {yaml_quoted(LONG)}")
    text = replaced("zones_patrouille: [nord, sud]", f"zones_patrouille: [{yaml_quoted(LONG)}, sud]", text)
    text = replaced("nom: Alice MARTIN", f"nom: {yaml_quoted(LONG[:5000])}", text)
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    contract = csi_docgen.contract_from(path, library)
    assert normalised(LONG) in normalised(contract.text())
    try:
        writer_or_skip()
    except pytest.skip.Exception:
        return
    out = tmp_path / "long.docx"
    build(path, out, library=library)
    assert time.perf_counter() - start < 15
    assert normalised(LONG) in normalised(reread(out))
    audit(out)


def test_bom_and_crlf_profiles_work_and_give_the_same_bytes(tmp_path, library):
    writer_or_skip()
    plain = tmp_path / "a" / "exempleville.yaml"
    bom = tmp_path / "b" / "exempleville.yaml"
    crlf = tmp_path / "c" / "exempleville.yaml"
    for path in (plain, bom, crlf):
        path.parent.mkdir()
    plain.write_text(base_profile(), encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + base_profile().encode("utf-8"))
    crlf.write_bytes(base_profile().replace("\n", "\r\n").encode("utf-8"))
    digests = set()
    for path in (plain, bom, crlf):
        result = run_cli("valider", path)
        assert result.exit_code == 0 and "profil valide" in result.output, result.output
        assert "avertissement" not in result.output
        built = run_cli("build", path, "-o", path.parent / "sortie")
        assert built.exit_code == 0, built.output
        [docx_path] = (path.parent / "sortie").glob("*.docx")
        reread(docx_path)
        digests.add(sha256(docx_path))
    assert len(digests) == 1


def test_a_zero_width_no_break_space_inside_a_value_is_kept(library, tmp_path):
    """A zero-width no-break space inside a value is an ordinary character: kept."""
    path = tmp_path / "p.yaml"
    path.write_text(replaced("presence_renforcee: en soirée", "presence_renforcee: en\ufeffsoirée"), encoding="utf-8")
    assert "en\ufeffsoirée" in csi_docgen.contract_from(path, library).text()
