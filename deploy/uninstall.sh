#!/usr/bin/env bash
# Undo deploy/install.sh: stop and remove the service, the app, the udev rule and the boot settings.
# The ledger (every sale), the config and the kiosk user are KEPT unless you pass --purge.
#
# Usage: sudo deploy/uninstall.sh [--purge]
#   --purge  also delete the ledger, the config with its secrets, and the user 'kiosk'
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=deploy/lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=deploy/lib/boot.sh
. "$here/lib/boot.sh"

purge=false
case "${1:-}" in
  "") ;;
  --purge) purge=true ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1'" "see $0 --help" ;;
esac
need_root "$@"

# The ledger's place, read before the app that can read the config goes.
ledger=""
if [ -x "$VENV/bin/python" ] && [ -f "$CONFIG" ]; then
  ledger="$(PYTHONPATH="$APP" "$VENV/bin/python" "$APP/deploy/config_facts.py" "$CONFIG" 2>/dev/null \
    | sed -n "s/^cfg_ledger=//p" | tr -d "'")" || true
fi
ledger="${ledger:-$STATE/ledger.sqlite3}"

if systemd_running && systemctl stop "$UNIT" 2>/dev/null; then
  say "stopped $UNIT"
fi
if [ -f "$UNIT_PATH" ]; then
  systemctl disable "$UNIT" >/dev/null 2>&1 || true
  rm -f "$UNIT_PATH"
  say "removed $UNIT_PATH"
fi
for file in "$UDEV_RULE" "$JOURNALD_DROPIN" "$NFC_BLACKLIST"; do
  [ -f "$file" ] && rm -f "$file" && say "removed $file"
done
if systemd_running; then
  systemctl daemon-reload
  udevadm control --reload 2>/dev/null || true
fi

if [ "$(noted default_target)" = graphical.target ]; then
  systemctl set-default graphical.target >/dev/null 2>&1 && say "boot to the desktop again (graphical.target)"
fi
boot="$(noted boot_dir)"
if [ -n "$boot" ] && [ -f "$boot/config.txt" ] && [ -f "$boot/cmdline.txt" ]; then
  [ "$(config_block "$boot/config.txt")" = changed ] && say "$boot/config.txt: removed the kiosk's UART block"
  for token in consoleblank=0 vt.global_cursor_default=0; do
    if [ "$(noted "added_$token")" = yes ] \
      && [ "$(cmdline_edit "$boot/cmdline.txt" "" "^${token//./\\.}\$" | tail -n 1)" = changed ]; then
      say "$boot/cmdline.txt: removed $token"
    fi
  done
  console="$(noted removed_console)"
  if [ -n "$console" ] && [ "$(cmdline_prepend "$boot/cmdline.txt" "$console")" = changed ]; then
    say "$boot/cmdline.txt: serial console back ($console)"
  fi
  say "reboot for the boot settings to take effect"
fi
rm -f "$INSTALL_NOTES"

if [ -d "$PREFIX" ]; then
  rm -rf "$PREFIX"
  say "removed $PREFIX (the app and its venv)"
fi

if $purge; then
  rm -rf "$ETC" && say "removed $ETC (config and secrets)"
  rm -f "$ledger" "$ledger-wal" "$ledger-shm" && say "deleted the ledger $ledger"
  rm -rf "$STATE"
  if id "$KIOSK_USER" >/dev/null 2>&1; then
    userdel "$KIOSK_USER" && say "removed user $KIOSK_USER"
  fi
else
  say "kept: the ledger $ledger (every sale), the config $CONFIG with its secrets, user $KIOSK_USER"
  say "to delete those too: sudo $0 --purge"
fi
say "uninstalled."
