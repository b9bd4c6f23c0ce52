#!/usr/bin/env bash
# Installe ce qu'il faut pour les tests (paquets Python, LibreOffice s'il manque)
# puis lance toute la suite. C'est la commande de test donnée par README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "Installation de LibreOffice Writer et de poppler-utils (une fois)..." >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    libreoffice-writer-nogui poppler-utils fonts-dejavu fonts-liberation >/dev/null
fi

python3 -m pip install --quiet --disable-pip-version-check -e ".[test,bench]"
python3 -m pytest "$@"
