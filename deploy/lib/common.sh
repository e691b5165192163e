# shellcheck shell=bash disable=SC2034  # the names are used by the scripts that source this
# Names and messages shared by install.sh and uninstall.sh (sourced, not run).

KIOSK_USER=kiosk
PREFIX=/opt/lightning-kiosk
APP="$PREFIX/app"
VENV="$PREFIX/venv"
ETC=/etc/lightning-kiosk
CONFIG="$ETC/kiosk.toml"
ENV_FILE="$ETC/kiosk.env"
STATE=/var/lib/lightning-kiosk
UNIT=lightning-kiosk.service
UNIT_PATH="/etc/systemd/system/$UNIT"
UDEV_RULE=/etc/udev/rules.d/99-lightning-kiosk-printer.rules
# Tap to pay: keeps the kernel's NFC driver off an ACR122U, so pcscd can have it (docs/nfc.md).
NFC_BLACKLIST=/etc/modprobe.d/lightning-kiosk-nfc.conf
JOURNALD_DROPIN=/etc/systemd/journald.conf.d/lightning-kiosk.conf
# What install.sh changed outside its own files, so uninstall.sh can put it back.
INSTALL_NOTES="$ETC/installed-changes"

say() { printf '\033[1m[kiosk]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[kiosk] warning: %s\033[0m\n' "$*" >&2; }
# die MESSAGE FIX: what went wrong, then what to do about it.
die() {
  printf '\033[1;31m[kiosk] %s\033[0m\n' "$1" >&2
  [ -n "${2:-}" ] && printf '\033[1;31m[kiosk] To fix it: %s\033[0m\n' "$2" >&2
  exit 1
}

# Install those of the apt packages named that are missing (after one apt-get update), or say none is.
apt_install_missing() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    say "packages: all present ($*)"
    return 0
  fi
  say "installing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed" "check the network (ping deb.debian.org) and retry"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed" "run 'sudo apt-get install ${missing[*]}' to see why"
}

need_root() {
  [ "$(id -u)" = 0 ] || die "this must run as root" "sudo $0 $*"
}

# systemd is PID 1 and running (not a chroot or a container without it).
systemd_running() { [ -d /run/systemd/system ]; }

# The firmware folder holding config.txt and cmdline.txt: /boot/firmware since Bookworm, /boot before.
find_boot_dir() {
  local dir
  for dir in /boot/firmware /boot; do
    if [ -f "$dir/config.txt" ] && [ -f "$dir/cmdline.txt" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# "Raspberry Pi 5 Model B Rev 1.0", or empty on other hardware.
pi_model() {
  [ -r /proc/device-tree/model ] || return 0
  tr -d '\0' </proc/device-tree/model | grep -a '^Raspberry Pi' || true
}

# Remember a change (KEY=VALUE, one per line) for uninstall.sh; the first value of a key wins.
note_change() {
  mkdir -p "$(dirname "$INSTALL_NOTES")"
  grep -qs "^${1%%=*}=" "$INSTALL_NOTES" || echo "$1" >>"$INSTALL_NOTES"
}

noted() { sed -n "s/^$1=//p" "$INSTALL_NOTES" 2>/dev/null | head -n 1; }
