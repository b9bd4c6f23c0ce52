"""tests/lancer.sh, the README's test command: it keeps the kind of installation the user made."""

import os
import shutil
import subprocess
import textwrap

import pytest

from conftest import REPO

FAKE_PYTHON = textwrap.dedent(
    """\
    #!/usr/bin/env bash
    # Stands for the environment's Python: answers the installation question, logs the rest.
    if [ "$1" = "-" ]; then cat >/dev/null; echo "$FAKE_MODE"; exit 0; fi
    if [ "$1" = "-c" ]; then echo "$VIRTUAL_ENV"; exit 0; fi
    echo "$*" >> "$VIRTUAL_ENV/log"
    """
)


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("normal", ["-m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .",
                    "-m pip install --quiet --disable-pip-version-check .[test,bench]"]),
        ("modifiable", ["-m pip install --quiet --disable-pip-version-check -e .[test,bench]"]),
        ("absent", ["-m pip install --quiet --disable-pip-version-check -e .[test,bench]"]),
    ],
)
def test_lancer_keeps_a_normal_installation_normal(tmp_path, mode, expected):
    uno = subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode == 0 if os.path.exists("/usr/bin/python3") else False
    if not (shutil.which("soffice") and shutil.which("pdftotext")) or (shutil.which("apt-get") and not uno):
        pytest.skip("lancer.sh would install LibreOffice (or python3-uno) first")
    venv = tmp_path / "env"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    env = dict(os.environ, VIRTUAL_ENV=str(venv), FAKE_MODE=mode)
    result = subprocess.run(["bash", str(REPO / "tests" / "lancer.sh"), "-k", "rien"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    log = (venv / "log").read_text().splitlines()
    assert log == expected + ["-m pytest -k rien"]
    if mode == "normal":
        assert "csi-docgen est installé normalement" in result.stderr
