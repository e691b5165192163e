"""What every screen shares: the controller it forwards taps to, the header's words, the printer's state."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.domain.sale import Sale
from kiosk.services.fleet import OutboxStatus
from kiosk.services.print_jobs import PrintJob
from kiosk.services.printer_status import PrinterStatus
from kiosk.ui import fleet_views, shop_views, strings, viewmodels

RATE_REFRESH_S = 1.0
SYNC_REFRESH_S = 30.0  # how often the outbox's state is read (on a worker) while the screen shows


class KioskScreen(Screen):
    controller = ObjectProperty(None, allownone=True)
    shop_name = StringProperty("")
    badge = StringProperty("")
    short_badge = StringProperty("")  # for headers with buttons on a narrow (portrait) screen
    printer_view = ObjectProperty(viewmodels.PrinterView(), rebind=True)  # kv reads printer_view.visible

    def __init__(self, controller: object, **kwargs: object) -> None:
        # Given to Screen.__init__ so they are set before the .kv rules read them.
        super().__init__(
            controller=controller,
            shop_name=controller.till.shop_name,
            badge=strings.DEMO_BADGE if controller.is_demo else "",
            short_badge=strings.DEMO_BADGE_SHORT if controller.is_demo else "",
            **kwargs,
        )
        self.printer_status: PrinterStatus | None = None

    def show_sale(self, sale: Sale) -> None:
        """Fill the screen from a sale; screens that show one override this."""

    def show_printer(self, status: PrinterStatus) -> None:
        """The print queue's latest status; screens with a printer strip draw `printer_view`."""
        self.printer_status = status
        self.printer_view = viewmodels.printer_view(status)


class RingUpScreen(KioskScreen):
    """Where the cashier rings up (keypad or catalog): the amount, its equivalent and the rate.

    While it shows, the amount is priced again every second, so the rate's age on screen counts up
    and a rate that goes stale disables Charge at once. With [fleet], a quiet line says when
    events have waited too long to reach the central books.
    """

    amount = StringProperty("")
    equivalent = StringProperty("")
    rate_note = StringProperty("")
    problem = StringProperty("")
    can_charge = BooleanProperty(False)
    sync_note = StringProperty("")
    cashier = StringProperty("")  # the header's sign-in button: "" (no staff), Sign in, or who is

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self._ticker = Clock.schedule_interval(lambda _dt: self.show_amount(), RATE_REFRESH_S)
        self._ticker.cancel()
        self._sync: OutboxStatus | None = None
        self._sync_ticker = Clock.schedule_interval(lambda _dt: self._read_sync(), SYNC_REFRESH_S)
        self._sync_ticker.cancel()

    def on_pre_enter(self, *_: object) -> None:
        self.refresh()
        self._ticker()
        self.controller.signin.refresh()
        if self.controller.till.fleet_status is not None:
            self._read_sync()
            self._sync_ticker()

    def on_leave(self, *_: object) -> None:
        self._ticker.cancel()
        self._sync_ticker.cancel()

    def _read_sync(self) -> None:
        self.controller.bridge.fetch(self.show_sync, self.controller.till.fleet_status)

    def show_sync(self, status: OutboxStatus) -> None:
        self._sync = status
        self.show_amount()

    def refresh(self) -> None:
        """Redraw after a tap; screens add what else a tap changes."""
        self.show_amount()

    def show_amount(self) -> None:
        view = self.amount_view()
        self.amount, self.equivalent, self.rate_note = view.amount, view.equivalent, view.rate_note
        self.problem, self.can_charge = view.problem, view.can_charge
        till = self.controller.till
        self.sync_note = fleet_views.backlog_note(self._sync, till.clock_ms(), till.fleet_warn_ms)

    def charge(self) -> None:
        view = self.amount_view()
        if view.order is not None:
            self.controller.ring_up(view.order)

    def take_cash(self) -> None:
        view = self.amount_view()
        if view.order is not None:
            self.controller.ring_up_cash(view.order)

    def amount_view(self) -> viewmodels.KeypadView:
        raise NotImplementedError


class PaidSaleScreen(KioskScreen):
    """A paid sale (on time or late): its amounts and how its receipt is getting on."""

    headline = StringProperty("")
    second_line = StringProperty("")
    receipt = StringProperty("")
    stamp = StringProperty("")  # the sale's number and time, and the change of a cash sale

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.sale: Sale | None = None
        self._jobs: Sequence[PrintJob] = ()

    def show_sale(self, sale: Sale) -> None:
        if self.sale is None or self.sale.id != sale.id:
            self._jobs = ()
        self.sale = sale
        self.headline, self.second_line = viewmodels.sale_amounts(sale)
        self.stamp = shop_views.sale_stamp(sale, self.controller.till.timezone)
        self._show_receipt()

    def show_jobs(self, sale_id: int, jobs: Sequence[PrintJob]) -> None:
        """The sale's print jobs, read from the ledger by a worker; ignored if another sale is shown."""
        if self.sale is not None and self.sale.id == sale_id:
            self._jobs = jobs
            self._show_receipt()

    def show_printer(self, status: PrinterStatus) -> None:
        super().show_printer(status)
        self._show_receipt()

    def _show_receipt(self) -> None:
        if self.sale is not None:
            self.receipt = viewmodels.receipt_note(self.sale, self._jobs, self.printer_status)


def kv_file(module_file: str) -> Path:
    return Path(module_file).with_suffix(".kv")
