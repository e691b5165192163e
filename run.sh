#!/usr/bin/env bash
# Set up (first time only) and start the kiosk. With no config it runs the built-in demo node.
# Any arguments go to main.py, e.g. ./run.sh --config config/kiosk.toml
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh runtime
exec .venv/bin/python main.py "$@"
