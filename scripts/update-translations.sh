#!/usr/bin/env bash
# Bring the translation catalogs up to date with the sources: extract every text into
# kiosk/locale/kiosk.pot and merge it into each kiosk/locale/<code>/LC_MESSAGES/kiosk.po
# (new texts arrive with an empty msgstr, changed ones marked fuzzy: translate them).
# Usage: scripts/update-translations.sh            # after adding or changing a text
#        scripts/update-translations.sh --new ja   # start a catalog for a new language
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
exec .venv/bin/python -m kiosk.i18n_catalogs "$@"
