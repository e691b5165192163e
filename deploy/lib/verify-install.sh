# shellcheck shell=bash disable=SC2154  # root, logs, suite, arch... are verify-fresh-debian.sh's
# The --install half of verify-fresh-debian.sh (sourced by it after the root is ready): runs
# deploy/install.sh for real in the fresh root, checks what it made, runs the installed kiosk and
# the tests as user 'kiosk', then deploy/uninstall.sh. Uses its root, logs, in_root, say, now, elapsed.

# What Raspberry Pi OS Bookworm writes to /boot/firmware (64-bit image, trimmed).
fake_boot() {
  mkdir -p "$root/boot/firmware"
  printf '%s\n' "# For more options and information see" "# http://rptl.io/configtxt" "dtparam=audio=on" \
    "camera_auto_detect=1" "display_auto_detect=1" "auto_initramfs=1" "dtoverlay=vc4-kms-v3d" \
    "max_framebuffers=2" "disable_fw_kms_setup=1" "arm_64bit=1" "disable_overscan=1" "arm_boost=1" "" \
    "[cm4]" "otg_mode=1" "" "[all]" >"$root/boot/firmware/config.txt"
  echo "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait quiet splash plymouth.ignore-serial-consoles" \
    >"$root/boot/firmware/cmdline.txt"
  cp "$root/boot/firmware/config.txt" "$root/boot/firmware/cmdline.txt" "$logs/"
}

# A shop config with a printer on the GPIO UART, so the boot settings are exercised.
serial_config() {
  cat >"$root/root/serial-printer.toml" <<'EOF'
[shop]
name = "Verify Café"
[printer]
kind = "serial"
serial_device = "/dev/serial0"
[ledger]
path = "/var/lib/lightning-kiosk/ledger.sqlite3"
[demo]
receipts_dir = "/var/lib/lightning-kiosk/receipts"
EOF
}

checks_failed=0 checks_passed=0
# check DESCRIPTION COMMAND: COMMAND runs in the root as root; its failure is counted and shown.
check() {
  local description="$1"
  shift
  if chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin bash -c "$1" >>"$logs/checks.log" 2>&1; then
    checked ok "$description"
  else
    checked FAIL "$description ($1)"
  fi
}
# host_check DESCRIPTION COMMAND...: the same for a command run on the host.
host_check() {
  local description="$1"
  shift
  if "$@" >>"$logs/checks.log" 2>&1; then checked ok "$description"; else checked FAIL "$description ($*)"; fi
}
checked() {
  if [ "$1" = ok ]; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); fi
  printf '  %-5s %s\n' "$1" "$2" | tee -a "$logs/checks.log" >&2
}

as_kiosk() { echo "runuser -u kiosk -- env -i HOME=/var/lib/lightning-kiosk PATH=/usr/bin:/bin $*"; }

# Files that a second run of install.sh must leave as they are.
watched="/boot/firmware/config.txt /boot/firmware/cmdline.txt /etc/lightning-kiosk/kiosk.toml \
/etc/lightning-kiosk/kiosk.env /etc/systemd/system/lightning-kiosk.service /opt/lightning-kiosk/venv/.installed"
snapshot() { chroot "$root" bash -c "sha256sum $watched; stat -c '%n %U:%G %a' $watched" 2>&1; }

