"""The keypad: the cashier types the amount and taps Charge."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import Currency
from kiosk.ui import strings, theme, viewmodels
from kiosk.ui.screens.base import KioskScreen, kv_file
from kiosk.ui.widgets import FlatButton

KV = kv_file(__file__)
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "0", "back")


class KeypadScreen(KioskScreen):
    amount = StringProperty("")
    equivalent = StringProperty("")
    rate_note = StringProperty("")
    problem = StringProperty("")
    can_charge = BooleanProperty(False)
    in_sats = BooleanProperty(False)
    shop_code = StringProperty("")
    can_reprint = BooleanProperty(False)  # a paid sale exists, so "Reprint last" has a receipt to print

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        services = controller.services
        self._shop_currency: Currency = services.currency
        self._payment = services.config.payment
        self._rates = services.rates
        self.shop_code = self._shop_currency.code
        self.keys: dict[str, FlatButton] = {}
        for key in KEYS:
            button = Factory.KeyButton(text=strings.BACKSPACE if key == "back" else key)
            if key == "back":
                button.font_name = theme.FONT_SYMBOLS
            button.bind(on_release=lambda _b, k=key: self.press(k))
            self.keys[key] = button
            self.ids.grid.add_widget(button)
        self.entry = self._new_entry(self._shop_currency)

    def on_pre_enter(self, *_: object) -> None:
        self.refresh()

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
        if view.quote is not None:
            self.controller.charge(view.quote)

    def refresh(self) -> None:
        view = self._view()
        self.amount = view.amount
        self.equivalent = view.equivalent
        self.rate_note = view.rate_note
        self.problem = view.problem
        self.can_charge = view.can_charge
        self.in_sats = self.entry.currency.is_sats

    def _view(self) -> viewmodels.KeypadView:
        return viewmodels.keypad_view(self.entry, self._rates.current(), self._payment.max_sats)

    def _new_entry(self, unit: Currency) -> AmountEntry:
        maximum = viewmodels.entry_maximum(unit, self._payment.max_sats, self._payment.max_fiat)
        return AmountEntry(unit, maximum)
