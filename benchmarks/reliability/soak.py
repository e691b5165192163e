"""Soak and speed: many consecutive sales through the real, headless UI against a real LNbits.

    .venv/bin/python -m benchmarks.reliability --parts soak --sales 1000

Each sale taps the amount on the keypad, taps Charge, waits for the QR code
on screen, has the customer wallet pay through LNbits, waits for the PAID
screen and the receipt's last byte at a network printer on a real socket,
then taps New sale. Measures charge tap -> QR drawn and PAID -> receipt at
the printer; RSS, threads and open files after a warm-up and at the end;
and cold start to a ready keypad (`main.py --measure-startup`, same config).
"""

from __future__ import annotations

import gc
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.reliability.rig import read_ledger, write_config
from tests.hardware.fake_printer import FakeNetworkPrinter
from tests.support.lnbits import ROOT, LnbitsServer

if TYPE_CHECKING:  # Kivy may only be imported once configure_kivy has run
    from kiosk.wiring import Services
    from tools.tour.driving import Driver

# Main, print queue, and the checkout's pool, which starts workers on demand up to 4: a count may
# rise to this bound after the warm-up without a leak; past it, it is one.
BOUNDED_THREADS = 6
HARNESS_THREADS = ("printer-",)  # the stand-in printer lives in this process; it is not the kiosk
LIMITS = (
    "every sale settled and printed, RSS growth under 10 %, no more open files at the end, "
    f"threads within the bounded pools ({BOUNDED_THREADS})"
)
STEP_S = 20.0
STARTUP_RUNS = 3


@dataclass
class Usage:
    rss_kib: int
    threads: int
    fds: int
    names: str  # the kiosk's threads by kind, e.g. "checkout x3, print-queue, MainThread"

    @classmethod
    def now(cls) -> Usage:
        gc.collect()
        status = Path("/proc/self/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        kiosk = [t.name for t in threading.enumerate() if not t.name.startswith(HARNESS_THREADS)]
        kinds = Counter(re.sub(r"[_-]\d+$", "", name) for name in kiosk)
        names = ", ".join(f"{kind} x{n}" if n > 1 else kind for kind, n in sorted(kinds.items()))
        return cls(rss, len(kiosk), len(os.listdir("/proc/self/fd")), names)


@dataclass
class SoakResult:
    sales: int
    done: int = 0
    missed: list[str] = field(default_factory=list)
    charge_to_qr_ms: list[float] = field(default_factory=list)
    charge_to_invoice_ms: list[float] = field(default_factory=list)  # the invoice made, checked, committed
    invoice_at: dict[int, float] = field(default_factory=dict)
    paid_to_receipt_ms: list[float] = field(default_factory=list)
    warm: Usage | None = None
    end: Usage | None = None
    warm_after: int = 0
    seconds: float = 0.0
    ledger_states: dict[str, int] = field(default_factory=dict)
    startup_s: list[float] = field(default_factory=list)
    lnbits_create_ms: list[float] = field(default_factory=list)
    startup_rss_mib: list[float] = field(default_factory=list)

    @property
    def rss_growth(self) -> float:
        assert self.warm and self.end
        return (self.end.rss_kib - self.warm.rss_kib) / self.warm.rss_kib

    @property
    def ok(self) -> bool:
        return (
            not self.missed
            and self.done == self.sales
            and self.ledger_states == {"receipt_printed": self.sales}
            and self.rss_growth < 0.10
            and self.end is not None
            and self.warm is not None
            and self.end.threads <= max(self.warm.threads, BOUNDED_THREADS)
            and self.end.fds <= self.warm.fds
        )


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return (values[0],) * 3 if values else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], max(values)


