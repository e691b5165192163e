"""`python -m kiosk charge --cash`, `refund` and `report`: the shop day from a terminal."""

from __future__ import annotations

import argparse
import json
import queue
import sys
import uuid
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from kiosk import wiring
from kiosk.cli_exits import EXIT_FAILED, EXIT_PAID, EXIT_USAGE
from kiosk.clock import now_ms, steady_ms
from kiosk.config import Config
from kiosk.domain.money import Fiat
from kiosk.domain.pricing import CannotPrice, Order
from kiosk.domain.sale import Sale, SaleState
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.receipt_money import amount_text
from kiosk.services.receipts import Line
from kiosk.services.refund_slip import how_refunded
from kiosk.services.shift_money import report_json
from kiosk.services.shifts import report_layout
from kiosk.storage.store import Storage

if TYPE_CHECKING:
    from kiosk.cli_charge import Output

RECEIPT_WAIT_S = 15.0
SLIP_WAIT_S = 30.0


def run_cash(args: argparse.Namespace, config: Config, order: Order, out: Output) -> int:
    """A cash sale: the change, the drawer, the receipt; the last JSON event is `paid` with tender cash."""
    try:
        tendered = Decimal(args.cash)
        Fiat(tendered, order.currency)  # finite, with the currency's decimals at most
        if tendered < 0:
            raise ValueError
        tendered = tendered.quantize(order.currency.quantum)
    except (InvalidOperation, ValueError, TypeError):
        print(_("error: --cash {cash!r} is not an amount of cash").format(cash=args.cash), file=sys.stderr)
        return EXIT_USAGE
    services = wiring.build(config)
    try:
        try:
            cash = order.cash()
        except CannotPrice as exc:
            out.final("failed", None, error=str(exc))
            return EXIT_FAILED
        events: queue.Queue[Sale] = queue.Queue()
        services.checkout.subscribe(events.put)
        services.checkout.recover()
        try:
            sale = services.checkout.take_cash(cash, args.memo or config.shop.name, tendered)
        except KioskError as exc:
            out.final("failed", None, error=str(exc))
            return EXIT_FAILED
        out.note(
            _("Sale #{sale_id}: {total} in cash, change {change}").format(
                sale_id=sale.id,
                total=amount_text(cash.fiat.amount if cash.fiat else Decimal(0), sale.currency),
                change=amount_text(sale.cash_change or Decimal(0), sale.currency),
            )
        )
        printed = _receipt(events, sale.id)
        out.final("paid", services.ledger.get(sale.id), receipt_printed=printed)
        return EXIT_PAID
    finally:
        services.close()


def _receipt(events: queue.Queue[Sale], sale_id: int) -> bool:
    """Whether the sale's receipt printed within RECEIPT_WAIT_S (else it waits in the queue)."""
    deadline = steady_ms() + RECEIPT_WAIT_S * 1000
    while (left := deadline - steady_ms()) > 0:
        try:
            sale = events.get(timeout=left / 1000)
        except queue.Empty:
            break
        if sale.id == sale_id and sale.state is SaleState.RECEIPT_PRINTED:
            return True
    return False


def run_refund(args: argparse.Namespace, config: Config) -> int:
    """Refund all or part of a paid sale; `--key` makes a retry the same refund."""
    try:
        amount = None if args.amount is None else Decimal(args.amount)
        if amount is not None and not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        print(_("error: --amount {amount!r} is not an amount").format(amount=args.amount), file=sys.stderr)
        return EXIT_USAGE
    key = args.key or f"cli-{uuid.uuid4().hex}"
    services = wiring.build(config)
    try:
        assert services.refunds is not None and services.refund_slip is not None
        try:
            sale = services.ledger.get(args.sale_id)
        except KeyError:
            raise KioskError(
                _("There is no sale #{sale_id}").format(sale_id=args.sale_id),
                _("Look it up with `python -m kiosk sales`"),
            ) from None
        refund = services.refunds.refund(sale.id, key, amount, args.cash)
        slip = services.refund_slip(refund)
        try:
            slip.result(timeout=SLIP_WAIT_S)
            printed = True
        except Exception as exc:  # the refund is done; the slip can be printed again
            print(_("warning: the refund slip did not print: {why}").format(why=exc), file=sys.stderr)
            printed = False
        left = services.refunds.left(services.ledger.get(sale.id))
    finally:
        services.close()
    record = {
        "event": "refund",
        "refund_id": refund.id,
        "sale_id": refund.sale_id,
        "key": refund.key,
        "amount": str(refund.amount),
        "currency": sale.currency,
        "amount_msat": refund.amount_msat,
        "tender": refund.tender.value,
        "mode": refund.mode.value,
        "state": refund.state.value,
        "voucher": refund.voucher,
        "left": str(left),
        "slip_printed": printed,
    }
    if args.json:
        print(json.dumps(record))
    else:
        print(
            _("Refund #{number} of sale #{sale_id}: {amount} ({how}), {left} left to refund").format(
                number=refund.id,
                sale_id=refund.sale_id,
                amount=amount_text(refund.amount, sale.currency),
                how=how_refunded(refund),
                left=amount_text(left, sale.currency),
            )
        )
        print(_("Key {key}: the same key again is the same refund").format(key=refund.key))
        if refund.voucher:
            print(refund.voucher)
    return 0


def run_report(args: argparse.Namespace, config: Config) -> int:
    """The open shift's Z-report so far, as JSON or as it prints."""
    storage = Storage.open(config.ledger.path)
    try:
        shifts = wiring.make_shifts(config, storage, now_ms)
        report = shifts.report(shifts.current())
    finally:
        storage.close()
    if args.json:
        print(json.dumps(report_json(report, config.shop.currency)))
        return 0
    for block in report_layout(report, 48):
        if isinstance(block, Line):
            print(block.text)
    return 0
