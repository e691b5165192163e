"""What the admin screens share: a notice line for the outcome of what the merchant asked."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.ui.screens.base import KioskScreen, kv_file

KV = kv_file(__file__)


class AdminScreen(KioskScreen):
    notice = StringProperty("")  # markup: what happened, or what went wrong and what to do

    @property
    def admin(self) -> object:
        return self.controller.admin
