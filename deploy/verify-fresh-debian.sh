#!/usr/bin/env bash
# Prove the README's two set-up commands work on a fresh Debian with nothing but python3.
#
# As root on Debian amd64: builds (once, then cached) a Debian 12 (bookworm) or 13 (trixie) root
# with `debootstrap --variant=minbase --include=python3`, copies it to a pristine working root,
# puts a bare `git clone` of this repo's committed HEAD at /work/main (nothing beside it),
# then inside a chroot, as root, runs exactly the README's commands:
#   SDL_VIDEODRIVER=offscreen ./run.sh --demo --tour /tmp/tour    (exit 0 and PNGs written)
#   ./test.sh                                                     (exit 0)
# and then a second ./run.sh (it must make no apt call) and `git status` (the tests left no file).
# and prints PASS or FAIL with timings. Mounts are always undone; the host's .venv is never used.
#
# With --install it checks the Raspberry Pi install instead (issue #7): with a fake
# /boot/firmware/config.txt and cmdline.txt and no systemd running, it runs deploy/install.sh for
# real (twice: the second run must change nothing), checks what it made (systemd-analyze verify,
# the unit enabled, owners and modes, boot settings), starts the installed kiosk headless as user
# 'kiosk' (start-up and a demo sale into the real ledger), runs ./test.sh as 'kiosk', then
# deploy/uninstall.sh, which must keep the ledger.
#
# Usage: deploy/verify-fresh-debian.sh [--suite bookworm|trixie] [--keep] [--install] [--arch ARCH]
#   --suite S    the Debian release: bookworm (12, the default) or trixie (13, Python 3.13)
#   --keep       leave the working root in place for inspection (it is deleted otherwise)
#   --install    check deploy/install.sh and uninstall.sh instead of the README's commands
#   --arch ARCH  the root's architecture, e.g. arm64 (a Pi's) under qemu-user; default: the host's
# Environment: KIOSK_VERIFY_CACHE (default /var/cache/kiosk-verify), KIOSK_VERIFY_MIRROR
# (default http://deb.debian.org/debian). Logs and the tour's PNGs stay in $cache/runs/<time>/.
set -euo pipefail

suite=bookworm
mirror="${KIOSK_VERIFY_MIRROR:-http://deb.debian.org/debian}"
cache="${KIOSK_VERIFY_CACHE:-/var/cache/kiosk-verify}"
tour_timeout=900
test_timeout=3600

say() { printf '\033[1m[verify]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[verify] %s\033[0m\n' "$*" >&2; exit 1; }

keep=false install=false arch=""
while (($#)); do
  case "$1" in
    --keep) keep=true ;;
    --suite) suite="${2:-}"; shift
      case "$suite" in bookworm | trixie) ;; *) die "--suite takes bookworm or trixie" ;; esac ;;
    --install) install=true ;;
    --arch) arch="${2:-}"; [ -n "$arch" ] || die "--arch needs a Debian architecture, e.g. arm64"; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (usage: $0 [--suite bookworm|trixie] [--keep] [--install] [--arch ARCH])" ;;
  esac
  shift
done

[ "$(id -u)" = 0 ] || die "run as root (debootstrap, chroot and mount need it): sudo $0"
host_arch="$(dpkg --print-architecture 2>/dev/null)" || die "needs a Debian host (dpkg is missing)"
arch="${arch:-$host_arch}"
repo="$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)" || die "run it from a git checkout"

host_tools=()
command -v debootstrap >/dev/null || host_tools+=(debootstrap)
command -v git >/dev/null || host_tools+=(git)
if [ "$arch" != "$host_arch" ]; then
  # A foreign root runs through qemu-user: binfmt_misc hands its binaries to qemu-ARCH-static.
  [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
    || die "binfmt_misc is not available, so $arch binaries cannot run here: use the host's architecture"
  command -v update-binfmts >/dev/null || host_tools+=(qemu-user-static binfmt-support)
fi
if ((${#host_tools[@]})); then
  say "installing on the host: ${host_tools[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${host_tools[@]}" >/dev/null \
    || die "apt-get install ${host_tools[*]} failed: run 'apt-get update' and retry"
fi

if [ "$arch" != "$host_arch" ]; then
  case "$arch" in arm64) qemu="qemu-aarch64" ;; armhf | armel) qemu="qemu-arm" ;; *) qemu="qemu-$arch" ;; esac
  grep -qs '^enabled' "/proc/sys/fs/binfmt_misc/$qemu" || update-binfmts --enable "$qemu" \
    || die "$qemu is not registered with binfmt_misc: apt-get install qemu-user-static binfmt-support"
  # Everything runs 5-10 times slower under emulation.
  test_timeout=$((test_timeout * 4))
fi

run_dir="$cache/runs/$(date +%Y%m%d-%H%M%S)"
root="$run_dir/root"
logs="$run_dir/logs"
mkdir -p "$logs"

# Undo everything mounted under a root, deepest first, after ending any process still
# running inside it (a server a test left behind would keep the mounts busy).
release_root() {
  local dir="$1" pid
  for pid in /proc/[0-9]*; do
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$dir" ] && kill -KILL "${pid#/proc/}" 2>/dev/null
  done
  findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0, d) == 1' | sort -r | while read -r target; do
    umount "$target" 2>/dev/null || umount -l "$target" || say "could not unmount $target"
  done
}

# Delete a root only once nothing is mounted inside it, and never across file systems.
remove_root() {
  local dir="$1"
  release_root "$dir"
  if findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0, d) == 1 { found = 1 } END { exit !found }'; then
    say "left $dir in place: something is still mounted inside it"
    return
  fi
  rm -rf --one-file-system "$dir"
}

