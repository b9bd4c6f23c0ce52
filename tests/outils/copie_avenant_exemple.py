"""Refresh examples/clermont-ferrand-avenant-1.yaml from examples/clermont-ferrand.yaml.

The amended example is a copy of the signed one with one inline clause
inserted after the CLSPD/CISPD clause and an « avenant: » section; when the
signed example changes, run ``python tests/outils/copie_avenant_exemple.py``
and review the diff.
"""

import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def refresh() -> str:
    signed = (EXAMPLES / "clermont-ferrand.yaml").read_text(encoding="utf-8")
    target = EXAMPLES / "clermont-ferrand-avenant-1.yaml"
    current = target.read_text(encoding="utf-8")
    header = current[: current.index("collectivite:")]
    start = current.index("      # Inséré par l")
    end = current.index("      - ", current.index("délinquance, qui intègre", start))
    inserted = current[start:end]
    tail = current[current.index("# La version que cet avenant modifie"):]
    body = signed[signed.index("collectivite:"):]
    found = re.search(r"\n      - (id: )?collectivite-prevention-clspd\n(        .*\n)*", body)
    if found is None:
        raise SystemExit("collectivite-prevention-clspd n'est plus dans clermont-ferrand.yaml : choisissez une autre place")
    text = header + (body[: found.end()] + inserted + body[found.end():]).rstrip("\n") + "\n\n" + tail
    target.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    refresh()
