#!/usr/bin/env bash
# Regenerate the zh_Hans catalogues from the sources: django.po from templates' translate tags and gettext calls
# in Python, djangojs.po from gettext() in our JavaScript (served by the jsi18n/ catalogue view).
# Our msgids are the Chinese text itself, so an empty msgstr shows the msgid; an English catalogue can be
# added later with `-l en` and no code change. The engine, the CLI-built report, demo and bench data hold no
# interface messages. Django's stock messages we reword stay because web/stock_messages.py names them.
set -euo pipefail
cd "$(dirname "$0")/../src/minsheng"
run() { DJANGO_SETTINGS_MODULE=minsheng.web.settings PYTHONPATH="$PWD/.." "${PYTHON:-python}" -m django makemessages \
  -l zh_Hans --no-location --no-wrap --ignore 'engine/*' --ignore 'reports/*' --ignore 'demo/*' --ignore 'bench/*' "$@"; }
run
run -d djangojs --ignore '*/vendor/*' --ignore '*.min.js'
