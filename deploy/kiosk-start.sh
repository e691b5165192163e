#!/usr/bin/env bash
# Started by lightning-kiosk.service: choose the display's DRM card, then become the kiosk.
# It execs Python, so systemd's READY=1 and watchdog pings come from the service's main process.
# KIOSK_DISPLAY (in /etc/lightning-kiosk/kiosk.env): "auto" (DSI panel if there is one, else SDL's
# choice), "hdmi" (SDL's choice), or a card number; SDL_KMSDRM_DEVICE_INDEX set there wins.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app="$(dirname "$here")"
# shellcheck source=deploy/lib/display.sh
. "$here/lib/display.sh"

display="${KIOSK_DISPLAY:-auto}"
if [ -z "${SDL_KMSDRM_DEVICE_INDEX:-}" ]; then
  case "$display" in
    auto) index="$(dsi_card_index /dev/dri/by-path)" ;;
    hdmi) index="" ;;
    *[!0-9]* | "") echo "KIOSK_DISPLAY=$display is not auto, hdmi or a card number; using auto" >&2
      index="$(dsi_card_index /dev/dri/by-path)" ;;
    *) index="$display" ;;
  esac
  if [ -n "$index" ]; then
    export SDL_KMSDRM_DEVICE_INDEX="$index"
    echo "display: /dev/dri/card$index (SDL_KMSDRM_DEVICE_INDEX=$index)" >&2
  fi
fi
exec "${KIOSK_VENV:-/opt/lightning-kiosk/venv}/bin/python" "$app/main.py" "$@"