verify_install() {
  local t0 rc=0 venv=/opt/lightning-kiosk/venv/bin/python app=/opt/lightning-kiosk/app
  fake_boot
  serial_config
  declare -gA step_s step_rc

  t0="$(now)"
  in_root install 3600 "deploy/install.sh" || rc=$?
  step_s[install]="$(elapsed "$t0")" step_rc[install]=$rc rc=0
  t0="$(now)"
  in_root install-serial 900 "deploy/install.sh --config /root/serial-printer.toml" || rc=$?
  step_s[install-serial]="$(elapsed "$t0")" step_rc[install-serial]=$rc rc=0
  snapshot >"$logs/before-rerun.txt"
  t0="$(now)"
  in_root install-again 900 "deploy/install.sh" || rc=$?
  step_s[install-again]="$(elapsed "$t0")" step_rc[install-again]=$rc rc=0
  snapshot >"$logs/after-rerun.txt"

  say "checking what install.sh made"
  host_check "second run changed no file (contents, owners, modes)" cmp "$logs/before-rerun.txt" "$logs/after-rerun.txt"
  host_check "second run installed nothing" \
    bash -c "! grep -E 'installing (packages|Python)|creating (user|the venv)' '$logs/install-again.log'"
  host_check "non-Pi hardware detected and said" grep -q "not a Raspberry Pi" "$logs/install.log"
  check "systemd-analyze verify lightning-kiosk.service" \
    "out=\$(systemd-analyze verify --man=no /etc/systemd/system/lightning-kiosk.service 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
  check "service enabled for multi-user.target" "[ -L /etc/systemd/system/multi-user.target.wants/lightning-kiosk.service ]"
  check "user kiosk in video render input dialout lp" \
    "for g in video render input dialout lp; do id -nG kiosk | grep -qw \$g || exit 1; done"
  check "venv sees system site-packages (apt's lgpio on a Pi)" \
    "grep -q 'include-system-site-packages = true' /opt/lightning-kiosk/venv/pyvenv.cfg"
  check "config root:kiosk 640, secrets dir kiosk 700" \
    "[ \"\$(stat -c '%U:%G %a' /etc/lightning-kiosk/kiosk.toml /etc/lightning-kiosk/secrets | paste -sd ' ')\" = 'root:kiosk 640 kiosk:kiosk 700' ]"
  check "old config kept as kiosk.toml.bak" "grep -q '^# Lightning kiosk configuration' /etc/lightning-kiosk/kiosk.toml.bak"
  check "app is root's and read-only for kiosk" "! runuser -u kiosk -- test -w $app/main.py && [ \"\$(stat -c %U $app/main.py)\" = root ]"
  check "config.txt: UART block under [all]" \
    "grep -qxF enable_uart=1 /boot/firmware/config.txt && grep -qxF dtparam=uart0=on /boot/firmware/config.txt"
  check "cmdline.txt: serial console off, blanking off, one line" \
    "! grep -q console=serial0 /boot/firmware/cmdline.txt && grep -qw consoleblank=0 /boot/firmware/cmdline.txt && [ \$(wc -l </boot/firmware/cmdline.txt) = 1 ]"

  say "running the installed kiosk as user kiosk"
  t0="$(now)"
  check "installed kiosk starts headless and draws the keypad" \
    "$(as_kiosk SDL_VIDEODRIVER=offscreen KIOSK_CONFIG=/etc/lightning-kiosk/kiosk.toml $venv $app/main.py --measure-startup) | tee /dev/stderr | grep -q 'keypad ready'"
  check "a demo sale as kiosk lands in the ledger in /var/lib" \
    "cd $app && $(as_kiosk KIOSK_CONFIG=/etc/lightning-kiosk/kiosk.toml PYTHONPATH=$app $venv -m kiosk charge 1 --currency SAT --demo --demo-pay-after 1 --json) && [ -s /var/lib/lightning-kiosk/ledger.sqlite3 ] && [ \"\$(stat -c %U /var/lib/lightning-kiosk/ledger.sqlite3)\" = kiosk ]"
  step_s[smoke]="$(elapsed "$t0")"

  say "the kiosk's tests as user kiosk"
  t0="$(now)"
  in_root prepare-tests 300 "rm -rf /var/lib/lightning-kiosk/verify && mkdir -p /var/lib/lightning-kiosk/verify \
    && cp -a /work/main /var/lib/lightning-kiosk/verify/ && chown -R kiosk:kiosk /var/lib/lightning-kiosk/verify" || rc=$?
  in_root test "$test_timeout" "cd /var/lib/lightning-kiosk/verify/main && $(as_kiosk TERM=dumb ./test.sh)" || rc=$?
  step_s[test]="$(elapsed "$t0")" step_rc[test]=$rc rc=0
  test_line="$(grep -E '^=+ .*(passed|failed|error).* =+$' "$logs/test.log" | tail -n 1 | sed 's/^=* //; s/ =*$//' || true)"

  t0="$(now)"
  in_root uninstall 300 "deploy/uninstall.sh" || rc=$?
  step_s[uninstall]="$(elapsed "$t0")" step_rc[uninstall]=$rc rc=0
  check "uninstall removed the app and the unit" "[ ! -e /opt/lightning-kiosk ] && [ ! -e /etc/systemd/system/lightning-kiosk.service ] && [ ! -L /etc/systemd/system/multi-user.target.wants/lightning-kiosk.service ]"
  check "uninstall kept the ledger and the config" "[ -s /var/lib/lightning-kiosk/ledger.sqlite3 ] && [ -f /etc/lightning-kiosk/kiosk.toml ]"
  host_check "uninstall restored config.txt exactly" cmp "$logs/config.txt" "$root/boot/firmware/config.txt"
  host_check "uninstall restored cmdline.txt exactly" cmp "$logs/cmdline.txt" "$root/boot/firmware/cmdline.txt"
}

report_install() {
  local name verdict=PASS
  for name in install install-serial install-again test uninstall; do
    [ "${step_rc[$name]}" = 0 ] || verdict=FAIL
  done
  ((checks_failed == 0)) || verdict=FAIL
  printf '\n\033[1m== Raspberry Pi install on fresh Debian %s %s (no systemd running): %s ==\033[0m\n' "$suite" "$arch" "$verdict"
  printf '  commit   %s\n' "$head"
  printf '  %-58s %8ss  %s\n' \
    "base root" "$base_s" "$base_note" \
    "pristine copy + clone + mounts" "$copy_s" "" \
    "deploy/install.sh (fresh: apt, user, venv, config)" "${step_s[install]}" "exit ${step_rc[install]}" \
    "deploy/install.sh --config serial-printer.toml" "${step_s[install-serial]}" "exit ${step_rc[install-serial]}" \
    "deploy/install.sh again (must change nothing)" "${step_s[install-again]}" "exit ${step_rc[install-again]}" \
    "installed kiosk as 'kiosk': start-up + demo sale" "${step_s[smoke]}" "" \
    "./test.sh as 'kiosk'" "${step_s[test]}" "exit ${step_rc[test]}${test_line:+, $test_line}" \
    "deploy/uninstall.sh" "${step_s[uninstall]}" "exit ${step_rc[uninstall]}"
  printf '  checks   %d passed, %d failed (%s)\n' "$checks_passed" "$checks_failed" "$logs/checks.log"
  printf '  logs     %s\n' "$logs"
  [ "$verdict" = PASS ]
}
