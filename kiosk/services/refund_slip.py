"""The refund slip: what was refunded, how, and the voucher's QR when there is one."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kiosk.config import ShopConfig
from kiosk.domain.refund import Refund, RefundMode
from kiosk.domain.tender import Tender
from kiosk.i18n import _
from kiosk.services.ledger import Ledger
from kiosk.services.print_queue import PrintQueue
from kiosk.services.printer_port import PrinterHealth
from kiosk.services.receipt_money import amount_text
from kiosk.services.receipts import Block, Line, Qr, Style, centred_lines, pair_lines, utc_offset


def how_refunded(refund: Refund) -> str:
    if refund.tender is Tender.CASH:
        return _("Cash back")
    if refund.mode is RefundMode.VOUCHER:
        return _("Lightning voucher")
    return _("Handled elsewhere")


def refund_slip(refund: Refund, code: str, shop: ShopConfig, columns: int) -> list[Block]:
    when = datetime.fromtimestamp(refund.created_at_ms / 1000, UTC).astimezone(ZoneInfo(shop.timezone))
    rule = Line("-" * columns)
    blocks: list[Block] = [*centred_lines(shop.name, columns, Style.BIG), rule]
    blocks += centred_lines(_("REFUND"), columns, Style.BIG)
    stamp = f"{when:%Y-%m-%d %H:%M} {utc_offset(when)}"  # as on the receipts: an offset, not "CST"
    blocks += pair_lines(_("Refund #{number}").format(number=refund.id), stamp, columns)
    blocks += pair_lines(_("For sale #{sale_id}").format(sale_id=refund.sale_id), "", columns)
    blocks += [rule, *pair_lines(_("Refunded"), amount_text(refund.amount, code), columns, Style.BIG)]
    blocks += pair_lines(_("How"), how_refunded(refund), columns)
    if refund.voucher:
        blocks += [
            Qr(refund.voucher.upper()),
            *centred_lines(_("Scan with a Lightning wallet to claim"), columns),
        ]
    return blocks


SlipPrinter = Callable[[Refund], "Future[PrinterHealth]"]


def slip_printer(
    queue: PrintQueue, ledger: Ledger, shop: ShopConfig, columns: int, cash_drawer: bool
) -> SlipPrinter:
    """What follows a done refund: cash back opens the drawer, and the slip prints (the future says how)."""

    def done(refund: Refund) -> Future[PrinterHealth]:
        if refund.tender is Tender.CASH and cash_drawer:
            queue.kick_drawer()
        code = ledger.get(refund.sale_id).currency
        return queue.print_document(refund_slip(refund, code, shop, columns), f"refund-{refund.id:05d}")

    return done
