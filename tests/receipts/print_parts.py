"""What the print queue's tests share: a printer that keeps its paper, a wall clock, a paid sale."""

from __future__ import annotations

import time

from kiosk.domain.sale import Charge, Invoice, InvoiceCreated, Sale, Settled, transition
from kiosk.services.ledger import Ledger
from kiosk.services.printer_port import PrinterHealth
from kiosk.services.receipts import Receipt


class Paper:
    """A printer that keeps what it printed."""

    def __init__(self) -> None:
        self.printed: list[Receipt] = []

    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        self.printed.append(receipt)
        return PrinterHealth.READY

    def kick_drawer(self) -> None:
        pass


def clock() -> int:
    return time.time_ns() // 1_000_000


def add_sale(ledger: Ledger, paid: bool = True) -> Sale:
    sale = ledger.add(transition(Sale(0, 1, 1_000, "Tea"), Charge(1)), 1)
    created = transition(sale, InvoiceCreated(Invoice(f"lnbcrt{sale.id}", f"{sale.id:064x}", 9), 2, 9, 99))
    ledger.save(sale, created, 2)
    if not paid:
        return created
    done = transition(created, Settled("ab" * 32, 1_000, 3))
    ledger.save(created, done, 3)
    return done
