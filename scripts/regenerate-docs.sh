#!/usr/bin/env bash
# Regenerate the pictures in docs/: the tour (docs/tour/**, with what each screen shows as JSON
# beside its PNG) and the example receipts (docs/receipts, described in receipts.json).
# tests/docs fails until this has run after a change to a screen, a receipt or a text. Then open
# the PNGs and look at them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/regenerate-tour.sh
scripts/regenerate-receipts.sh
