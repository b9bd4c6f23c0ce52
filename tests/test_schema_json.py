"""The JSON schema given to editors says what ``valider`` says (checked with check-jsonschema)."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from csi_docgen.cli import cli
from csi_docgen.json_schema import clause_schema, profile_schema

from conftest import CLAUSES, EXAMPLES


def _check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    assert exe, "check-jsonschema is a test dependency (pyproject.toml)"
    return subprocess.run([exe, "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True, timeout=120)


@pytest.fixture
def schema_file(tmp_path):
    result = CliRunner().invoke(cli, ["schema", "profil"], catch_exceptions=False)
    path = tmp_path / "csi-profil.schema.json"
    path.write_text(result.output, encoding="utf-8")
    return path


def _variant(example_copy, name, old, new):
    path = example_copy / name
    source = (example_copy / "bourges.yaml").read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def _valider(path):
    return CliRunner().invoke(cli, ["valider", str(path)], catch_exceptions=False)


def test_both_examples_are_valid_for_the_schema(schema_file):
    result = _check_jsonschema(schema_file, EXAMPLES / "bourges.yaml", EXAMPLES / "clermont-ferrand.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "old, new, where",
    [
        ("  debut: 2021\n", "  debut: 1850\n", "debut"),
        ("  lieu: Bourges\n", "  lieu: Bourges\n  exemplaires: 99\n", "exemplaires"),
        ("  type: ville\n", "  type: village\n", "type"),
        ("  nom: Bourges\n", "  nom: Bourges\n  maire: X\n", "maire"),
    ],
)
def test_what_valider_refuses_the_schema_refuses(schema_file, example_copy, old, new, where):
    path = _variant(example_copy, "refuse.yaml", old, new)
    assert _valider(path).exit_code == 1
    result = _check_jsonschema(schema_file, path)
    assert result.returncode == 1, result.stdout
    assert where in result.stdout + result.stderr


@pytest.mark.parametrize("text", ["paraphes: oui", "paraphes: Non", "paraphes: true"])
def test_what_valider_accepts_the_schema_accepts(schema_file, example_copy, text):
    path = _variant(example_copy, "accepte.yaml", "  paraphes: false\n", f"  {text}\n")
    assert _valider(path).exit_code == 0
    result = _check_jsonschema(schema_file, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bounds_are_json_schema_keywords_and_every_key_is_described():
    for schema in (profile_schema(), clause_schema()):
        text = json.dumps(schema)
        assert not re.search(r'"(ge|le|gt|lt)":', text)
        models = {"(racine)": schema, **schema["$defs"]}
        missing = [f"{model}.{key}" for model, sub in models.items() for key, prop in sub.get("properties", {}).items()
                   if not prop.get("description")]
        assert not missing, f"add a French description in csi_docgen/json_schema.py DESCRIPTIONS: {missing}"
    periode = profile_schema()["$defs"]["Periode"]["properties"]["debut"]
    assert periode["anyOf"][0] == {"type": "integer", "minimum": 2000, "maximum": 2100}
    assert periode["description"].startswith("Année de début")


def test_every_library_clause_header_fits_the_clause_schema():
    import jsonschema

    validator = jsonschema.Draft202012Validator(clause_schema())
    headers = 0
    for path in CLAUSES.rglob("*.md"):
        if path.name == "README.md":
            continue
        header = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(header, default=str)))]
        assert not errors, (path, errors)
        headers += 1
    assert headers > 70
