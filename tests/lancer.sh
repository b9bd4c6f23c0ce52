#!/usr/bin/env bash
# Installe ce qu'il faut pour les tests (paquets Python, LibreOffice s'il manque)
# puis lance toute la suite. C'est la commande de test donnée par README.md.
#
# Le Python employé est celui de l'environnement virtuel actif ; sinon celui de
# .venv/ à la racine du dépôt, créé s'il manque (comme le fait la première commande
# du README) : rien n'est installé dans le Python du système.
#
# Une installation normale de csi-docgen dans cet environnement le reste (elle est
# refaite depuis ce dossier) ; sans installation, ou avec une installation
# modifiable (pip install -e), csi-docgen est installé en mode modifiable.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# python3-uno : l'API de LibreOffice, pour vérifier les modifications suivies des avenants.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 \
    || { command -v apt-get >/dev/null 2>&1 && ! /usr/bin/python3 -c "import uno" >/dev/null 2>&1; }; then
  echo "Installation de LibreOffice Writer et de poppler-utils (une fois)..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    libreoffice-writer-nogui python3-uno poppler-utils fonts-dejavu fonts-liberation >/dev/null
fi

if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
  PY="$VIRTUAL_ENV/bin/python"
else
  if [ ! -x .venv/bin/python ]; then
    echo "Création de l'environnement virtuel .venv/ ..." >&2
    if ! python3 -m venv .venv 2>/dev/null; then
      rm -rf .venv
      if ! command -v apt-get >/dev/null 2>&1; then
        echo "erreur : python3 -m venv ne fonctionne pas ; installez le module venv de Python" >&2
        exit 1
      fi
      echo "Installation de python3-venv (Debian, Ubuntu)..." >&2
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv .venv
    fi
  fi
  PY=.venv/bin/python
fi

MODE=$("$PY" - <<'PYTHON'
import json
from importlib import metadata

try:
    dist = metadata.distribution("csi-docgen")
except metadata.PackageNotFoundError:
    print("absent")
else:
    info = json.loads(dist.read_text("direct_url.json") or "{}")
    print("modifiable" if info.get("dir_info", {}).get("editable") else "normal")
PYTHON
)
PIP=("$PY" -m pip install --quiet --disable-pip-version-check)
if [ "$MODE" = "normal" ]; then
  echo "csi-docgen est installé normalement dans $("$PY" -c 'import sys; print(sys.prefix)') : il est réinstallé normalement depuis ce dossier, avec les paquets de test." >&2
  "${PIP[@]}" --force-reinstall --no-deps .
  "${PIP[@]}" ".[test,bench]"
else
  "${PIP[@]}" -e ".[test,bench]"
fi
"$PY" -m pytest "$@"
