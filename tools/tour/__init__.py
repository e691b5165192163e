"""The screenshot tour: the real app, tapped through every screen, a PNG of each.

`python main.py --tour DIR` (or `scripts/regenerate-tour.sh` for docs/tour) runs it. It lives here,
not in `kiosk/`, because it is not part of the kiosk a shop runs: it swaps in a slow node and a
printer that runs out of paper, by injection through `kiosk.wiring.build`.
"""