cleanup() {
  [ -d "$root" ] || return 0
  if $keep; then
    release_root "$root"
    say "kept the working root: $root"
  else
    remove_root "$root"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# 1. The base root: minbase plus python3, exactly what a fresh "nothing but python3" Debian has.
base="$cache/$suite-$arch-minbase-python3.tar"
t0="$(now)"
if [ -f "$base" ]; then
  base_note="cached"
else
  say "building the base root with debootstrap ($suite, minbase + python3; a few minutes, once)"
  build="$cache/base-build"
  remove_root "$build"
  debootstrap --variant=minbase --include=python3 --arch="$arch" "$suite" "$build" "$mirror" \
    >"$logs/debootstrap.log" 2>&1 \
    || { tail -n 30 "$logs/debootstrap.log" >&2; release_root "$build"; die "debootstrap failed (log: $logs/debootstrap.log)"; }
  release_root "$build"
  # The sources a Debian installer writes: the release, its updates and security.
  cat >"$build/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main
EOF
  rm -rf "$build/var/cache/apt/archives/"*.deb "$build/var/lib/apt/lists/"*
  tar --numeric-owner --xattrs -C "$build" -cf "$base.part" .
  mv "$base.part" "$base"
  remove_root "$build"
  base_note="built"
fi
base_s="$(elapsed "$t0")"

# 2. A pristine copy of it, the committed HEAD (nothing beside it), the host's DNS and site CAs.
t0="$(now)"
mkdir -p "$root"
tar --numeric-owner --xattrs -C "$root" -xf "$base"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# CAs this host adds for its network (e.g. a TLS-inspecting proxy) are only used once the
# scripts install ca-certificates themselves, as on a site that needs them.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
mkdir -p "$root/work"
git clone --quiet --no-hardlinks "$repo" "$root/work/main"
head="$(git -C "$root/work/main" log -1 --format='%h %s')"
mount --bind /proc "$root/proc"
mount --bind /sys "$root/sys"
mount --bind /dev "$root/dev"
mount --make-private "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
copy_s="$(elapsed "$t0")"

# Run a README command inside the root as a fresh root login would: clean environment.
# It runs in the background, shown live, so that Ctrl-C reaches the traps at once.
in_root() {
  local name="$1" seconds="$2" cmd="$3" status=0 pid
  say "$name: $cmd"
  : >"$logs/$name.log" # before tail follows it
  timeout --kill-after=30 "$seconds" chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /work/main && $cmd" >"$logs/$name.log" 2>&1 &
  pid=$!
  tail -n +1 -f --pid="$pid" "$logs/$name.log" &
  wait "$pid" || status=$?
  wait "$!"
  return "$status"
}

if $install; then
  # shellcheck source=deploy/lib/verify-install.sh
  . "$repo/deploy/lib/verify-install.sh"
  verify_install
  report_install
  exit
fi

# 3. The README's commands, in its order: start the kiosk (headless tour), then every test.
t0="$(now)"
tour_rc=0
in_root tour "$tour_timeout" "SDL_VIDEODRIVER=offscreen ./run.sh --demo --tour /tmp/tour" || tour_rc=$?
tour_s="$(elapsed "$t0")"
pngs=0
if [ -d "$root/tmp/tour" ]; then
  mkdir -p "$run_dir/tour"
  for png in "$root"/tmp/tour/*.png; do
    [ -f "$png" ] || continue
    [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || continue
    cp "$png" "$run_dir/tour/"
    pngs=$((pngs + 1))
  done
fi

t0="$(now)"
test_rc=0
in_root test "$test_timeout" "./test.sh" || test_rc=$?
test_s="$(elapsed "$t0")"
test_line="$(grep -E '(passed|failed|error).* in [0-9.]+s' "$logs/test.log" | tail -n 1 | sed 's/^=* //; s/ =*$//' || true)"

# A second start must not touch apt (no sudo prompt on every start), and the tests leave no file.
t0="$(now)"
again_rc=0
in_root again 600 "SDL_VIDEODRIVER=offscreen ./run.sh --demo --measure-startup" || again_rc=$?
again_s="$(elapsed "$t0")"
again_note="exit $again_rc"
if grep -q "installing system packages" "$logs/again.log"; then again_rc=1 again_note="it called apt again"; fi
left="$(git -C "$root/work/main" status --porcelain 2>&1)"

verdict=PASS
tour_note="exit $tour_rc, $pngs PNGs"
if [ "$tour_rc" != 0 ] || [ "$pngs" = 0 ]; then verdict=FAIL; fi
if [ "$test_rc" != 0 ] || [ "$again_rc" != 0 ] || [ -n "$left" ]; then verdict=FAIL; fi
[ "$tour_rc" = 124 ] && tour_note="timed out after ${tour_timeout}s, $pngs PNGs"
test_note="exit $test_rc${test_line:+, $test_line}"
[ "$test_rc" = 124 ] && test_note="timed out after ${test_timeout}s"

printf '\n\033[1m== fresh Debian %s (minbase + python3): %s ==\033[0m\n' "$suite" "$verdict"
printf '  commit   %s\n' "$head"
printf '  %-58s %8ss  %s\n' \
  "base root" "$base_s" "$base_note" \
  "pristine copy + clone + mounts" "$copy_s" "" \
  "SDL_VIDEODRIVER=offscreen ./run.sh --demo --tour /tmp/tour" "$tour_s" "$tour_note" \
  "./test.sh" "$test_s" "$test_note" \
  "./run.sh again (no apt call)" "$again_s" "$again_note" \
  "git status after the tests" "" "${left:-clean}"
printf '  logs     %s\n' "$logs"
((pngs)) && printf '  tour     %s\n' "$run_dir/tour"
[ "$verdict" = PASS ]
