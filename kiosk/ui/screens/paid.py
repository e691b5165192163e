"""Paid: the good news, the receipt's progress, and back to the keypad by itself."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty

from kiosk.domain.sale import Sale
from kiosk.ui import viewmodels
from kiosk.ui.screens.base import KioskScreen, kv_file

KV = kv_file(__file__)
AUTO_RETURN_S = 10


class PaidScreen(KioskScreen):
    headline = StringProperty("")
    second_line = StringProperty("")
    receipt = StringProperty("")
    seconds_left = NumericProperty(AUTO_RETURN_S)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self._countdown = Clock.schedule_interval(self._tick, 1)
        self._countdown.cancel()

    def show_sale(self, sale: Sale) -> None:
        self.headline, self.second_line = viewmodels.sale_amounts(sale)
        self.receipt = viewmodels.receipt_note(sale)

    def on_enter(self, *_: object) -> None:
        self.seconds_left = AUTO_RETURN_S
        self._countdown()

    def on_leave(self, *_: object) -> None:
        self._countdown.cancel()

    def _tick(self, _dt: float) -> None:
        self.seconds_left -= 1
        if self.seconds_left <= 0:
            self.controller.new_sale()
