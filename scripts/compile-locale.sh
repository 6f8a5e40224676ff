#!/usr/bin/env bash
# Compile the translations (src/minsheng/locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.
# Run by `make run` and scripts/test.sh, so a fresh checkout is translated; msgfmt is Debian's gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v msgfmt >/dev/null || bash scripts/system-deps.sh
for po in src/minsheng/locale/*/LC_MESSAGES/*.po; do
  mo="${po%.po}.mo"
  [ "$mo" -nt "$po" ] || msgfmt --check -o "$mo" "$po"
done
