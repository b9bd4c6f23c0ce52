"""The public API of ``csi_docgen`` stays callable whatever the order of first use.

Checked in child processes: each starts with nothing imported.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from outils_robustesse import subprocess_env


# (case, Python code run after « import csi_docgen as csi »)
ORDERS = [
    pytest.param("build-seul", "assert callable(csi.build)", id="build-seul"),
    pytest.param("build-apres-contract_from", "csi.contract_from; assert callable(csi.build), csi.build",
                 id="build-apres-contract_from"),
    pytest.param("assemble-apres-contract_from", "csi.contract_from; assert callable(csi.assemble), csi.assemble",
                 id="assemble-apres-contract_from"),
]

# One child process tries every order, each from a fresh import of the package.
CHILD = """
import json, sys
results = {}
for case, code in json.loads(sys.argv[1]).items():
    for name in [m for m in sys.modules if m == "csi_docgen" or m.startswith("csi_docgen.")]:
        del sys.modules[name]
    import csi_docgen as csi
    try:
        exec(code, {"csi": csi})
        results[case] = ""
    except Exception as exc:
        results[case] = repr(exc)
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def orders():
    cases = {p.values[0]: p.values[1] for p in ORDERS}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(cases)],
        capture_output=True, text=True, env=subprocess_env(), timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("case, code", ORDERS)
def test_public_names_are_functions(orders, case, code):
    assert orders[case] == "", orders[case]


# (case, keyword arguments of build besides the profile, French fragment)
ARGUMENTS = [
    pytest.param("sortie-dossier", {"output": "{tmp}"}, "écriture impossible (c'est un dossier)", id="sortie-dossier"),
    pytest.param("modele-dossier", {"template": "{tmp}"}, "modèle de document illisible", id="modele-dossier"),
    pytest.param("modele-absent", {"template": "{tmp}/absent.docx"}, "modèle de document introuvable", id="modele-absent"),
    pytest.param("modele-peripherique", {"template": "/dev/null"}, "ce n'est pas un fichier ordinaire", id="modele-peripherique"),
    pytest.param("modele-pas-docx", {"template": "{tmp}/modele.docx"}, "n'est pas un document Word (.docx) lisible", id="modele-pas-docx"),
    pytest.param("modele-nul", {"template": "mod\x00ele.docx"}, "chemin du modèle invalide (caractère nul)", id="modele-nul"),
    pytest.param("sortie-entier", {"output": 123}, "doit être un chemin", id="sortie-entier"),
    pytest.param("modele-entier", {"template": 123}, "doit être un chemin", id="modele-entier"),
    pytest.param("dossier-entier", {"output": None, "output_dir": 4.5}, "doit être un chemin", id="dossier-entier"),
]


@pytest.mark.parametrize("case, kwargs, fragment", ARGUMENTS)
def test_build_arguments_of_the_wrong_kind(tmp_path, library, case, kwargs, fragment):
    from csi_docgen.api import build
    from csi_docgen.errors import CsiError
    from outils_robustesse import EXAMPLES, writer_or_skip

    writer_or_skip()
    (tmp_path / "modele.docx").write_text("du texte, pas un document Word", encoding="utf-8")
    kwargs = {k: v.format(tmp=tmp_path) if isinstance(v, str) else v for k, v in kwargs.items()}
    kwargs.setdefault("output", tmp_path / "contrat.docx")
    with pytest.raises(CsiError) as info:
        build(EXAMPLES / "bourges.yaml", library=library, **kwargs)
    assert fragment in str(info.value)
    assert not (tmp_path / "contrat.docx").exists()


def test_to_docx_refuses_a_path_of_the_wrong_kind(library):
    from csi_docgen.api import contract_from
    from csi_docgen.errors import OutputError
    from outils_robustesse import EXAMPLES, writer_or_skip

    writer_or_skip()
    contract = contract_from(EXAMPLES / "bourges.yaml", library)
    with pytest.raises(OutputError, match="le chemin du contrat doit être un chemin de fichier"):
        contract.to_docx(["contrat.docx"])
    with pytest.raises(OutputError, match="le modèle doit être un chemin de fichier"):
        contract.to_docx("x.docx", template=b"modele.docx")
