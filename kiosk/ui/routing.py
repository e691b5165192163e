"""Which screen a sale update leads to. Pure: the controller applies the answer."""

from __future__ import annotations

from kiosk.domain.sale import Sale, SaleState

KEYPAD = "keypad"
CATALOG = "catalog"
TIP = "tip"
TIP_AMOUNT = "tip_amount"
CASH = "cash"
DISCOUNT = "discount"  # the cart's discount panel
RECENT = "recent"
CREATING = "creating"
INVOICE = "invoice"
PAID = "paid"
PAID_LATE = "paid_late"
EXPIRED = "expired"
CANCELLED = "cancelled"
ERROR = "error"
SIGN_IN = "sign_in"  # cashiers, in a shop with staff
ADMIN_PIN = "admin_pin"
ADMIN_MENU = "admin_menu"
ADMIN_HISTORY = "admin_history"
ADMIN_SALE = "admin_sale"
ADMIN_RECEIPT = "admin_receipt"  # a sale's receipt as it prints
ADMIN_REFUND = "admin_refund"  # a sale's refund: how much and how
ADMIN_REFUND_DONE = "admin_refund_done"  # the refund made: its voucher QR, its slip
ADMIN_APPROVE = "admin_approve"  # a manager's PIN, when whoever is in may not refund
ADMIN_REPORT = "admin_report"
ADMIN_NODE = "admin_node"
ADMIN_SETTINGS = "admin_settings"
SETUP = "setup"  # a config, credential or printer problem at start-up

_FOLLOWED: dict[SaleState, str] = {
    SaleState.CREATING_INVOICE: CREATING,
    SaleState.AWAITING_PAYMENT: INVOICE,
    SaleState.PAID: PAID,
    SaleState.RECEIPT_PRINTED: PAID,
    SaleState.EXPIRED: EXPIRED,
    SaleState.CANCELLED: CANCELLED,
    SaleState.FAILED: ERROR,
}


def screen_for(sale: Sale, followed_id: int | None, alarm_id: int | None) -> str | None:
    """The screen to show for this update, or None to leave the screen as it is.

    A late payment raises the alarm whichever sale it belongs to; its receipt
    only updates the alarm still on screen (`alarm_id`), never raises it again.
    Every other update matters only for the sale the cashier is working on.
    """
    if sale.state is SaleState.PAID_LATE:
        return PAID_LATE
    if sale.settled_late:
        return PAID_LATE if sale.id == alarm_id else None
    if sale.id != followed_id:
        return None
    return _FOLLOWED.get(sale.state)
