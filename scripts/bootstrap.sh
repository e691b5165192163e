#!/usr/bin/env bash
# Set up everything the kiosk needs on Debian / Raspberry Pi OS, idempotently:
# system libraries (only those missing), then .venv with the pinned packages.
# Usage: scripts/bootstrap.sh [runtime|dev]
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-runtime}"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 is missing: install it with 'apt-get install python3'"

# Kivy's wheel brings SDL2; the GL/EGL drivers and the touch library come from the system.
# python3-venv gives 'python3 -m venv' on Debian. Receipts are drawn with DejaVu Sans Mono, and
# WenQuanYi Micro Hei for Chinese text; Noto Sans CJK (regular and bold) draws the Chinese UI.
apt_packages=(python3-venv libgl1 libegl1 libgles2 libgl1-mesa-dri libegl-mesa0 libmtdev1
  fonts-dejavu-core fonts-wqy-microhei fonts-noto-cjk)

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
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq || die "apt-get update failed: check the network"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

requirements=(requirements.txt)
[ "$mode" = dev ] && requirements+=(requirements-dev.txt)
stamp=".venv/.installed-$mode"
want="$(python3 --version) $(cat "${requirements[@]}" | sha256sum | cut -c1-16)"
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv || die "python3 -m venv failed: install python3-venv"
fi
say "installing Python packages (${requirements[*]})"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
args=(); for r in "${requirements[@]}"; do args+=(-r "$r"); done
.venv/bin/python -m pip install --quiet --disable-pip-version-check "${args[@]}" \
  || die "pip install failed: check the network and the messages above"
echo "$want" >"$stamp"
