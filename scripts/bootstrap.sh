#!/usr/bin/env bash
# Set up everything the kiosk needs on Debian / Raspberry Pi OS, idempotently:
# system libraries (only those missing), then .venv with the pinned packages.
# Usage: scripts/bootstrap.sh [runtime|dev] [nfc]
#   nfc: also tap to pay ([nfc] in the config, docs/nfc.md): pcscd, and pyscard built from source
#   (it has no Linux wheel) with swig, gcc, libpcsclite-dev and python3-dev; in dev mode also the
#   virtual reader the tests tap on (vsmartcard-vpcd). ./test.sh asks for it; ./run.sh does not.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-runtime}"
extra="${2:-}"
case "$extra" in "" | nfc) ;; *) echo "usage: $0 [runtime|dev] [nfc]" >&2; exit 2 ;; esac

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 is missing: install it with 'apt-get install python3'"
python3 -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
  || die "$(python3 --version) is not supported: the kiosk needs Python 3.11 to 3.13 (Debian 12 or 13, Raspberry Pi OS Bookworm or Trixie)"
# shellcheck source=deploy/lib/bolt11.sh
. deploy/lib/bolt11.sh

# Debian 13 (Trixie) renamed some libraries for 64-bit time: libmtdev1 became libmtdev1t64.
. /etc/os-release 2>/dev/null || true
mtdev=libmtdev1
if [ "${VERSION_ID%%.*}" -ge 13 ] 2>/dev/null; then mtdev=libmtdev1t64; fi

# Kivy's wheel brings SDL2; the GL/EGL drivers and the touch library come from the system.
# python3-venv gives 'python3 -m venv' on Debian. Receipts are drawn with DejaVu Sans Mono, and
# WenQuanYi Micro Hei for Chinese text; Noto Sans CJK SC (regular and bold, saved from
# fonts-noto-cjk's collections into the venv at the end) draws the Chinese UI.
apt_packages=(python3-venv libgl1 libegl1 libgles2 libgl1-mesa-dri libegl-mesa0 "$mtdev"
  fonts-dejavu-core fonts-wqy-microhei fonts-noto-cjk)
# dev: the fleet tests start a throwaway PostgreSQL (Debian 12: 15, Debian 13: 17) from this package.
[ "$mode" = dev ] && apt_packages+=(postgresql)
if [ "$extra" = nfc ]; then
  apt_packages+=(pcscd libpcsclite-dev swig gcc python3-dev)
  [ "$mode" = dev ] && apt_packages+=(vsmartcard-vpcd)
fi

missing=()
if command -v dpkg-query >/dev/null; then
  for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
fi
# python3-venv is versioned on some releases (python3.11-venv); venv + ensurepip working is what counts.
if python3 -c 'import ensurepip, venv' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
fi
read -r -a missing <<<"${missing[*]:-}"
if ((${#missing[@]})); then
  say "installing system packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    die "run as root, or install sudo, or run: apt-get install ${missing[*]}"
  fi
  if ((${#sudo[@]})) && ! sudo -n true 2>/dev/null; then
    [ -t 0 ] || die "sudo needs a password and there is no terminal to ask for it: run this in a terminal, or as root, or first run: sudo apt-get install ${missing[*]}"
    sudo -v || die "sudo refused: run this as a user allowed to use sudo, or as root"
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq \
    || die "apt-get update failed: no network, or the Debian mirror cannot be reached (check with: ping -c1 deb.debian.org)"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

requirements=(requirements.txt)
[ "$mode" = dev ] && requirements+=(requirements-dev.txt)
[ "$extra" = nfc ] && requirements+=(requirements-nfc.txt)
stamp=".venv/.installed-$mode${extra:+-$extra}"
want="$(python3 --version) $(cat "${requirements[@]}" | sha256sum | cut -c1-16)"
if ! [ -x .venv/bin/python ] || ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv"
    python3 -m venv .venv || die "python3 -m venv failed: install python3-venv"
  fi
  say "installing Python packages (${requirements[*]})"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip \
    || die "pip could not reach PyPI: check the network (pip download pip), then run this again"
  install_bolt11_past_marker .venv/bin/python requirements.txt \
    || die "pip install of bolt11 (past its <3.13 marker) failed: check the network and the messages above"
  args=(); for r in "${requirements[@]}"; do args+=(-r "$r"); done
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "${args[@]}" \
    || die "pip install failed: check the network and the messages above"
  echo "$want" >"$stamp"
fi
# The Chinese faces Kivy can open (kiosk/ui/fontfaces.py): a no-op once they are saved.
.venv/bin/python -m kiosk.ui.fontfaces
