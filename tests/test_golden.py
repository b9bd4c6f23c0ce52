"""Golden text of both examples: the whole contract, reviewed like code.

After an intended change, regenerate with ``CSI_DOCGEN_REGOLD=1 pytest
tests/test_golden.py`` and read the diff before committing it.
"""

import os
from pathlib import Path

import pytest

from csi_docgen import contract_from

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", ["bourges", "clermont-ferrand"])
def test_example_text_matches_golden(library, name):
    from conftest import EXAMPLES

    text = contract_from(EXAMPLES / f"{name}.yaml", library).text()
    # The external annex path is absolute: keep only its name in the golden file.
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("CSI_DOCGEN_REGOLD") == "1":
        golden.write_text(text, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, f"le texte de {name} a changé : relisez le diff puis régénérez le fichier témoin"
