"""The cart's Discount, for the controller: the panel, a manager's PIN above the limit, the cart with it.

Decided:
- A discount above `refunds.discount_limit_percent` of what it is taken off (a percentage as given,
  an amount as its share) needs a manager or the owner: one signed in on the till gives it at once;
  anyone else (a cashier, or anybody in a shop without staff) is asked for a manager's PIN on the
  refunds' approval pad, where the owner's admin PIN approves too.
- Each discount is checked on its own (a line's against the line, the order's against what the
  lines cost after their own discounts), and then with the others no manager approved, against the
  whole cart: 10% off a line and 10% off the order is 19% of the sale, more than a 10% limit.
- A discount a manager gives or approves is marked so; what others add later counts without it.
- An amount off outgrows a cart made smaller (−): once above the limit it goes, to be given (and
  approved) again; a percentage stays what it was, and the order's unapproved discount goes once the
  discounts together are above the limit.
- The approver is logged, not stored with the sale: the sale records the cashier and the discount.
PINs are checked on a worker through the bridge; a KioskError (no admin PIN set) is shown on the pad.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk.domain.cart import Cart, Product
from kiosk.domain.discount import Discount
from kiosk.errors import KioskError
from kiosk.services.admin_pin import PinCheck
from kiosk.services.staff import Role, StaffMember
from kiosk.ui import admin_views, cart_views, routing, strings_discount
from kiosk.ui.bridge import attempt

if TYPE_CHECKING:
    from kiosk.ui.controller import Controller

log = logging.getLogger(__name__)


class DiscountFlow:
    def __init__(self, controller: Controller) -> None:
        self._c = controller
        self._product: Product | None = None  # the line the panel is for (None: the whole order)
        self._pending: Discount | None = None  # waiting for a manager's PIN, marked approved
        self._over = cart_views.Over.NOT  # why it waits

    @property
    def limit(self) -> Decimal:
        return self._c.till.admin.config.refunds.discount_limit_percent

    def open(self, product: Product | None = None) -> None:
        """The panel for the order, or for `product`'s line, over the cart as it is."""
        self._product = product
        self._screen(routing.DISCOUNT).offer(self._catalog().cart, product, self.limit)
        self._c.show(routing.DISCOUNT)

    def after_removal(self, cart: Cart, product: Product) -> Cart:
        """One `product` fewer: an amount off that is now above the limit goes, unless a manager sells."""
        if self._manager_sells():
            return cart
        return cart_views.outgrown(cart, product, self._c.till.currency, self.limit)

    def apply(self, discount: Discount | None) -> None:
        """Apply tapped (None: Remove): at once, or once a manager approves."""
        if discount is not None and self._manager_sells():
            discount = replace(discount, approved=True)
        cart, unit = self._catalog().cart, self._c.till.currency
        over = cart_views.over_limit(cart, self._product, discount, unit, self.limit)
        if discount is None or over is cart_views.Over.NOT:
            return self._done(discount)
        self._pending, self._over = replace(discount, approved=True), over
        desk = self._c.till.refund_desk
        self._c.bridge.fetch(self._ask, desk.approvers if desk is not None else list)
        return None

    def _ask(self, approvers: list[StaffMember]) -> None:
        alone = self._over is cart_views.Over.ITSELF
        why = (strings_discount.APPROVE_WHY if alone else strings_discount.APPROVE_WHY_TOGETHER).format(
            limit=f"{self.limit.normalize():f}"
        )
        pad = self._screen(routing.ADMIN_APPROVE)
        pad.ask(self, strings_discount.APPROVE_TITLE, why, approvers, owner=True)
        self._c.show(routing.ADMIN_APPROVE)

    def approve(self, staff_id: int, pin: str) -> None:
        """A PIN typed on the approval pad: the owner's admin PIN, or a manager's own."""
        desk = self._c.till.refund_desk
        if staff_id == admin_views.OWNER or desk is None:
            self._c.bridge.fetch(self._approved, attempt, self._c.till.admin.pin.verify, pin)
        else:
            self._c.bridge.fetch(self._approved, attempt, desk.approve, staff_id, pin)

    def _approved(self, answer: object) -> None:
        pad = self._screen(routing.ADMIN_APPROVE)
        if isinstance(answer, KioskError):
            pad.refused(str(answer))
        elif isinstance(answer, PinCheck) and not answer.ok:
            pad.refused_check(answer)
        else:
            who = answer.name if isinstance(answer, StaffMember) else "the owner"
            log.info("discount %s approved by %s", self._pending, who)
            self._done(self._pending)

    def not_approved(self) -> None:
        """Back on the approval pad: the panel again, with the discount as typed."""
        self._c.show(routing.DISCOUNT)

    def _manager_sells(self) -> bool:
        member = self._c.signin.member
        return member is not None and member.may(Role.MANAGER)

    def _done(self, discount: Discount | None) -> None:
        self._pending = None
        self._catalog().set_discount(discount, self._product)
        self._c.show(routing.CATALOG)

    def _catalog(self) -> object:
        return self._c.screens.get_screen(routing.CATALOG)

    def _screen(self, name: str) -> object:
        return self._c.screens.get_screen(name)
