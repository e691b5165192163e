# shellcheck shell=bash
# Shared by scripts/bootstrap.sh and deploy/install.sh.
# bolt11 2.2.0 (the newest) declares Requires-Python <3.13 but is pure Python and passes the
# kiosk's invoice tests on 3.13 (Trixie): on 3.13 and later it is installed alone past that
# marker, after which `pip install -r requirements.txt` accepts it as already there.
# Usage: install_bolt11_past_marker PYTHON REQUIREMENTS_FILE   (a no-op before 3.13)
install_bolt11_past_marker() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 13))' || return 0
  local pin
  pin="$(grep -E '^bolt11==' "$2")" || return 0
  "$1" -m pip install --quiet --disable-pip-version-check --no-deps --ignore-requires-python "$pin"
}
