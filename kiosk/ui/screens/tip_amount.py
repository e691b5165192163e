"""A tip the customer types, shown with the total it makes."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.entry import AmountEntry
from kiosk.domain.pricing import Order
from kiosk.ui import routing, viewmodels
from kiosk.ui.screens.base import KioskScreen, kv_file
from kiosk.ui.widgets import add_number_keys

KV = kv_file(__file__)


class TipAmountScreen(KioskScreen):
    amount = StringProperty("")
    summary = StringProperty("")
    can_add = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.keys = add_number_keys(self.ids.grid, self.press)
        self.order: Order | None = None
        self.entry: AmountEntry | None = None

    def offer(self, order: Order) -> None:
        """A fresh entry for `order`: a tip may be at most the order's own amount."""
        self.order = order
        self.entry = AmountEntry(order.currency, order.discounted)
        self._refresh()

    def press(self, key: str) -> None:
        if self.entry is not None:
            self.entry = self.entry.press(key)
            self._refresh()

    def add_tip(self) -> None:
        if self.order is not None and self.entry is not None and not self.entry.is_empty:
            self.controller.charge_order(self.order, self.entry.value)

    def back(self) -> None:
        self.controller.show(routing.TIP)

    def _refresh(self) -> None:
        assert self.order is not None and self.entry is not None
        self.amount = viewmodels.amount_text(self.entry.value, self.entry.currency)
        self.summary = viewmodels.tip_summary(self.order, self.entry.value)
        self.can_add = not self.entry.is_empty
