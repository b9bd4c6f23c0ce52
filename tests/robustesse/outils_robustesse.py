"""Shared pieces of the robustness battery: a base profile, the CLI, file snapshots, docx checks.

Not a test module (pytest does not collect it); the test files of this folder
import it by name, as they import ``conftest`` from ``tests/``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from csi_docgen.cli import cli
from csi_docgen.errors import CsiError, InvalidInput

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
ANNEX = EXAMPLES / "annexes" / "convention-coordination-pm-pn.docx"

# --- the base profile ------------------------------------------------------------------------
#
# The first 30 lines are fixed: the case tables give line numbers in them.
HEAD = """\
collectivite:
  nom: Exempleville
  type: commune
periode:
  debut: 2021
  fin: 2026
signature:
  lieu: Exempleville
  date: 2021-09-01
  exemplaires: 2
signataires:
  - partie: etat
    qualite: Le préfet
    nom: Alice MARTIN
  - partie: collectivite
    qualite: Le maire
    nom: Bruno DURAND
annexes:
  generees: [indicateurs, financement, socle, clauses]
volets:
  - volet: securite
    clauses:
      - id: collectivite-securite-videoprotection-csu
        parametres:
          cameras_par_an: 10
          situation: existant
      - id: collectivite-securite-renforcement-pm
        parametres:
          presence_renforcee: en soirée
          zones_patrouille: [nord, sud]
"""
HEAD_LINES = HEAD.count("\n")
PARAMETERISED = {"collectivite-securite-videoprotection-csu", "collectivite-securite-renforcement-pm"}
# Socle clauses whose text depends on whether the structure exists: the profile chooses.
NEEDS_SITUATION = {"collectivite-prevention-cddf", "collectivite-prevention-clspd"}

# A volet written in the profile, with a clause of its own (last lines of the file).
INLINE = """\
  - volet: prevention-sociale
    personnalise: true
    titre: La prévention sociale
    clauses:
      - id: exempleville-errance
        titre: Errance et rupture sociale
        partie: commun
        parametres:
          public:
            type: texte
            description: Public accompagné
        valeurs:
          public: les personnes sans domicile
        texte: |
          L'État et {{ collectivite.sujet }} accompagnent {{ public }}.
"""


@functools.lru_cache(maxsize=1)
def socle_ids() -> tuple[str, ...]:
    from csi_docgen import load_library

    return tuple(c.id for c in load_library().socle)


def base_profile() -> str:
    """A valid profile: every socle measure kept, two parameterised clauses, an inline clause."""
    rest = "".join(
        f"      - {{id: {cid}, parametres: {{situation: existant}}}}\n" if cid in NEEDS_SITUATION else f"      - {cid}\n"
        for cid in socle_ids()
        if cid not in PARAMETERISED
    )
    return HEAD + rest + INLINE


def base_dict() -> dict:
    """The same profile as a notebook dict (values as YAML would give them)."""
    from csi_docgen.yamlpos import load_yaml

    return load_yaml(base_profile(), "base.yaml").data


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} absent du profil")


def replaced(old: str, new: str, text: str | None = None) -> str:
    text = base_profile() if text is None else text
    assert old in text, old
    return text.replace(old, new, 1)


# --- hostile samples shared by several test files -----------------------------------------------

INJECTIONS = [
    "{{ 7*7 }}",
    "{{ collectivite.__class__.__mro__ }}",
    "{% raw %}",
    "{% if true %}oui{% endif %}",
    "{# commentaire #}",
    "**gras**",
    "*italique*",
    "__souligné__",
    "<w:p>",
    "</w:t></w:r></w:p><w:p><w:r><w:t>pirate",
    "<script>alert(1)</script>",
    "&amp;",
    "&lt;b&gt;",
    "&#x41;",
    "- puce",
    "1. numéro",
    "* étoile",
    "# titre",
    "> citation",
    "[lien](http://exemple.fr)",
    "`code`",
    "\\ antislash \\",
    "| a | b |",
    "${HOME} $(rm -rf /)",
    "%(x)s {0}",
    "' or 1=1 --",
    '"guillemets droits"',
    "l'apostrophe",
    "deux points : point-virgule ; exclamation !",
    "n° 12 et L. 512-4",
    "250 000 €",
]


def yaml_quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON is valid YAML for these)."""
    return json.dumps(value, ensure_ascii=False)


def profile_with(values: list[str], *, texte: str | None = None) -> str:
    texte = " / ".join(values) if texte is None else texte
    items = ", ".join(yaml_quoted(v) for v in values)
    text = replaced("presence_renforcee: en soirée", f"presence_renforcee: {yaml_quoted(texte)}")
    text = replaced("zones_patrouille: [nord, sud]", f"zones_patrouille: [{items}]", text)
    text = replaced("nom: Alice MARTIN", f"nom: {yaml_quoted(texte)}", text)
    text = replaced("public: les personnes sans domicile", f"public: {yaml_quoted(texte)}", text)
    return text


