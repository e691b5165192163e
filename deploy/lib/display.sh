# shellcheck shell=bash
# Which DRM card the kiosk draws on (sourced by kiosk-start.sh and the tests).

# dsi_card_index BY_PATH_DIR (/dev/dri/by-path): N of /dev/dri/cardN for a DSI panel, or nothing when there is none.
# On a Pi 5 the DSI panel is its own DRM device (RP1) and the cardN numbers change between boots,
# so SDL's first card may be HDMI: the by-path name is stable, the number is read from its target.
dsi_card_index() {
  local dir="$1" link card
  for link in "$dir"/*dsi*-card; do
    [ -e "$link" ] || continue
    card="$(basename "$(readlink -f "$link")")"
    if [[ "$card" =~ ^card([0-9]+)$ ]]; then
      echo "${BASH_REMATCH[1]}"
      return 0
    fi
  done
  return 0
}
