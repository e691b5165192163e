"""The keypad: the cashier types the amount and taps Charge."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import Currency
from kiosk.ui import viewmodels
from kiosk.ui.screens.base import RingUpScreen, kv_file
from kiosk.ui.widgets import add_number_keys

KV = kv_file(__file__)


class KeypadScreen(RingUpScreen):
    in_sats = BooleanProperty(False)
    shop_code = StringProperty("")
    can_reprint = BooleanProperty(False)  # a paid sale exists, so "Reprint last" has a receipt to print
    has_catalog = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        till = controller.till
        self._shop_currency: Currency = till.currency
        self._payment = till.payment
        self.shop_code = self._shop_currency.code
        self.has_catalog = bool(till.catalog)
        self.keys = add_number_keys(self.ids.grid, self.press)
        self.entry = self._new_entry(self._shop_currency)
        # Bound to this screen's controller, not kv's `app`: Kivy caches the first App it meets and
        # may keep an earlier one (a stopped app's controller ran nothing, so the PIN never came).
        self.ids.header.ids.title.bind(on_hold=self._shop_name_held)

    def _shop_name_held(self, _label: object) -> None:
        """Holding the shop name opens the admin area; the PIN comes next."""
        self.controller.admin.open()

    def press(self, key: str) -> None:
        self.entry = self.entry.press(key)
        self.refresh()

    def clear(self) -> None:
        self.press("clear")

    def toggle_currency(self) -> None:
        self.entry = self._new_entry(viewmodels.other_unit(self.entry.currency, self._shop_currency))
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.in_sats = self.entry.currency.is_sats

    def amount_view(self) -> viewmodels.KeypadView:
        rates = self.controller.till.rates
        tax = self.controller.till.tax
        return viewmodels.keypad_view(
            self.entry, rates.current(), rates.status(), self._payment.max_sats, tax
        )

    def _new_entry(self, unit: Currency) -> AmountEntry:
        maximum = viewmodels.entry_maximum(unit, self._payment.max_sats, self._payment.max_fiat)
        return AmountEntry(unit, maximum)
