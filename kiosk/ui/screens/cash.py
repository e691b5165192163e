"""Cash at the counter: the cashier types what the customer handed over and sees the change."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.entry import AmountEntry
from kiosk.domain.pricing import Quote
from kiosk.ui import shop_views
from kiosk.ui.screens.base import KioskScreen, kv_file
from kiosk.ui.widgets import add_number_keys

KV = kv_file(__file__)


class CashScreen(KioskScreen):
    due = StringProperty("")
    given = StringProperty("")
    change = StringProperty("")
    can_take = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.keys = add_number_keys(self.ids.grid, self.press)
        self.quote: Quote | None = None
        self.memo = ""
        self.entry: AmountEntry | None = None

    def offer(self, quote: Quote, memo: str) -> None:
        """A cash quote (`Order.cash`) to take: the typed amount starts empty."""
        assert quote.fiat is not None
        self.quote, self.memo = quote, memo
        self.entry = AmountEntry(quote.fiat.currency, shop_views.cash_maximum(quote))
        self.refresh()

    def press(self, key: str) -> None:
        if self.entry is not None:
            self.entry = self.entry.press(key)
            self.refresh()

    def refresh(self) -> None:
        if self.quote is None or self.entry is None:
            return
        view = shop_views.cash_view(self.quote, self.entry)
        self.due, self.given, self.change, self.can_take = view.due, view.given, view.change, view.can_take

    def take(self) -> None:
        if self.can_take and self.quote is not None and self.entry is not None:
            self.can_take = False  # one tap, one sale
            self.controller.pay_cash(self.quote, self.memo, self.entry.value)
