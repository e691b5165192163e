"""What the refund screens show, from a sale's detail and the refund made. Pure: no Kivy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kiosk.domain.refund import Refund, RefundMode
from kiosk.domain.takings import sale_total
from kiosk.domain.tender import Tender
from kiosk.services.admin import SaleDetail
from kiosk.services.qr import payment_uri
from kiosk.services.receipt_money import amount_text
from kiosk.ui import strings_refund

CASH = "cash"  # the cashier hands the money back from the drawer
OTHER = "other"  # the configured way: refunds.mode (a voucher, or handled elsewhere)


@dataclass(frozen=True)
class RefundOffer:
    """A paid sale with something left to refund, and the ways its money can go back."""

    sale_id: int
    code: str  # the sale's currency
    paid: Decimal
    left: Decimal
    ways: tuple[str, ...]  # CASH, and OTHER for a Lightning sale
    mode: RefundMode  # what OTHER is
    unfinished: Decimal | None = None  # a refund recorded but not paid out: the form retries it


def offer(detail: SaleDetail, mode: RefundMode) -> RefundOffer:
    sale, pending = detail.sale, detail.unfinished
    ways = (CASH,) if sale.tender is Tender.CASH else (OTHER, CASH)
    unfinished = pending.amount if pending is not None else None
    return RefundOffer(sale.id, sale.currency, sale_total(sale), detail.left, ways, mode, unfinished)


def way_name(way: str, mode: RefundMode) -> str:
    if way == CASH:
        return strings_refund.REFUND_CASH
    return strings_refund.REFUND_VOUCHER if mode is RefundMode.VOUCHER else strings_refund.REFUND_ELSEWHERE


def offer_lines(view: RefundOffer) -> tuple[str, str]:
    """What was paid and refunded so far; the cap."""
    refunded = amount_text(view.paid - view.left, view.code)
    paid = strings_refund.REFUND_PAID.format(paid=amount_text(view.paid, view.code), refunded=refunded)
    return paid, strings_refund.REFUND_CAP.format(left=amount_text(view.left, view.code))


def unfinished_text(view: RefundOffer) -> str:
    amount = amount_text(view.unfinished or 0, view.code)
    return strings_refund.REFUND_UNFINISHED.format(amount=amount)


def confirm_text(amount: Decimal, code: str) -> str:
    return strings_refund.REFUND_CONFIRM.format(amount=amount_text(amount, code)) if amount else ""


@dataclass(frozen=True)
class RefundDone:
    title: str
    headline: str
    what_now: str
    qr: str  # the voucher's QR payload, or ""


def done_view(refund: Refund, code: str) -> RefundDone:
    amount = amount_text(refund.amount, code)
    if refund.voucher:
        what_now = strings_refund.REFUND_SCAN
    elif refund.tender is Tender.CASH:
        what_now = strings_refund.REFUND_HAND_BACK.format(amount=amount)
    else:
        what_now = strings_refund.REFUND_ELSEWHERE_DONE
    return RefundDone(
        strings_refund.REFUND_DONE_TITLE.format(number=refund.id, sale_id=refund.sale_id),
        strings_refund.REFUND_DONE.format(amount=amount),
        what_now,
        payment_uri(refund.voucher) if refund.voucher else "",
    )
