"""What the touchscreen works with, and nothing more: built by `kiosk.wiring`, handed to `kiosk.ui`.

The screens and their controller see the shop's settings they show (name, currency,
payment limits, tips, catalog), the exchange rate, the clock, and the operations they
call; never the whole config, the node, the printer or the storage. The protocols name
the part of each service the UI may call; `Checkout` and `PrintQueue` are what wiring
gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from kiosk.config import PaymentConfig, TaxConfig, TipsConfig
from kiosk.domain.cart import Product
from kiosk.domain.money import Currency
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale
from kiosk.services.admin import Admin
from kiosk.services.admin_pin import PinCheck
from kiosk.services.fleet import OutboxStatus
from kiosk.services.print_jobs import PrintJob
from kiosk.services.printer_status import StatusListener
from kiosk.services.rates import RateSource
from kiosk.services.recent import SaleNow
from kiosk.services.refund_desk import RefundDesk
from kiosk.services.staff import StaffMember
from kiosk.services.tap_to_pay import TapToPay


class SaleDesk(Protocol):
    """The sales: charge, take cash, cancel, finish what a restart interrupted; news of every change."""

    cashier_id: int | None  # who is signed in on the till: the sales from now on carry it

    def subscribe(self, listener: Callable[[Sale], None]) -> None: ...

    def submit(self, fn: Callable[..., object], *args: object) -> Future:
        """Run a blocking call on a worker thread."""
        ...

    def charge(self, quote: Quote, memo: str) -> Sale: ...

    def take_cash(self, quote: Quote, memo: str, tendered: Decimal) -> Sale: ...

    def cancel(self, sale_id: int) -> Sale | None: ...

    def recover(self) -> list[Sale]: ...


class ReceiptDesk(Protocol):
    """The receipts: their print jobs, a reprint, and the printer's news."""

    def subscribe(self, listener: StatusListener) -> None: ...

    def jobs(self, sale_id: int | None = None) -> list[PrintJob]: ...

    def reprint(self, sale_id: int) -> PrintJob: ...

    def reprint_last(self) -> PrintJob | None: ...

    def retry_now(self) -> None: ...


class StaffDesk(Protocol):
    """The cashiers who sign in on the till (`kiosk.services.staff.Staff`); each call reads the disk."""

    def members(self) -> list[StaffMember]: ...

    def sign_in(self, staff_id: int, pin: str) -> tuple[StaffMember | None, PinCheck]: ...

    def locked_for_s(self, staff_id: int) -> int: ...

    def matches(self, staff_id: int, pin: str) -> StaffMember | None: ...


@dataclass(frozen=True)
class Till:
    shop_name: str
    timezone: str  # the shop's, for the time a sale shows
    currency: Currency
    tax: TaxConfig  # what keypad and cart orders carry
    payment: PaymentConfig  # the limits: max_sats, max_fiat
    tips: TipsConfig  # the presets and whether a typed tip is offered
    catalog: tuple[Product, ...]
    rates: RateSource
    clock_ms: Callable[[], int]  # wall-clock ms: the invoice countdown
    sales: SaleDesk
    receipts: ReceiptDesk
    recent_sales: Callable[[int], Sequence[Sale]]  # the newest `n` sales, newest first
    look_up: Callable[[int], SaleNow]  # a sale and what the node says of it now (blocks: network)
    admin: Admin
    pay_demo: Callable[[str], object] | None = None  # "Simulate payment": the demo node only
    tap: TapToPay | None = None  # tap to pay with a Bolt Card, when [nfc] is enabled
    fleet_status: Callable[[], OutboxStatus] | None = None  # the outbox's (reads disk), with [fleet]
    fleet_warn_ms: int = 0  # the cashier is told when the oldest unsent event is older
    refund_desk: RefundDesk | None = None  # a sale detail's Refund button (wiring always gives one)
    staff: StaffDesk | None = None  # cashiers sign in when the shop has any

    @property
    def is_demo(self) -> bool:
        return self.pay_demo is not None
