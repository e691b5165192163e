#!/usr/bin/env bash
# Regenerate the example receipts in docs/receipts: a sale with items and a tip, a cash sale with
# change, a paid-late sale, a VAT sale and a refund slip, in English and Chinese, for 58 and 80 mm
# paper, each as the PNG an image-mode printer gets and as the text a text-mode printer prints, with
# receipts.json describing them (tools/receipts; tests/docs/test_receipts_current.py compares it
# with the code). Run after changing a receipt or its texts (scripts/regenerate-docs.sh runs it), then
# open the PNGs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh runtime
rm -f docs/receipts/*.png docs/receipts/*.txt docs/receipts/receipts.json  # an example no longer made goes too
.venv/bin/python -m tools.receipts.render docs/receipts
