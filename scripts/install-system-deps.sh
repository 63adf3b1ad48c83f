#!/usr/bin/env bash
# Install the Debian packages the test suite needs, if they are missing.
# Chromium comes from Debian (never a browser download); zbar decodes QR codes in tests;
# DejaVu gives the link-preview images å, ä and ö; Poppler (pdftotext, pdfinfo, pdftoppm) reads the
# overview PDFs back in tests. Set KOP_CHROMIUM to use another
# installed Chromium/Chrome (e.g. on GitHub's Ubuntu runners) and skip the browser install.
set -euo pipefail
need=()
if [ -z "${KOP_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium)
fi
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installerar Debian-paket: ${need[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Kan inte installera ${need[*]}: kör som root eller installera dem själv (apt-get install ${need[*]})." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
