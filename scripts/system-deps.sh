#!/usr/bin/env bash
# Install the Debian packages the site and the tests need, only when something is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v msgfmt >/dev/null || need+=(gettext)  # compiles the translations
command -v pdftoppm >/dev/null || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# reportlab embeds TrueType outlines only (Noto CJK is CFF): a TrueType CJK font for report.pdf.
fc-list 2>/dev/null | grep -qi "WenQuanYi Zen Hei" || need+=(fonts-wqy-zenhei)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
