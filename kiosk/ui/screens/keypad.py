"""The keypad: the cashier types the amount and taps Charge."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import Currency
from kiosk.ui import viewmodels
from kiosk.ui.screens.base import KioskScreen, kv_file
from kiosk.ui.widgets import add_number_keys

KV = kv_file(__file__)
RATE_REFRESH_S = 1.0  # the rate's age on screen counts up while the keypad shows


class KeypadScreen(KioskScreen):
    amount = StringProperty("")
    equivalent = StringProperty("")
    rate_note = StringProperty("")
    problem = StringProperty("")
    can_charge = BooleanProperty(False)
    in_sats = BooleanProperty(False)
    shop_code = StringProperty("")
    can_reprint = BooleanProperty(False)  # a paid sale exists, so "Reprint last" has a receipt to print
    has_catalog = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        services = controller.services
        self._shop_currency: Currency = services.currency
        self._payment = services.config.payment
        self.shop_code = self._shop_currency.code
        self.has_catalog = bool(services.catalog)
        self.keys = add_number_keys(self.ids.grid, self.press)
        self.entry = self._new_entry(self._shop_currency)
        self._ticker = Clock.schedule_interval(lambda _dt: self.refresh(), RATE_REFRESH_S)
        self._ticker.cancel()

    def on_pre_enter(self, *_: object) -> None:
        self.refresh()
        self._ticker()

    def on_leave(self, *_: object) -> None:
        self._ticker.cancel()

    def press(self, key: str) -> None:
        self.entry = self.entry.press(key)
        self.refresh()

    def clear(self) -> None:
        self.press("clear")

    def toggle_currency(self) -> None:
        self.entry = self._new_entry(viewmodels.other_unit(self.entry.currency, self._shop_currency))
        self.refresh()

    def charge(self) -> None:
        view = self._view()
        if view.order is not None:
            self.controller.ring_up(view.order, self.name)

    def refresh(self) -> None:
        view = self._view()
        self.amount = view.amount
        self.equivalent = view.equivalent
        self.rate_note = view.rate_note
        self.problem = view.problem
        self.can_charge = view.can_charge
        self.in_sats = self.entry.currency.is_sats

    def _view(self) -> viewmodels.KeypadView:
        rates = self.controller.services.rates
        return viewmodels.keypad_view(self.entry, rates.current(), rates.status(), self._payment.max_sats)

    def _new_entry(self, unit: Currency) -> AmountEntry:
        maximum = viewmodels.entry_maximum(unit, self._payment.max_sats, self._payment.max_fiat)
        return AmountEntry(unit, maximum)
