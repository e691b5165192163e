"""The example receipts in docs/receipts, made by the kiosk's own code (scripts/regenerate-receipts.sh)."""
