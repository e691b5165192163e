"""What every screen shares: the controller it forwards taps to, and the header's words."""

from __future__ import annotations

from pathlib import Path

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.domain.sale import Sale
from kiosk.ui import strings


class KioskScreen(Screen):
    controller = ObjectProperty(None, allownone=True)
    shop_name = StringProperty("")
    badge = StringProperty("")

    def __init__(self, controller: object, **kwargs: object) -> None:
        # Given to Screen.__init__ so they are set before the .kv rules read them.
        super().__init__(
            controller=controller,
            shop_name=controller.services.config.shop.name,
            badge=strings.DEMO_BADGE if controller.is_demo else "",
            **kwargs,
        )

    def show_sale(self, sale: Sale) -> None:
        """Fill the screen from a sale; screens that show one override this."""


def kv_file(module_file: str) -> Path:
    return Path(module_file).with_suffix(".kv")
