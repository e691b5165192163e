"""Paid: the good news, the receipt's progress, and back to the keypad by itself."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty

from kiosk.ui.screens.base import PaidSaleScreen, kv_file

KV = kv_file(__file__)
AUTO_RETURN_S = 10


class PaidScreen(PaidSaleScreen):
    seconds_left = NumericProperty(AUTO_RETURN_S)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self._countdown = Clock.schedule_interval(self._tick, 1)
        self._countdown.cancel()

    def reprint(self) -> None:
        if self.sale is not None:
            self.seconds_left = AUTO_RETURN_S  # the cashier is busy here: do not leave under their finger
            self.controller.reprint(self.sale.id)

    def on_enter(self, *_: object) -> None:
        self.seconds_left = AUTO_RETURN_S
        self._countdown()

    def on_leave(self, *_: object) -> None:
        self._countdown.cancel()

    def _tick(self, _dt: float) -> None:
        self.seconds_left -= 1
        if self.seconds_left <= 0:
            self.controller.new_sale()
