"""Shown the moment Charge is tapped, while a worker asks the node for the invoice."""

from __future__ import annotations

from kiosk.domain.sale import Sale
from kiosk.ui import routing
from kiosk.ui.screens.base import KioskScreen, kv_file

KV = kv_file(__file__)


class CreatingScreen(KioskScreen):
    def show_sale(self, sale: Sale) -> None:
        """The invoice screen gets the sale's texts now, while the node makes the invoice."""
        if self.manager is not None:
            self.manager.get_screen(routing.INVOICE).prepare(sale)

    def on_enter(self, *_: object) -> None:
        self.ids.spinner.start()

    def on_leave(self, *_: object) -> None:
        self.ids.spinner.stop()
