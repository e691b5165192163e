"""The invoice: QR code, amount and countdown while the customer pays."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.sale import Sale
from kiosk.services.qr import payment_uri
from kiosk.services.tap_to_pay import TapNews
from kiosk.ui import strings, viewmodels
from kiosk.ui.screens.base import KioskScreen, kv_file
from kiosk.ui.tap_view import tap_line

KV = kv_file(__file__)
CANCEL_HINT_S = 4


class InvoiceScreen(KioskScreen):
    headline = StringProperty("")
    second_line = StringProperty("")
    sale_number = StringProperty("")
    countdown = StringProperty("")
    urgent = BooleanProperty(False)
    payload = StringProperty("")
    cancel_hint = StringProperty("")  # after a short tap on Cancel: how to cancel
    tap_line = StringProperty("")  # tap to pay: "scan or tap", a tap under way, or why it failed
    tap_alarm = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self._sale: Sale | None = None
        self._tap: TapNews | None = None
        self._ticker = Clock.schedule_interval(self._tick, 0.25)
        self._ticker.cancel()

    def prepare(self, sale: Sale) -> None:
        """The sale's texts while its invoice is made, so only the QR is new when it arrives.

        Kivy renders a label's text when it changes, some 10 ms each on a 2-core x86 and more on
        a Pi: done now, behind the spinner, they are not between the invoice and its QR.
        """
        self._sale = None
        self.payload = ""
        self.headline, self.second_line = viewmodels.sale_amounts(sale)
        self.sale_number = strings.SALE_NUMBER.format(sale_id=sale.id)
        full = viewmodels.minutes_seconds(self.controller.till.payment.invoice_expiry_seconds)
        self.countdown, self.urgent = strings.EXPIRES_IN.format(countdown=full), False

    def show_sale(self, sale: Sale) -> None:
        self._sale = sale
        self.headline, self.second_line = viewmodels.sale_amounts(sale)
        self.sale_number = strings.SALE_NUMBER.format(sale_id=sale.id)
        self.payload = payment_uri(sale.invoice.bolt11) if sale.invoice else ""
        self.show_tap(self._tap)
        self._tick()

    def show_tap(self, news: TapNews | None) -> None:
        """The latest news of tap to pay (None: this kiosk has no [nfc])."""
        self._tap = news
        line = tap_line(news, self._sale.id if self._sale else None)
        self.tap_line, self.tap_alarm = line.text, line.alarm

    def on_enter(self, *_: object) -> None:
        self._ticker()

    def on_leave(self, *_: object) -> None:
        self._ticker.cancel()
        self.cancel_hint = ""

    def explain_cancel(self) -> None:
        """A tap on Cancel: say it must be held (a hold fires before the finger lifts)."""
        if self.manager is not None and self.manager.current == self.name:
            self.cancel_hint = strings.HOLD_TO_CANCEL
            Clock.schedule_once(lambda _dt: setattr(self, "cancel_hint", ""), CANCEL_HINT_S)

    def _tick(self, *_: object) -> None:
        if self._sale is not None:
            left, self.urgent = viewmodels.countdown(self._sale, self.controller.till.clock_ms())
            self.countdown = strings.EXPIRES_IN.format(countdown=left)
