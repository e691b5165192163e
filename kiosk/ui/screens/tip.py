"""The tip step: the customer picks a preset, no tip, or types an amount."""

from __future__ import annotations

from decimal import Decimal

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.domain.pricing import Order
from kiosk.domain.tips import parse_presets
from kiosk.ui import routing, strings, viewmodels
from kiosk.ui.screens.base import KioskScreen, kv_file

KV = kv_file(__file__)


class TipButton(ButtonBehavior, BoxLayout):
    """A big choice: the percentage over what it adds."""

    label = StringProperty("")
    detail = StringProperty("")


class TipScreen(KioskScreen):
    amount = StringProperty("")
    custom = BooleanProperty(True)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        tips = controller.till.tips
        self._presets = parse_presets(tips.presets)
        self.custom = tips.custom
        self.order: Order | None = None
        self.choices: list[TipButton] = []

    def offer(self, order: Order) -> None:
        """Show the choices for this order."""
        self.order = order
        shown = viewmodels.amount_text(order.discounted, order.currency)
        self.amount = strings.TIP_AMOUNT.format(amount=shown)
        grid = self.ids.choices
        grid.clear_widgets()
        self.choices = []
        for choice in viewmodels.tip_choices(order, self._presets):
            button = TipButton(label=choice.label, detail=choice.detail)
            button.bind(on_release=lambda _b, tip=choice.tip: self.choose(tip))
            self.choices.append(button)
            grid.add_widget(button)

    def choose(self, tip: Decimal) -> None:
        if self.order is not None:
            self.controller.charge_order(self.order, tip)

    def other_amount(self) -> None:
        if self.order is not None:
            self.controller.screens.get_screen(routing.TIP_AMOUNT).offer(self.order)
            self.controller.show(routing.TIP_AMOUNT)

    def back(self) -> None:
        self.controller.back_to_keypad()
