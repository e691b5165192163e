"""The setup page: what stops the kiosk at start-up (a config value, a credential or printer file,
the ledger), where it is, what to do, and Try again.

Full screen and on its own: there is no shop, no sale and no controller behind it yet.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui import viewmodels
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class SetupScreen(Screen):
    message = StringProperty("")
    where = StringProperty("")
    to_fix = StringProperty("")
    trying = BooleanProperty(False)  # Try again was tapped: the config is being read again

    def __init__(self, try_again: Callable[[], None], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._try_again = try_again

    def show_problem(self, view: viewmodels.SetupView) -> None:
        self.message, self.where, self.to_fix = view.message, "\n".join(view.where), view.to_fix
        self.trying = False

    def try_again(self) -> None:
        if not self.trying:
            self.trying = True
            self._try_again()
