#!/usr/bin/env bash
# Debian packages kehoach needs beyond Python: antiword (legacy Word 97 .doc), Tesseract with its Vietnamese
# model (scanned PDFs and page images) and the DejaVu fonts that the tests use to render pages. Installs only
# what is missing; needs root or sudo.
set -euo pipefail
need=()
command -v antiword >/dev/null 2>&1 || need+=(antiword)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need+=(fonts-dejavu-core)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-vie)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
