"""Drives the screens from the cashier's taps and the sales' updates: screens only forward taps here;
this object decides what runs in the background (through the bridge) and which screen shows what.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from decimal import Decimal

from kivy.uix.screenmanager import Screen

from kiosk import i18n
from kiosk.domain.cart import memo_for
from kiosk.domain.pricing import CannotPrice, Order, Quote
from kiosk.domain.sale import Sale, SaleState
from kiosk.domain.tender import Tender
from kiosk.services.print_jobs import PrintJob
from kiosk.services.printer_status import PrinterStatus
from kiosk.services.tap_to_pay import TapNews, TapState
from kiosk.services.till import Till
from kiosk.ui import routing, viewmodels
from kiosk.ui.admin_controller import AdminController
from kiosk.ui.bridge import SaleBridge
from kiosk.ui.counter import Counter
from kiosk.ui.discount_flow import DiscountFlow
from kiosk.ui.lockdown import Lockdown
from kiosk.ui.screen_set import ScreenSet
from kiosk.ui.screens.card_pin import CardPinView
from kiosk.ui.signin import SignIn

log = logging.getLogger(__name__)
# At start-up, "Reprint last" shows if one of this many newest sales is paid.
RECENT_SALES = 50
RECEIPT_SCREENS = (routing.PAID, routing.PAID_LATE)
STAY_WHEN_IDLE = frozenset(
    {routing.KEYPAD, routing.CATALOG, routing.CREATING, routing.INVOICE, routing.PAID_LATE}
)


class Controller(Counter):
    def __init__(
        self,
        till: Till,
        screens: ScreenSet,
        make_screens: Callable[[Controller], Sequence[Screen]],
        quit_kiosk: Callable[[], None] = lambda: None,
    ) -> None:
        self.till = till
        self.screens = screens
        self.followed: Sale | None = None
        self._make_screens = make_screens
        self._awaiting_new_sale = False
        self._receipt_asked = 0
        # What screens show that is not in their .kv rules, to show again on new screens.
        self._printer_status: PrinterStatus | None = None
        self._can_reprint_last = False
        self._on_show: tuple[str, Sale | BaseException | None] = (routing.KEYPAD, None)
        self.home = routing.KEYPAD  # where the cashier rings up: the keypad or the catalog
        self._last_order: tuple[Order, Decimal] | None = None  # what Try again charges again
        self.bridge = SaleBridge(till.sales, till.receipts, self.on_sale, self.on_failure, self.on_printer)
        self._tap_news: TapNews | None = None  # tap to pay's latest, when [nfc] is on
        if till.tap is not None:
            present = till.tap.reader_present
            self._tap_news = TapNews(TapState.READY if present else TapState.NO_READER, present)
            self.bridge.follow(till.tap.subscribe, self.on_tap)
        self.admin = AdminController(self, till.admin, quit_kiosk)
        self.signin = SignIn(self, till.staff)
        self.discounts = DiscountFlow(self)
        self.lockdown = Lockdown(till.admin.settings.idle_timeout_seconds, self.idle)

    @property
    def is_demo(self) -> bool:
        return self.till.is_demo

    @property
    def tips_enabled(self) -> bool:
        """The tip step: [tips] enabled in the config, unless the merchant changed it on the device."""
        return self.admin.admin.settings.tips

    def build_screens(self) -> None:
        for screen in self._make_screens(self):
            self.screens.add_widget(self.caught_up(screen))
        self.screens.get_screen(routing.INVOICE).show_tap(self._tap_news)

    def caught_up(self, screen: Screen) -> Screen:
        """A new screen (at start, after a language switch, made on first use) shows the printer's news."""
        if self._printer_status is not None:
            screen.show_printer(self._printer_status)
        return screen

    def set_language(self, code: str) -> None:
        """Speak `code` (from `i18n.available_languages()`) at once, on every screen.

        Every screen is built anew, so no word in the old language stays; the
        screen on show comes back with what it showed, the printer strip and
        "Reprint last" too, but a half-typed amount is cleared. Saving the choice
        is the caller's business (the admin settings).
        """
        i18n.set_language(code)
        current = self.screens.current
        name, shown = self._on_show if self._on_show[0] == current else (current, None)
        self.screens.clear_widgets()
        self.build_screens()
        if self._can_reprint_last:
            self._enable_reprint_last()
        if isinstance(shown, BaseException):
            self.on_failure(shown)
        else:
            self.show(name, shown)

    def start(self) -> None:
        """Finish what a restart interrupted, in the background; late payments will raise the alarm."""
        self.bridge.run(self.till.sales.recover)
        self.bridge.fetch(self._recent_sales, self.till.recent_sales, RECENT_SALES)
        self.show(routing.KEYPAD)

    # Taps ----------------------------------------------------------------------

    def charge_order(self, order: Order, tip: Decimal) -> None:
        """Price the order at this moment's rate (a tip can take a while) and charge it.

        A rate that went stale meanwhile stops the sale here, with the reason, before any invoice exists.
        """
        self._last_order = (order, tip)
        try:
            priced = order.priced(self.till.rates.current(), self.till.payment.max_sats, tip)
        except CannotPrice as exc:
            return self._show_notice(viewmodels.cannot_price_notice(exc))
        self.charge(priced, memo_for(self.till.shop_name, order.items, separator=i18n.list_separator()))

    def charge(self, quote: Quote, memo: str | None = None) -> None:
        self.followed = None
        self._awaiting_new_sale = True
        self.show(routing.CREATING)
        self.bridge.run(self.till.sales.charge, quote, memo or self.till.shop_name)

    def show_catalog(self) -> None:
        self.home = routing.CATALOG
        self.show(routing.CATALOG)

    def show_keypad(self) -> None:
        self.home = routing.KEYPAD
        self.show(routing.KEYPAD)

    def cancel(self) -> None:
        if self.followed is not None:
            self.bridge.run(self.till.sales.cancel, self.followed.id)

    def simulate_payment(self) -> None:
        pay = self.till.pay_demo
        if pay is not None and self.followed is not None and self.followed.payment_hash:
            self.bridge.run(pay, self.followed.payment_hash)

    def reprint(self, sale_id: int) -> None:
        self.bridge.run(self._print_again, sale_id)

    def reprint_last(self) -> None:
        self.bridge.run(self._print_again, None)

    def retry_printer(self) -> None:
        """The cashier has dealt with the printer: try the waiting receipts now, not after the backoff."""
        self.bridge.run(self.till.receipts.retry_now)

    def back_to_keypad(self) -> None:
        """Back to ringing up, with the amount or cart still there (e.g. to try again after an error)."""
        self.show(self.home)

    def new_sale(self) -> None:
        """A clean keypad (and cart) for the next customer; the cashier goes back to where they ring up."""
        self.followed = None
        self.screens.get_screen(routing.KEYPAD).clear()
        if self.screens.has_screen(routing.CATALOG):
            self.screens.get_screen(routing.CATALOG).clear()
        self.show(self.home)

    def acknowledge_late_payment(self) -> None:
        """Back to the sale in progress, if the alarm interrupted one, else to the keypad."""
        sale = self.followed
        if sale is not None and sale.state is SaleState.AWAITING_PAYMENT:
            self.show(routing.INVOICE, sale)
        elif sale is not None and sale.state.is_paid and not sale.settled_late:
            self.show(routing.PAID, sale)
        else:
            self.show(self.home)

    def idle(self) -> None:
        """Nobody touched the screen for a while: back to the keypad, the admin area locked.

        Never from an invoice the customer may still pay, the invoice being made,
        or a late-payment alarm; the keypad and the cart keep what was typed.
        """
        if self.screens.current in STAY_WHEN_IDLE:
            return
        self.admin.unlocked = False
        if self.screens.current == routing.PAID:
            self.new_sale()
        else:
            self.show(routing.KEYPAD)

    # News from the workers (already on the UI thread) ---------------------------

    def on_sale(self, sale: Sale) -> None:
        if sale.state.is_paid:
            self._enable_reprint_last()
        cash = sale.state is SaleState.ENTERING and sale.tender is Tender.CASH
        if self._awaiting_new_sale and (sale.state is SaleState.CREATING_INVOICE or cash):
            self._awaiting_new_sale = False
            self.followed = sale
        elif self.followed is not None and sale.id == self.followed.id:
            self.followed = sale
        alarm = getattr(self.screens.made(routing.PAID_LATE), "sale_id", None)  # not made: no alarm yet
        screen = routing.screen_for(sale, self.followed.id if self.followed else None, alarm)
        if screen == routing.PAID_LATE and self.followed is not None and sale.id == self.followed.id:
            self.followed = None
        if screen is not None:
            self.show(screen, sale)

    def on_failure(self, error: BaseException) -> None:
        """A background task crashed (a bug, a full disk): say so, unless the alarm is up."""
        self._awaiting_new_sale = False
        if self.screens.current == routing.PAID_LATE:
            return
        self._on_show = (routing.ERROR, error)
        self._show_notice(viewmodels.failure_notice(error))

    def on_tap(self, news: TapNews) -> None:
        """Tap to pay's news: the invoice screen says it; a PIN the card's service wants is asked for."""
        self._tap_news = news
        self.screens.get_screen(routing.INVOICE).show_tap(news)
        followed = self.followed
        on_invoice = self.screens.current == routing.INVOICE and followed is not None
        if news.state is TapState.PIN and on_invoice and followed.id == news.sale_id:
            assert self.till.tap is not None
            CardPinView(self.till.tap.enter_pin).open()

    def on_printer(self, status: PrinterStatus) -> None:
        self._printer_status = status
        for screen in self.screens.screens:
            screen.show_printer(status)
        if self.screens.current in RECEIPT_SCREENS:
            shown = self.screens.current_screen.sale
            if shown is not None:
                self._ask_receipt(self.screens.current, shown.id)

    def show(self, name: str, sale: Sale | None = None) -> None:
        screen = self.screens.get_screen(name)
        self._on_show = (name, sale)
        if sale is not None:
            screen.show_sale(sale)
            if name in RECEIPT_SCREENS:
                self._ask_receipt(name, sale.id)
        self.screens.current = name

    # Internals -------------------------------------------------------------------

    def _ask_receipt(self, screen_name: str, sale_id: int) -> None:
        """Read the sale's print jobs on a worker; only the newest answer is shown (workers race)."""
        self._receipt_asked += 1
        asked = self._receipt_asked

        def answered(jobs: Sequence[PrintJob]) -> None:
            if asked == self._receipt_asked:
                self.screens.get_screen(screen_name).show_jobs(sale_id, jobs)

        self.bridge.fetch(answered, self.till.receipts.jobs, sale_id)

    def _show_notice(self, notice: viewmodels.Notice) -> None:
        self.screens.get_screen(routing.ERROR).show_notice(notice)
        self.screens.current = routing.ERROR

    def _print_again(self, sale_id: int | None) -> None:
        """On a worker: queue one more customer copy, then try the printer at once.

        The cashier may have just fixed the printer; a new job alone would wait out the backoff.
        """
        queue = self.till.receipts
        if sale_id is None:
            queue.reprint_last()
        else:
            queue.reprint(sale_id)
        queue.retry_now()

    def _recent_sales(self, sales: Sequence[Sale]) -> None:
        if viewmodels.can_reprint_last(sales):
            self._enable_reprint_last()

    def _enable_reprint_last(self) -> None:
        self._can_reprint_last = True
        self.screens.get_screen(routing.KEYPAD).can_reprint = True
