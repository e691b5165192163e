"""Shown the moment Charge is tapped, while a worker asks the node for the invoice."""

from __future__ import annotations

from kiosk.ui.screens.base import KioskScreen, kv_file

KV = kv_file(__file__)


class CreatingScreen(KioskScreen):
    def on_enter(self, *_: object) -> None:
        self.ids.spinner.start()

    def on_leave(self, *_: object) -> None:
        self.ids.spinner.stop()
