"""A kiosk's shop day on a real ledger: cash and Lightning sales (demo node), a refund, a float, a close."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kiosk.backends.demo import DemoNode
from kiosk.config import PaymentConfig, ShopConfig
from kiosk.domain.money import Rate, currency
from kiosk.domain.pricing import Order
from kiosk.domain.refund import RefundMode
from kiosk.domain.tax import TaxPolicy
from kiosk.hardware.printers import FileReceiptPrinter
from kiosk.hardware.rendering import PrintFormat
from kiosk.services.receipts import PaperGeometry
from kiosk.services.refunds import Refunds
from kiosk.services.shifts import Shifts, ZReport
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout
from tests.support.clock import Clock
from tests.support.wait import wait_until

EUR = currency("EUR")
RATE = Rate(Decimal("90000"), EUR, "test rate", 0)
SHOP = ShopConfig(name="Café Test", currency="EUR", timezone="Europe/Berlin")
VAT = TaxPolicy(included=True)


def config_text(folder: Path, terminal_id: str, dsn_file: Path, ca_file: Path, batch: int = 500) -> Path:
    path = folder / "kiosk.toml"
    path.write_text(
        f'[shop]\ncurrency = "EUR"\ntimezone = "Europe/Berlin"\n'
        f'[ledger]\npath = "{folder / "ledger.sqlite3"}"\n'
        f'[fleet]\ndsn_file = "{dsn_file}"\nterminal_id = "{terminal_id}"\n'
        f'ca_file = "{ca_file}"\nbatch = {batch}\n'
    )
    return path


def sell(folder: Path, sales: int, shifts: int = 2) -> list[ZReport]:
    """`sales` sales in each of `shifts` shifts (every third in cash, one refund each); their Z-reports."""
    clock = Clock()
    storage = Storage.open(folder / "ledger.sqlite3")
    node = DemoNode()
    checkout = make_checkout(
        node,
        storage,
        FileReceiptPrinter(folder / "receipts", PrintFormat(PaperGeometry.of_width(58))),
        PaymentConfig(poll_interval_seconds=0.05),
        SHOP,
        clock_ms=clock,
        steady_ms=clock.steady,
    )
    shift_book = Shifts(storage.shifts, storage.sales, SHOP, clock, storage.refunds)
    refunds = Refunds(storage.sales, storage.refunds, RefundMode.RECORD, clock)
    reports = []
    try:
        for shift in range(shifts):
            shift_book.set_float(Decimal("50.00"))
            paid = []
            for n in range(sales):
                order = Order(Decimal("3.10") + Decimal(n % 7) / 10, EUR, tax=VAT, tax_rate=Decimal(19))
                if n % 3 == 0:
                    paid.append(checkout.take_cash(order.cash(), f"cash {n}", Decimal("20")))
                    continue
                sale = checkout.charge(order.priced(RATE, 10**7), f"sale {n}")
                node.pay(sale.payment_hash)
                wait_until(lambda s=sale: storage.sales.get(s.id).state.is_paid, what="paid")
                paid.append(sale)
            refunds.refund(paid[1].id, f"r{shift}", Decimal("1.00"))
            clock.offset_ms += 1_000
            reports.append(shift_book.close(Decimal("60.00")))
            clock.offset_ms += 1_000
    finally:
        checkout.close()
        storage.close()
    return reports
