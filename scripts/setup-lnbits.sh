#!/usr/bin/env bash
# Install a real LNbits (FakeWallet funding source) into its own virtualenv,
# .venv-lnbits, for the backend tests and the settlement benchmark.
# LNbits pins many packages, so it never shares the kiosk's .venv.
# Idempotent and quiet when already installed; loud and clear when it fails.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup-lnbits]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup-lnbits] %s\033[0m\n' "$*" >&2; exit 1; }

venv=".venv-lnbits"
lock="requirements-lnbits.txt"  # lnbits and all it needs, pinned; why: its header
stamp="$venv/.installed"
want="$(python3 --version 2>&1) $(sha256sum <"$lock" | cut -c1-16)"

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

command -v python3 >/dev/null || die "python3 is missing: install it with 'apt-get install python3'"
python3 -c 'import ensurepip, venv' 2>/dev/null \
  || die "python3 cannot create virtualenvs: install it with 'apt-get install python3-venv'"

if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  python3 -m venv "$venv" || die "python3 -m venv $venv failed: install python3-venv"
fi
say "installing $lock into $venv (a few minutes the first time)"
log="$venv/pip-install.log"
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip >"$log" 2>&1 \
  || ! DISABLE_SQLALCHEMY_CEXT=1 "$venv/bin/python" -m pip install --disable-pip-version-check \
    --no-deps --ignore-requires-python -r "$lock" >>"$log" 2>&1; then
  tail -n 30 "$log" >&2
  die "pip install -r $lock failed (full log: $log): check the network and the messages above"
fi
# Importing LNbits writes its auth key into its data folder (./data by default): a scratch one.
scratch="$(mktemp -d)"
LNBITS_DATA_FOLDER="$scratch" "$venv/bin/python" -c 'import lnbits.app' >>"$log" 2>&1 \
  || { rm -rf "$scratch"; tail -n 30 "$log" >&2; die "LNbits installed but does not import (full log: $log)"; }
rm -rf "$scratch"
echo "$want" >"$stamp"
