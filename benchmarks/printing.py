"""How fast a paid sale reaches paper, and how many bytes a receipt is.

    .venv/bin/python -m benchmarks.printing --sales 30

Latency: the demo node settles each sale; the time runs from the checkout's
PAID notification to the last receipt byte arriving at a network printer on
127.0.0.1 (the test suite's loopback printer, which answers status queries
like an Epson-style unit). Sizes: the ESC/POS bytes of one receipt in text
and image mode for 58 and 80 mm, and the time to send them over a serial line
(8N1: 10 bits on the wire per byte).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from kiosk.backends.demo import DemoNode
from kiosk.config import PaymentConfig, PrinterConfig, ShopConfig
from kiosk.domain.money import Rate, currency
from kiosk.domain.pricing import quote
from kiosk.domain.sale import Sale, SaleState
from kiosk.hardware.connectors import make_printer
from kiosk.hardware.rendering import PrintFormat, paper_for, receipt_bytes
from kiosk.services.receipts import PaperGeometry, Receipt, receipt_for
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout
from tests.hardware.fake_printer import FakeNetworkPrinter

USD = currency("USD")
SHOP = ShopConfig(
    name="Benchmark Café", address="1 Loopback Lane", tax_id="BENCH-1", timezone="Europe/Berlin"
)
BAUDS = (9600, 115200)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def paid_to_paper(sales: int, folder: Path) -> tuple[list[float], Receipt]:
    printer = FakeNetworkPrinter()
    config = PrinterConfig(kind="network", host="127.0.0.1", port=printer.port)
    storage = Storage.open(folder / "ledger.sqlite3")
    checkout = make_checkout(
        DemoNode(), storage, make_printer(config, paper_for(config), None), PaymentConfig(), SHOP
    )
    paid_at: dict[int, float] = {}

    def on_sale(sale: Sale) -> None:
        if sale.state is SaleState.PAID:
            paid_at[sale.id] = time.perf_counter()

    checkout.subscribe(on_sale)
    latencies = []
    try:
        for n in range(sales):
            amount = Decimal("3.50") + Decimal(n) / 100
            sale = checkout.charge(
                quote(amount, USD, Rate(Decimal("95000"), USD, "demo", 0), 1_000_000), "Coffee"
            )
            checkout.backend.pay(sale.payment_hash)
            deadline = time.monotonic() + 10
            while len(printer.printed) <= n:
                if time.monotonic() > deadline:
                    raise SystemExit(f"sale {sale.id}: no receipt at the printer after 10 s")
                time.sleep(0.001)
            latencies.append(printer.printed[n].at - paid_at[sale.id])
        receipt = receipt_for(checkout.ledger.get(sale.id), SHOP)
    finally:
        checkout.close()
        storage.close()
        printer.stop()
    return latencies, receipt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sales", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        latencies, receipt = paid_to_paper(args.sales, Path(folder))
    ms = [t * 1000 for t in latencies]
    print(f"PAID -> last receipt byte at a loopback network printer, {len(ms)} sales (text mode, 58 mm)")
    print(f"  p50 {percentile(ms, 50):7.1f} ms   p95 {percentile(ms, 95):7.1f} ms   max {max(ms):7.1f} ms\n")

    chinese = replace(
        receipt, shop_name="上海小笼包店", address="上海市黄浦区南京东路100号", memo="小笼包 ×2"
    )
    rows = [
        ("en", "text", receipt, PrintFormat(PaperGeometry.of_width(58))),
        ("en", "text", receipt, PrintFormat(PaperGeometry.of_width(80))),
        ("en", "text+native QR", receipt, PrintFormat(PaperGeometry.of_width(58), native_qr=True)),
        ("en", "image", receipt, PrintFormat(PaperGeometry.of_width(58), render="image")),
        ("en", "image", receipt, PrintFormat(PaperGeometry.of_width(80), render="image")),
        ("zh", "gb18030 text", chinese, PrintFormat(PaperGeometry.of_width(58), cjk="gb18030")),
        ("zh", "image", chinese, PrintFormat(PaperGeometry.of_width(58))),
        ("zh", "image", chinese, PrintFormat(PaperGeometry.of_width(80))),
    ]
    header = f"{'receipt':8}{'mode':16}{'paper':>6}{'bytes':>9}" + "".join(
        f"{f'@{b} baud':>14}" for b in BAUDS
    )
    print(header)
    print("-" * len(header))
    for lang, mode, rec, fmt in rows:
        size = len(receipt_bytes(rec, fmt))
        times = "".join(f"{size * 10 / baud:>13.2f}s" for baud in BAUDS)
        print(f"{lang:8}{mode:16}{fmt.paper.width_mm:>4}mm{size:>9,}{times}")


if __name__ == "__main__":
    main()
