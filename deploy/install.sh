#!/usr/bin/env bash
# Turn a fresh Raspberry Pi OS (Bookworm or Trixie, 64-bit, Lite or Desktop) into a kiosk that
# starts at boot. Safe to run again: it changes only what differs, and never overwrites the config.
#
# Usage: sudo deploy/install.sh [--config FILE] [--read-only-root] [--no-start]
#   --config FILE     install FILE as /etc/lightning-kiosk/kiosk.toml (the old one is kept as .bak)
#   --read-only-root  also turn on the overlay root file system (needs the ledger on its own partition)
#   --no-start        enable the service but do not (re)start it now
#
# What it does: apt packages; user 'kiosk' (video, render, input, dialout, lp, gpio); the app in
# /opt/lightning-kiosk with its venv; config in /etc/lightning-kiosk (secrets readable only by
# 'kiosk'); the ledger in /var/lib/lightning-kiosk; a udev rule for a USB printer; the GPIO UART for
# a serial printer; no console blanking; lightning-kiosk.service (tty1, KMSDRM, watchdog).
# Undo with deploy/uninstall.sh. Guide: docs/raspberry-pi.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
# shellcheck source=deploy/lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=deploy/lib/boot.sh
. "$here/lib/boot.sh"
# shellcheck source=deploy/lib/bolt11.sh
. "$here/lib/bolt11.sh"

new_config="" read_only_root=false start=true
while (($#)); do
  case "$1" in
    --config) [ -n "${2:-}" ] || die "--config needs a file" "sudo $0 --config /path/to/kiosk.toml"
      new_config="$(realpath "$2")"; shift ;;
    --read-only-root) read_only_root=true ;;
    --no-start) start=false ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1'" "see $0 --help" ;;
  esac
  shift
done
need_root "$@"
[ -z "$new_config" ] || [ -f "$new_config" ] || die "no such config file: $new_config" \
  "copy config/kiosk.example.toml, edit it, and pass its path"
reboot_needed=false

# --- 1. What this machine is -------------------------------------------------------------------
. /etc/os-release 2>/dev/null || die "/etc/os-release is missing: this is not Debian or Raspberry Pi OS" \
  "install Raspberry Pi OS (64-bit) Bookworm or Trixie"
case "${VERSION_CODENAME:-}" in
  bookworm | trixie) ;;
  *) warn "${PRETTY_NAME:-this system} is not Bookworm or Trixie; going on, but only those are tested" ;;
esac
arch="$(dpkg --print-architecture)"
case "$arch" in
  arm64 | amd64) ;;
  *) die "this is a $arch system; Kivy's wheels are for 64-bit systems only" \
    "write Raspberry Pi OS (64-bit) to the SD card with Raspberry Pi Imager" ;;
esac
model="$(pi_model)"
if [ -n "$model" ]; then
  say "hardware: $model; ${PRETTY_NAME:-?} ($arch)"
else
  say "hardware: not a Raspberry Pi (no /proc/device-tree/model); ${PRETTY_NAME:-?} ($arch)"
  say "  the GPIO, the display and the boot settings only take effect on a Pi"
fi

# --- 2. System packages (only the missing ones) --------------------------------------------------
# Kivy's wheel brings SDL2; GL/EGL/GBM/DRM, Mesa's V3D driver and libmtdev come from the system.
# DejaVu and WenQuanYi Micro Hei draw receipts, Noto Sans CJK (with its bold) the Chinese UI;
# libusb is for USB printers.
# Trixie renamed libmtdev1 for 64-bit time (libmtdev1t64).
mtdev=libmtdev1
if [ "${VERSION_ID%%.*}" -ge 13 ] 2>/dev/null; then mtdev=libmtdev1t64; fi
packages=(python3 python3-venv libgl1 libegl1 libgles2 libgl1-mesa-dri libegl-mesa0 libgbm1 libdrm2
  "$mtdev" libusb-1.0-0 fonts-dejavu-core fonts-wqy-microhei fonts-noto-cjk ca-certificates systemd udev)
