#!/usr/bin/env bash
# Set up (first time only) and run every test: lint, unit, services, backends
# (including a real LNbits on loopback), printers, tap to pay (a virtual NFC reader), and the
# headless UI.
# Extra arguments go to pytest, e.g. ./test.sh -k ledger
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh dev nfc
if [ -x scripts/setup-lnbits.sh ]; then scripts/setup-lnbits.sh; fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
export SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 KIVY_NO_FILELOG=1
exec .venv/bin/python -m pytest "$@"
