"""What the admin screens share: a notice line for the outcome of what the merchant asked, and the
paper view that shows a printout (a shift report, a sale's receipt) as the printer prints it."""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.scrollview import ScrollView

from kiosk.ui.screens.base import KioskScreen, kv_file

KV = kv_file(__file__)


class AdminScreen(KioskScreen):
    notice = StringProperty("")  # markup: what happened, or what went wrong and what to do

    @property
    def admin(self) -> object:
        return self.controller.admin


class PaperView(ScrollView):
    """A printout's image (PNG bytes from the services' renderer), scrolled; scaled down only when
    wider than the view."""

    texture = ObjectProperty(None, allownone=True)

    def show(self, png: bytes | None) -> None:
        self.texture = None if png is None else CoreImage(io.BytesIO(png), ext="png").texture
        self.scroll_y = 1  # from the top: the shop's name first

    @staticmethod
    def paper_size(texture_size: tuple[int, int], room: float) -> tuple[float, float]:
        """The preview's size: the printed dots one to one, or scaled down to `room` when wider."""
        width, height = texture_size
        scale = min(1.0, max(room, 1) / width) if width else 1.0
        return width * scale, height * scale