# GPIO on a Pi 5 needs lgpio; its Python module comes from Raspberry Pi OS's archive (PyPI has a
# wheel for Python 3.11 only). Plain Debian does not have it.
if ! dpkg-query -W -f='${Status}' python3-lgpio 2>/dev/null | grep -q "ok installed"; then
  if apt-cache show python3-lgpio >/dev/null 2>&1; then
    packages+=(python3-lgpio)
  elif [ -n "$model" ]; then
    warn "python3-lgpio is not in the apt sources: GPIO (LED, buzzer, button) will not work on a Pi 5"
  fi
fi
apt_install_missing "${packages[@]}"

# --- 3. The kiosk's own user --------------------------------------------------------------------
if ! id "$KIOSK_USER" >/dev/null 2>&1; then
  say "creating user $KIOSK_USER (home $STATE, no login shell)"
  useradd --system --user-group --home-dir "$STATE" --create-home --shell /usr/sbin/nologin \
    --comment "Lightning kiosk" "$KIOSK_USER" || die "useradd $KIOSK_USER failed" "see the message above"
fi
groups=()
for group in video render input dialout lp gpio; do
  if getent group "$group" >/dev/null; then
    groups+=("$group")
  elif [ "$group" != gpio ]; then
    groupadd --system "$group" && groups+=("$group") && say "created group $group"
  fi
done
have="$(id -nG "$KIOSK_USER")"
for group in "${groups[@]}"; do
  if ! grep -qw "$group" <<<"$have"; then
    usermod -aG "$group" "$KIOSK_USER"
    say "user $KIOSK_USER joins group $group"
  fi
done

# --- 4. The app (root's, read-only for the kiosk) and its venv ------------------------------------
say "copying the app to $APP"
mkdir -p "$PREFIX"
rm -rf "$APP.new"
mkdir "$APP.new"
(cd "$repo" && tar --exclude=__pycache__ -cf - main.py requirements.txt requirements-nfc.txt kiosk deploy \
  config/kiosk.example.toml docs/raspberry-pi.md docs/nfc.md) | tar -C "$APP.new" -xf - \
  || die "copying the app from $repo failed" "run install.sh from a complete checkout of the kiosk"
chown -R root:root "$APP.new"
chmod -R u=rwX,go=rX "$APP.new"
rm -rf "$APP.old"
[ -d "$APP" ] && mv "$APP" "$APP.old"
mv "$APP.new" "$APP"
rm -rf "$APP.old"

# System site-packages: python3-lgpio comes from apt (a Pi 5's GPIO).
if [ -x "$VENV/bin/python" ] && ! grep -qs "include-system-site-packages = true" "$VENV/pyvenv.cfg"; then
  say "the venv has no system site-packages (lgpio would be missing): making it again"
  rm -rf "$VENV"
fi
if [ -x "$VENV/bin/python" ] && [ "$("$VENV/bin/python" -V 2>&1)" != "$(python3 -V 2>&1)" ]; then
  say "python3 changed since the venv was made (an OS upgrade?): making it again"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the venv $VENV (with system site-packages)"
  python3 -m venv --system-site-packages "$VENV" || die "python3 -m venv failed" "sudo apt-get install python3-venv"
fi
stamp="$VENV/.installed"
want="$(python3 -V) $(sha256sum <"$APP/requirements.txt" | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  say "Python packages: already installed"
else
  say "installing Python packages (requirements.txt; a few minutes on a Pi)"
  pip=("$VENV/bin/python" -m pip --disable-pip-version-check --quiet)
  "${pip[@]}" install --upgrade pip || die "pip could not upgrade itself" "check the network and retry"
  install_bolt11_past_marker "$VENV/bin/python" "$APP/requirements.txt" \
    || die "pip install of bolt11 (past its <3.13 marker) failed" "check the network and retry"
  "${pip[@]}" install -r "$APP/requirements.txt" \
    || die "pip install -r requirements.txt failed" "check the network and the messages above, then run install.sh again"
  echo "$want" >"$stamp"
fi
# Noto Sans CJK SC regular and bold as files Kivy can open (kiosk/ui/fontfaces.py; kept once saved).
PYTHONPATH="$APP" "$VENV/bin/python" -m kiosk.ui.fontfaces

