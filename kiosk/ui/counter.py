"""The controller's shop-day taps: Charge and Cash, Try again, Recent (a mixin of `Controller`)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk import i18n
from kiosk.domain.cart import memo_for
from kiosk.domain.pricing import CannotPrice, Order, Quote
from kiosk.services.recent import RECENT_LIMIT
from kiosk.ui import routing, viewmodels

if TYPE_CHECKING:
    from kiosk.ui.controller import Controller


class Counter:
    _last_order: tuple[Order, Decimal] | None  # what Try again charges again; set by charge_order

    def ring_up(self: Controller, order: Order) -> None:
        """Charge tapped on the keypad or the cart: first the tip step, if the shop asks.

        The screen it was tapped on becomes home: Back and the next sale return there. In a shop
        with staff, nobody signed in is asked to sign in first (kiosk.ui.signin).
        """
        self.home = self.screens.current
        if self.signin.asks_first():
            return
        if self.tips_enabled:
            self.screens.get_screen(routing.TIP).offer(order)
            self.show(routing.TIP)
        else:
            self.charge_order(order, Decimal(0))

    def ring_up_cash(self: Controller, order: Order) -> None:
        """Cash tapped beside Charge: the cash screen, for what the customer hands over."""
        self.home = self.screens.current
        if self.signin.asks_first():
            return
        try:
            quote = order.cash()
        except CannotPrice as exc:
            return self._show_notice(viewmodels.cannot_price_notice(exc))
        memo = memo_for(self.till.shop_name, order.items, separator=i18n.list_separator())
        self.screens.get_screen(routing.CASH).offer(quote, memo)
        self.show(routing.CASH)

    def pay_cash(self: Controller, quote: Quote, memo: str, tendered: Decimal) -> None:
        """Record the cash sale on a worker; its PAID shows the Paid screen, the drawer opens."""
        self.followed = None
        self._awaiting_new_sale = True
        self.bridge.run(self.till.sales.take_cash, quote, memo, tendered)

    def try_again(self: Controller) -> None:
        """A new invoice for the same amount or cart (after an expiry, a cancel or an error)."""
        self.charge_order(*self._last_order) if self._last_order else self.back_to_keypad()

    def show_recent(self: Controller) -> None:
        """The Recent list (no PIN): the newest sales, read on a worker."""
        self.show(routing.RECENT)
        screen = self.screens.get_screen(routing.RECENT)
        self.bridge.fetch(screen.show_sales, self.till.recent_sales, RECENT_LIMIT)

    def look_up(self: Controller, sale_id: int) -> None:
        """Ask the node about one sale now, on a worker; the answer fills the detail."""
        screen = self.screens.get_screen(routing.RECENT)
        self.bridge.fetch(screen.show_now, self.till.look_up, sale_id)