RAW_CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x9f", "\ufffe", "\uffff"]
ESCAPED = ['"\\0"', '"\\x0b"', '"\\e"', '"\\x1f"', '"\\uFFFE"', '"\\uFFFF"', '"\\x01"']


def controls_profile() -> str:
    """Raw control characters in plain values, escaped ones in quoted values."""
    raw = "".join(f"a{c}" for c in RAW_CONTROLS) + "b"
    escaped = "[" + ", ".join(e[:-1] + 'fin"' for e in ESCAPED) + "]"  # "\0fin", "\x0bfin"…
    text = replaced("presence_renforcee: en soirée", f"presence_renforcee: en{raw}soirée")
    text = replaced("zones_patrouille: [nord, sud]", f"zones_patrouille: {escaped}", text)
    text = replaced("qualite: Le préfet", "qualite: Le pré\x0bfet", text)
    text = replaced("  lieu: Exempleville", '  lieu: "Exemple\\x0bville"', text)
    return text


LONG = ("Un long texte de cent mille caractères, sans retour à la ligne ; " * 1600)[:100_000]


# --- the command line ------------------------------------------------------------------------


def run_cli(*args, env: dict | None = None):
    """Invoke ``csi-docgen``; an unexpected exception (a traceback) fails the test."""
    runner = CliRunner()
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, env=env)


def cli_output(result) -> str:
    """stdout and stderr together (click ≥ 8.2 keeps both in ``output``)."""
    return result.output


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text, text
    assert "erreur interne" not in text, text


# --- files: snapshots, no temp files left ---------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) → SHA-256 of its bytes."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def api_calls(source, library, output: Path):
    """Every public entry point on one profile; returns the errors raised (all CsiError)."""
    import csi_docgen
    from csi_docgen.api import build

    raised = []

    def attempt(fn):
        try:
            fn()
        except CsiError as exc:
            raised.append(exc)
        # anything else propagates: a bug


    def check():
        verdict = csi_docgen.check_profile(source, library)
        if not verdict.valid:  # the verdict carries the problems: as the exception the others raise
            raise InvalidInput(verdict.errors)

    attempt(check)
    attempt(lambda: csi_docgen.load_profile(source, library))
    attempt(lambda: csi_docgen.contract_from(source, library))
    attempt(lambda: build(source, output, library=library))
    return raised


def issues_of(exc: CsiError) -> list[str]:
    issues = getattr(exc, "issues", None)
    return [str(i) for i in issues] if issues else [str(exc)]


# --- the .docx writer and real clients --------------------------------------------------------


def writer_or_skip():
    """``write_docx`` once the writer exists (a missing package skips; a broken one fails)."""
    if not (REPO / "csi_docgen" / "docx" / "__init__.py").exists():
        pytest.skip("le rédacteur .docx (csi_docgen/docx) n'existe pas encore")
    from csi_docgen.docx import write_docx

    return write_docx


def docx_text(path: Path) -> str:
    """All the text python-docx reads back: body paragraphs, tables, headers and footers."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def reread(path: Path) -> str:
    """The document opens in python-docx and its zip is sound; returns its text."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None, path
        assert "word/document.xml" in archive.namelist()
    return docx_text(path)


def audit(*paths: Path) -> None:
    """openxml-audit (the validator's Python API) finds no error and no warning."""
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    for path in paths:
        result = validator.validate(str(path))
        assert (result.error_count, result.warning_count) == (0, 0), (path, [e.description for e in result.errors])


def audit_cli(folder: Path) -> list[dict]:
    """``openxml-audit -r -o json FOLDER``: one report per .docx, each with no finding."""
    exe = shutil.which("openxml-audit")
    command = [exe] if exe else [sys.executable, "-m", "openxml_audit"]
    result = subprocess.run(command + ["-r", "-o", "json", str(folder)], capture_output=True, text=True, timeout=120)
    reports = json.loads(result.stdout)
    assert reports, result.stderr
    for report in reports:
        assert (report["error_count"], report.get("warning_count", 0)) == (0, 0), report
    return reports


def normalised(text: str) -> str:
    """Whitespace runs (line wrapping, newlines turned into spaces…) as one space."""
    return " ".join(text.split())


def literal(value: str) -> str:
    """What a profile value becomes in the contract: XML-illegal characters and value
    markers dropped, line breaks turned into spaces, apostrophes typographic."""
    from csi_docgen import french

    text = french.apostrophes(french.strip_markers(french.clean_text(value)))
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def expected_literal(value: str) -> str:
    """:func:`literal`, whitespace normalised (to look for it in a normalised text)."""
    return normalised(literal(value))


def in_context(before: str, value: str, after: str) -> str:
    """The normalised text of a value printed between two pieces of clause text."""
    return normalised(before + literal(value) + after)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def subprocess_env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env