# --- 5. Config, secrets, ledger -----------------------------------------------------------------
mkdir -p "$ETC" "$ETC/secrets"
chown root:"$KIOSK_USER" "$ETC"
chmod 0750 "$ETC"
chown "$KIOSK_USER:$KIOSK_USER" "$ETC/secrets"
chmod 0700 "$ETC/secrets"
if [ -n "$new_config" ]; then
  if [ -f "$CONFIG" ] && ! cmp -s "$new_config" "$CONFIG"; then
    cp -p "$CONFIG" "$CONFIG.bak"
    say "replacing $CONFIG (the old one is $CONFIG.bak)"
  fi
  cp "$new_config" "$CONFIG"
elif [ ! -f "$CONFIG" ]; then
  say "writing $CONFIG from the example (demo node until you edit it)"
  sed -e "s|^path = \"../var/ledger.sqlite3\"|path = \"$STATE/ledger.sqlite3\"|" \
    -e "s|^receipts_dir = \"../var/receipts\"|receipts_dir = \"$STATE/receipts\"|" \
    "$APP/config/kiosk.example.toml" >"$CONFIG"
else
  say "config: keeping $CONFIG"
fi
chown root:"$KIOSK_USER" "$CONFIG"
chmod 0640 "$CONFIG"
if [ ! -f "$ENV_FILE" ]; then
  cat >"$ENV_FILE" <<'EOF'
# Environment of lightning-kiosk.service (restart it after a change:
# sudo systemctl restart lightning-kiosk).
# Which display: auto (the DSI panel if there is one, else SDL's choice), hdmi, or a card number.
KIOSK_DISPLAY=auto
# Turn the picture (and the touch) by 0, 90, 180 or 270 degrees, e.g. 90 for Touch Display 2 in
# landscape. Rotate here only, not also in cmdline.txt or config.txt.
KCFG_GRAPHICS_ROTATION=0
EOF
fi
chmod 0644 "$ENV_FILE"

# Set from the config by config_facts.py:
cfg_backend="" cfg_secret_files="" cfg_cert_files="" cfg_printer_kind="" cfg_usb_vendor="" cfg_usb_product=""
cfg_serial_device="" cfg_ledger="" cfg_receipts_dir="" cfg_nfc=no
facts="$(PYTHONPATH="$APP" "$VENV/bin/python" "$APP/deploy/config_facts.py" "$CONFIG" 2>&1)" \
  || die "$CONFIG is not right: $facts" "edit $CONFIG, then run install.sh again"
eval "$facts"
say "config: node $cfg_backend, printer $cfg_printer_kind, ledger $cfg_ledger"
for file in $cfg_secret_files; do
  if [ -f "$file" ]; then
    chown "$KIOSK_USER:$KIOSK_USER" "$file"
    chmod 0600 "$file"
    say "secret $file: readable by $KIOSK_USER only"
  else
    warn "the credential $file does not exist yet: copy it there, then run install.sh again"
  fi
done
for file in $cfg_cert_files; do
  if [ -f "$file" ]; then
    chown root:"$KIOSK_USER" "$file"
    chmod 0640 "$file"
  else
    warn "the certificate $file does not exist yet: copy it there, then run install.sh again"
  fi
