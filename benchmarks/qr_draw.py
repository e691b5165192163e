"""Charge tap → invoice committed → QR on screen, and the kiosk's memory at start beside a bare Kivy window.

    .venv/bin/python -m benchmarks.qr_draw --sales 100

The real headless app at 800×480 on the demo node (in this process, no network: what is timed is
the kiosk's own work). Each sale taps an amount and Charge through Kivy's input dispatch; the
times are from the Charge release to the sale's AWAITING_PAYMENT commit (the invoice made,
decoded, checked and in the ledger) and to the end of the first frame that drew its QR code
(the event loop's iteration that set the texture also drew and flipped the window).

Memory, in two fresh child processes of the same run: a bare Kivy window (the same Kivy settings,
one label, one frame drawn) and the kiosk (`main.py --measure-startup`, demo node, 800×480): peak
RSS of each, and the kiosk's own share, the difference.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.settlement import percentile

if TYPE_CHECKING:  # Kivy may only be imported once configure_kivy has run
    from tools.tour.driving import Driver

ROOT = Path(__file__).resolve().parents[1]
QR_TARGET_MS = 30.0
SHARE_TARGET_MIB = 60.0
STEP_S = 10.0
ENV = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_ARGS": "1", "KIVY_NO_FILELOG": "1"}
BARE_WINDOW = """
import resource
from kiosk.ui.boot import configure_kivy
configure_kivy(False, 800, 480)
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.uix.label import Label
Window.add_widget(Label(text="bare"))
for _ in range(3):
    EventLoop.idle()
print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB", flush=True)
"""


def config_file(folder: Path) -> Path:
    path = folder / "kiosk.toml"
    path.write_text(
        f'[shop]\nname = "Bench Café"\n[ui]\nwidth = 800\nheight = 480\n'
        f'[ledger]\npath = "{folder / "ledger.sqlite3"}"\n'
        f'[demo]\nreceipts_dir = "{folder / "receipts"}"\n'
    )
    return path


def peak_mib(args: list[str]) -> float:
    out = subprocess.run(args, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    found = re.search(r"peak RSS ([\d.]+) MiB", out.stdout)
    if found is None:
        raise SystemExit(f"no figure from {args[1:]}:\n{out.stdout}\n{out.stderr[-2000:]}")
    return float(found.group(1))


def memory(config: Path, runs: int) -> tuple[float, float]:
    """The smallest peak RSS of `runs` bare windows and of `runs` kiosk start-ups (least noise)."""
    bare = min(peak_mib([sys.executable, "-c", BARE_WINDOW]) for _ in range(runs))
    start = [sys.executable, "main.py", "--config", str(config), "--demo", "--windowed", "--measure-startup"]
    kiosk = min(peak_mib(start) for _ in range(runs))
    return bare, kiosk


def time_sales(config_path: Path, sales: int) -> tuple[list[float], list[float]]:
    """(charge tap -> invoice committed, charge tap -> QR drawn) of each sale, ms."""
    import dataclasses

    from kiosk import preflight
    from kiosk.ui.boot import configure_kivy

    config = preflight.load(config_path)
    configure_kivy(False, config.ui.width, config.ui.height)
    from kiosk.domain.sale import Sale, SaleState
    from kiosk.ui import routing
    from kiosk.ui.app import KioskApp
    from kiosk.wiring import build
    from tools.tour.driving import Driver

    services = build(dataclasses.replace(config, node=dataclasses.replace(config.node, backend="demo")))
    committed: dict[int, float] = {}

    def on_sale(sale: Sale) -> None:
        if sale.state is SaleState.AWAITING_PAYMENT:
            committed.setdefault(sale.id, time.perf_counter())

    services.checkout.subscribe(on_sale)
    driver = Driver(KioskApp(services.till), services)
    driver.start()
    to_commit, to_qr = [], []
    try:
        driver.wait_for_screen(routing.KEYPAD)
        for n in range(sales):
            driver.enter_amount(str(1_000 + n))
            tapped, drawn, sale_id = charge_until_qr(driver)
            to_commit.append((committed[sale_id] - tapped) * 1000)
            to_qr.append((drawn - tapped) * 1000)
            driver.app.controller.cancel()
            driver.wait_for_screen(routing.CANCELLED)
            driver.app.controller.new_sale()
            driver.wait_for_screen(routing.KEYPAD)
    finally:
        driver.stop()
        services.close()
    return to_commit, to_qr


def charge_until_qr(driver: Driver) -> tuple[float, float, int]:
    """Tap Charge; (the release, the end of the frame that drew the new sale's QR, the sale's id)."""
    from kivy.base import EventLoop

    from kiosk.ui import routing
    from tools.tour.driving import NotReached, _Touch

    before = driver.app.controller.followed
    charge = driver.get(routing.KEYPAD, "charge")
    touch = _Touch(*charge.to_window(*charge.center))
    EventLoop.post_dispatch_input("begin", touch)
    EventLoop.idle()
    tapped = time.perf_counter()
    EventLoop.post_dispatch_input("end", touch)
    deadline = time.monotonic() + STEP_S
    while True:
        EventLoop.idle()  # one iteration: clock callbacks, then the frame drawn and flipped
        if driver.shows_new_qr(before):
            return tapped, time.perf_counter(), driver.app.controller.followed.id
        if time.monotonic() > deadline:
            raise NotReached(f"no QR within {STEP_S:g} s (screen {driver.screen})")


def row(name: str, values: list[float]) -> str:
    return f"{name:<36}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}{max(values):>9.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sales", type=int, default=100, help="how many sales to time (at least 2)")
    parser.add_argument("--memory-runs", type=int, default=3, help="start-ups of each kind for memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-qr-") as tmp:
        config = config_file(Path(tmp))
        bare, kiosk = memory(config, max(1, args.memory_runs))
        to_commit, to_qr = time_sales(config, max(2, args.sales))
    beyond = [qr - commit for commit, qr in zip(to_commit, to_qr, strict=True)]
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nCharge tap to QR on screen over {len(to_qr)} sales, 800x480, demo node, ms (load {load})")
    print(f"{'':<36}{'p50':>9}{'p95':>9}{'max':>9}")
    print(row("charge tap -> invoice committed", to_commit))
    print(row("charge tap -> QR drawn", to_qr))
    print(row("invoice committed -> QR drawn", beyond))
    share = kiosk - bare
    print(f"\nPeak RSS at start: bare Kivy window {bare:.1f} MiB, kiosk {kiosk:.1f} MiB")
    print(f"The kiosk's own share: {share:.1f} MiB")
    qr_ok = percentile(beyond, 95) <= QR_TARGET_MS
    print(
        f"QR drawn p95 {percentile(beyond, 95):.1f} ms after the commit: "
        f"{'within' if qr_ok else 'OVER'} {QR_TARGET_MS:.0f} ms; "
        f"own share {'within' if share <= SHARE_TARGET_MIB else 'OVER'} {SHARE_TARGET_MIB:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
