#!/usr/bin/env bash
# Debian packages kehoach needs beyond Python, installing only what is missing (needs root or sudo):
#   always:  antiword (legacy Word 97 .doc), Tesseract with its Vietnamese model (scans and page images)
#   --test:  also the DejaVu fonts the tests render pages with, and Chromium with its driver for the
#            browser tests of `kehoach serve` and `kehoach report`
set -euo pipefail
need=()
command -v antiword >/dev/null 2>&1 || need+=(antiword)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-vie)
if [ "${1:-}" = "--test" ]; then
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need+=(fonts-dejavu-core)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fi
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
