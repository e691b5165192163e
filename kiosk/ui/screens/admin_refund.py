"""A sale's refund: the amount (capped at what is left, the cap shown) and how the money goes back."""

from __future__ import annotations

from decimal import Decimal

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import Currency, currency
from kiosk.services.receipt_money import amount_text
from kiosk.ui import refund_views, strings_refund, theme
from kiosk.ui.refund_views import RefundOffer
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file
from kiosk.ui.widgets import add_number_keys

KV = kv_file(__file__)


class AdminRefundScreen(AdminScreen):
    title = StringProperty("")
    paid = StringProperty("")
    cap = StringProperty("")
    amount = StringProperty("")
    confirm = StringProperty("")
    can_confirm = BooleanProperty(False)
    kept = BooleanProperty(False)  # the voucher failed: the recorded refund is retried as it was

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.keys = add_number_keys(self.ids.grid, self.press)
        self.view: RefundOffer | None = None
        self.entry: AmountEntry | None = None
        self.way = refund_views.OTHER
        self.ways: dict[str, object] = {}

    def show_offer(self, view: RefundOffer) -> None:
        self.view, self.kept, self.notice = view, False, ""
        self.entry = AmountEntry(currency(view.code), view.left)
        self.title = strings_refund.REFUND_TITLE.format(sale_id=view.sale_id)
        self.paid, self.cap = refund_views.offer_lines(view)
        self.ids.ways.clear_widgets()
        self.ways = {}
        for way in view.ways:
            button = Factory.ChoiceButton(text=refund_views.way_name(way, view.mode))
            button.bind(on_release=lambda _b, w=way: self.choose(w))
            self.ways[way] = button
            self.ids.ways.add_widget(button)
        self.choose(view.ways[0])
        if view.unfinished is not None:
            self.entry = typed(self.entry.currency, view.unfinished)
            self.refused(refund_views.unfinished_text(view), kept=True)

    def choose(self, way: str) -> None:
        if self.kept:
            return
        self.way = way
        for name, button in self.ways.items():
            button.fill = theme.ACCENT if name == way else theme.KEY
            button.color = theme.ON_ACCENT if name == way else theme.TEXT
        self.refresh()

    def press(self, key: str) -> None:
        if self.entry is not None and not self.kept:
            self.entry = self.entry.press(key)  # a key that would pass the cap is ignored
            self.refresh()

    def all_left(self) -> None:
        """Type in everything that is left."""
        if self.view is not None and self.entry is not None and not self.kept:
            self.entry = typed(self.entry.currency, self.view.left)
            self.refresh()

    def refresh(self) -> None:
        if self.view is None or self.entry is None:
            return
        value = self.entry.value
        self.amount = amount_text(value, self.view.code)
        confirm = refund_views.confirm_text(value, self.view.code)
        self.confirm = strings_refund.REFUND_AGAIN if self.kept else confirm
        self.can_confirm = value > 0

    def submit(self) -> None:
        if self.can_confirm and self.entry is not None:
            self.can_confirm = False  # one tap, one refund (and the form's key makes a second the same)
            self.notice = strings_refund.REFUND_WORKING
            self.admin.refunds.refund(self.entry.value, self.way == refund_views.CASH)

    def refused(self, message: str, kept: bool) -> None:
        """The refund did not go through; `kept`: it is recorded, and Try again finishes that one."""
        self.kept = kept
        hint = f"\n{strings_refund.REFUND_KEPT}" if kept else ""
        self.notice = f"[color=#F05252]{message}[/color]{hint}"
        self.refresh()


def typed(unit: Currency, amount: Decimal) -> AmountEntry:
    """An entry that holds `amount` as if typed, with `amount` as its cap."""
    return AmountEntry(unit, amount, str(int(amount.scaleb(unit.decimals))))