def cold_start(config: Path, result: SoakResult) -> None:
    """`main.py --measure-startup` with the soak's config: process start to a drawn keypad."""
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_ARGS": "1", "KIVY_NO_FILELOG": "1"}
    for _ in range(STARTUP_RUNS):
        out = subprocess.run(
            [sys.executable, "main.py", "--config", str(config), "--windowed", "--measure-startup"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        found = re.search(r"keypad ready in ([\d.]+) s; peak RSS ([\d.]+) MiB", out.stdout)
        if found is None:
            raise SystemExit(
                f"main.py --measure-startup printed no figure:\n{out.stdout}\n{out.stderr[-2000:]}"
            )
        result.startup_s.append(float(found.group(1)))
        result.startup_rss_mib.append(float(found.group(2)))


def lnbits_create_ms(lnbits: LnbitsServer, count: int = 10) -> list[float]:
    """LNbits alone making an invoice (the adapter's one HTTP call), for comparison."""
    from kiosk.backends.lnbits import LnbitsBackend
    from kiosk.credentials import Secret

    assert lnbits.kiosk is not None
    backend = LnbitsBackend(lnbits.url, Secret(lnbits.kiosk.inkey.encode()))
    times = []
    for n in range(count):
        began = time.perf_counter()
        backend.create_invoice(1_000_000 + n * 1000, "timing", 300)
        times.append((time.perf_counter() - began) * 1000)
    return times


def soak(lnbits: LnbitsServer, sales: int, folder: Path) -> SoakResult:
    printer = FakeNetworkPrinter()
    config_path = write_config(folder, lnbits, lnbits.url, printer.port)
    result = SoakResult(sales)
    try:
        result.lnbits_create_ms = lnbits_create_ms(lnbits)
        cold_start(config_path, result)
        _drive(lnbits, printer, config_path, result)
    finally:
        printer.stop()
    result.ledger_states = {}
    for record in read_ledger(folder / "ledger.sqlite3").values():
        result.ledger_states[record.state] = result.ledger_states.get(record.state, 0) + 1
    return result


def _drive(lnbits: LnbitsServer, printer: FakeNetworkPrinter, config_path: Path, result: SoakResult) -> None:
    from kiosk import preflight
    from kiosk.ui.boot import configure_kivy

    config = preflight.load(config_path)
    configure_kivy(False, config.ui.width, config.ui.height)
    from kiosk.domain.sale import Sale, SaleState
    from kiosk.ui import routing
    from kiosk.ui.app import KioskApp
    from kiosk.wiring import build
    from tools.tour.driving import Driver, NotReached

    services = build(config)
    paid_at: dict[int, float] = {}

    def on_sale(sale: Sale) -> None:
        if sale.state is SaleState.PAID:
            paid_at[sale.id] = time.perf_counter()
        elif sale.state is SaleState.AWAITING_PAYMENT:
            result.invoice_at[sale.id] = time.perf_counter()

    services.checkout.subscribe(on_sale)
    driver = Driver(KioskApp(services.till), services)
    driver.start()
    result.warm_after = min(50, max(1, result.sales // 10))
    began = time.perf_counter()
    try:
        driver.wait_for_screen(routing.KEYPAD)
        for n in range(result.sales):
            try:
                _sale(driver, lnbits, printer, n, paid_at, result)
            except NotReached as exc:
                last = services.ledger.sales(limit=1)[0]
                result.missed.append(
                    f"sale {n + 1}: {exc}; the ledger's last sale is {last.state}: {last.error}"
                )
                break
            result.done += 1
            if result.done == result.warm_after:
                result.warm = _settled_usage(services)
            if result.done % 100 == 0:
                print(f"  {result.done} sales", file=sys.stderr, flush=True)
        result.seconds = time.perf_counter() - began
        result.end = _settled_usage(services)
    finally:
        driver.stop()
        services.close()


def _sale(
    driver: Driver,
    lnbits: LnbitsServer,
    printer: FakeNetworkPrinter,
    n: int,
    paid_at: dict[int, float],
    result: SoakResult,
) -> None:
    from kivy.base import EventLoop

    from kiosk.ui import routing
    from tools.tour.driving import NotReached

    driver.enter_amount(str(1_000 + n))
    before = driver.app.controller.followed
    tapped = time.perf_counter()
    driver.charge()
    deadline = time.monotonic() + STEP_S
    while not driver.shows_new_qr(before):
        if time.monotonic() > deadline:
            raise NotReached(f"QR code not on screen within {STEP_S:g} s (screen: {driver.screen})")
        EventLoop.idle()
    result.charge_to_qr_ms.append((time.perf_counter() - tapped) * 1000)
    sale = driver.app.controller.followed
    result.charge_to_invoice_ms.append((result.invoice_at[sale.id] - tapped) * 1000)
    lnbits.pay(sale.invoice.bolt11)
    driver.wait_for_screen(routing.PAID, STEP_S)
    driver.wait_until(lambda: len(printer.printed) > n, "the receipt at the printer", STEP_S)
    result.paid_to_receipt_ms.append((printer.printed[n].at - paid_at[sale.id]) * 1000)
    driver.tap(driver.get(routing.PAID, "new_sale"))
    driver.wait_for_screen(routing.KEYPAD)


def _settled_usage(services: Services) -> Usage:
    """Usage once the last sale's watcher threads have ended (they stop after the settlement)."""
    deadline = time.monotonic() + 10
    while services.checkout.watcher.watching() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    return Usage.now()


def run(lnbits: LnbitsServer, sales: int) -> SoakResult:
    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as folder:
        return soak(lnbits, sales, Path(folder))
