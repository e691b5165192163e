#!/usr/bin/env bash
# Regenerate the screenshots in docs/: the tour (docs/tour/**, with what each screen shows as
# JSON beside its PNG). tests/docs/test_docs_current.py fails until this has run after a change
# to a screen or a text. Then open the PNGs and look at them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/regenerate-tour.sh