done
for dir in "$(dirname "$cfg_ledger")" "$cfg_receipts_dir"; do
  case "$dir/" in
    /etc/* | /usr/* | /opt/* | /boot/*)
      die "the kiosk cannot write to $dir (the service keeps /etc, /usr, /opt and /boot read-only)" \
        "set [ledger] path = \"$STATE/ledger.sqlite3\" (and [demo] receipts_dir) in $CONFIG" ;;
  esac
  mkdir -p "$dir"
  chown "$KIOSK_USER:$KIOSK_USER" "$dir"
  chmod 0750 "$dir"
done
chown "$KIOSK_USER:$KIOSK_USER" "$STATE"
say "the ledger: $cfg_ledger"

# --- 6. Printer access ---------------------------------------------------------------------------
if [ "$cfg_printer_kind" = usb ]; then
  if [ "$cfg_usb_vendor" = 0000 ] || [ "$cfg_usb_product" = 0000 ]; then
    die "printer.kind = \"usb\" needs printer.usb_vendor_id and usb_product_id" \
      "run lsusb with the printer plugged in, and put its ID xxxx:yyyy in $CONFIG as 0xxxxx and 0xyyyy"
  fi
  rule="SUBSYSTEM==\"usb\", ATTRS{idVendor}==\"$cfg_usb_vendor\", ATTRS{idProduct}==\"$cfg_usb_product\", MODE=\"0660\", GROUP=\"lp\""
  if [ "$(cat "$UDEV_RULE" 2>/dev/null)" != "$rule" ]; then
    echo "$rule" >"$UDEV_RULE"
    say "udev rule $UDEV_RULE: USB printer $cfg_usb_vendor:$cfg_usb_product for group lp"
    if udevadm control --reload 2>/dev/null; then
      udevadm trigger --subsystem-match=usb --attr-match=idVendor="$cfg_usb_vendor" || true
    fi
  fi
elif [ -f "$UDEV_RULE" ]; then
  rm -f "$UDEV_RULE"
  say "removed $UDEV_RULE (the config has no USB printer now)"
fi

# --- 6b. Tap to pay ([nfc] enabled): pcscd, pyscard built from source, the reader left to pcscd ---
if [ "$cfg_nfc" = yes ]; then
  apt_install_missing pcscd swig gcc libpcsclite-dev python3-dev
  say "installing requirements-nfc.txt (pyscard builds from source)"
  "$VENV/bin/python" -m pip --disable-pip-version-check --quiet install -r "$APP/requirements-nfc.txt" \
    || die "pip install -r requirements-nfc.txt failed" "check the network and the messages above, then run install.sh again"
  blacklist="$(printf 'blacklist %s\n' pn533_usb pn533 nfc)"
  if [ "$(cat "$NFC_BLACKLIST" 2>/dev/null)" != "$blacklist" ]; then
    echo "$blacklist" >"$NFC_BLACKLIST"
    say "$NFC_BLACKLIST: the kernel's NFC driver leaves the reader to pcscd (unplug and replug the reader once)"
  fi
  if systemd_running; then systemctl enable --now pcscd.socket >/dev/null 2>&1 || warn "pcscd.socket did not start"; fi
elif [ -f "$NFC_BLACKLIST" ]; then
  rm -f "$NFC_BLACKLIST"
  say "removed $NFC_BLACKLIST (the config has no [nfc] now)"
fi

# --- 7. Boot settings: serial UART, no blanking --------------------------------------------------
if boot="$(find_boot_dir)"; then
  note_change "boot_dir=$boot"
  gpio_uart=false
  if [ "$cfg_printer_kind" = serial ]; then
    case "$cfg_serial_device" in
      /dev/serial0 | /dev/ttyAMA0 | /dev/ttyS0) gpio_uart=true ;;
    esac
  fi
  if $gpio_uart; then
    # enable_uart gives GPIO14/15 on a Pi 4 (/dev/serial0); a Pi 5 needs uart0 (/dev/ttyAMA0).
    if [ "$(config_block "$boot/config.txt" enable_uart=1 '[pi5]' dtparam=uart0=on)" = changed ]; then
      say "$boot/config.txt: GPIO UART on (enable_uart=1; dtparam=uart0=on on a Pi 5)"
      reboot_needed=true
    fi
    out="$(cmdline_edit "$boot/cmdline.txt" "" "$SERIAL_CONSOLE_RE")"
    while read -r token; do
      [[ "$token" == console=* ]] && note_change "removed_console=$token"
    done <<<"$out"
    if [ "$(tail -n 1 <<<"$out")" = changed ]; then
      say "$boot/cmdline.txt: serial console off (it would print into the receipt printer)"
      reboot_needed=true
    fi
    if [[ "$model" == *"Pi 5"* ]] && [ "$cfg_serial_device" = /dev/serial0 ]; then
      warn "on a Pi 5 /dev/serial0 is the 3-pin debug connector, not GPIO14/15: set printer.serial_device = \"/dev/ttyAMA0\" in $CONFIG"
    fi
  fi
  for token in consoleblank=0 vt.global_cursor_default=0; do
    if [ "$(cmdline_edit "$boot/cmdline.txt" "$token" "" | tail -n 1)" = changed ]; then
      note_change "added_$token=yes"
      say "$boot/cmdline.txt: $token (the screen never blanks, no cursor)"
      reboot_needed=true
    fi
  done
else
  say "no /boot/firmware/config.txt: not Raspberry Pi OS; skipping the UART and blanking settings"
fi

# --- 8. The service ------------------------------------------------------------------------------
mkdir -p "$(dirname "$JOURNALD_DROPIN")"
printf '%s\n' "# Lightning kiosk: cap the journal so it cannot fill the SD card." "[Journal]" \
  "SystemMaxUse=200M" "RuntimeMaxUse=50M" >"$JOURNALD_DROPIN"
target="$(basename "$(readlink /etc/systemd/system/default.target 2>/dev/null || echo multi-user.target)")"
if [ "$target" = graphical.target ]; then
  # The kiosk draws on the console (KMSDRM); a desktop would hold the display.
  systemctl set-default multi-user.target >/dev/null 2>&1 || die "systemctl set-default failed" \
    "run 'sudo systemctl set-default multi-user.target'"
  note_change "default_target=graphical.target"
  say "boot to the console instead of the desktop (systemctl set-default multi-user.target)"
  reboot_needed=true
fi
if ! cmp -s "$APP/deploy/$UNIT" "$UNIT_PATH"; then
  install -m 0644 "$APP/deploy/$UNIT" "$UNIT_PATH"
  say "installed $UNIT_PATH"
fi
systemctl enable "$UNIT" >/dev/null 2>&1 || die "systemctl enable $UNIT failed" "run 'sudo systemctl enable $UNIT' to see why"
if systemd_running; then
  systemctl daemon-reload
  systemctl restart systemd-journald 2>/dev/null || true
  if $start; then
    say "starting $UNIT"
    systemctl restart "$UNIT" || die "$UNIT did not start" "see 'journalctl -u $UNIT -b' and docs/raspberry-pi.md, Troubleshooting"
  fi
else
  say "systemd is not running here (a chroot or container): $UNIT is enabled and starts at the next boot"
fi

# --- 9. Optional read-only root ------------------------------------------------------------------
if $read_only_root; then
  command -v raspi-config >/dev/null || die "--read-only-root needs raspi-config (Raspberry Pi OS)" \
    "leave out --read-only-root on this system"
  ledger_mount="$(findmnt -n -o TARGET -T "$(dirname "$cfg_ledger")")"
  [ "$ledger_mount" != / ] || die "the ledger $cfg_ledger is on the root file system: an overlay root would lose every sale at power-off" \
    "put [ledger] path on a writable partition or USB SSD mounted e.g. at /srv/kiosk (see docs/raspberry-pi.md, Read-only root)"
  printf '%s\n' "# Lightning kiosk: read-only root, logs in RAM only." "[Journal]" "Storage=volatile" \
    "RuntimeMaxUse=50M" >"$JOURNALD_DROPIN"
  say "turning on the overlay root (raspi-config nonint do_overlayfs 0)"
  raspi-config nonint do_overlayfs 0 || die "raspi-config could not turn on the overlay" "run 'sudo raspi-config', Performance Options, Overlay File System"
  cmdline_edit "$boot/cmdline.txt" "overlayroot=tmpfs:recurse=0" '^overlayroot=tmpfs$' >/dev/null
  say "$boot/cmdline.txt: overlayroot=tmpfs:recurse=0 (the ledger's partition is not overlaid)"
  reboot_needed=true
fi

say "done. Config $CONFIG, secrets $ETC/secrets, ledger $cfg_ledger, logs: journalctl -u $UNIT"
if $reboot_needed; then
  say "reboot to finish (boot settings or the default target changed): sudo reboot"
fi
