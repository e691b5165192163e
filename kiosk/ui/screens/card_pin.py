"""The PIN pad a card's service may ask for above its PIN limit (LUD-21): over the invoice, QR behind it."""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import StringProperty
from kivy.uix.modalview import ModalView

from kiosk.ui.admin_views import pin_dots
from kiosk.ui.widgets import add_number_keys

MAX_PIN_DIGITS = 8  # Bolt Card PINs are 4 digits; some services take more


class CardPinView(ModalView):
    """Its rule is in invoice.kv. `on_pin(pin)` gets the PIN typed; Back just closes it."""

    dots = StringProperty("")

    def __init__(self, on_pin: Callable[[str], None], **kwargs: object) -> None:
        super().__init__(auto_dismiss=False, **kwargs)
        self._on_pin = on_pin
        self.typed = ""
        add_number_keys(self.ids.grid, self.press)

    def press(self, key: str) -> None:
        typed = self.typed[:-1] if key == "back" else (self.typed + key)[:MAX_PIN_DIGITS]
        self.typed, self.dots = typed, pin_dots(typed)

    def pay(self) -> None:
        if self.typed:
            self.dismiss()
            self._on_pin(self.typed)
