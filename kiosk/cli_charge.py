"""`python -m kiosk charge`: one sale from the terminal, on the same services as the touchscreen."""

from __future__ import annotations

import argparse
import contextlib
import json
import queue
import signal
import sys
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TextIO

from kiosk import wiring
from kiosk.cli_exits import EXIT_CANCELLED, EXIT_EXPIRED, EXIT_FAILED, EXIT_PAID, EXIT_USAGE
from kiosk.cli_shop import run_cash
from kiosk.config import Config
from kiosk.domain.discount import Discount, amount, percent
from kiosk.domain.money import Currency, Fiat, UnknownCurrency, currency, format_fiat, format_sats
from kiosk.domain.pricing import CannotPrice, Order
from kiosk.domain.sale import Sale, SaleState
from kiosk.i18n import _
from kiosk.services.qr import payment_uri, terminal_qr

RECEIPT_WAIT_S = 15.0
INVOICE_DESCRIPTION_BYTES = 639  # BOLT11: the description's 10-bit length field, in bytes


def run_charge(args: argparse.Namespace, config: Config) -> int:
    try:
        cur = currency(args.currency) if args.currency else currency(config.shop.currency)
        value = Decimal(args.amount)
        if not value.is_finite():
            raise InvalidOperation
        if value <= 0:
            raise ValueError("above zero")
        if cur.is_sats and value != value.to_integral_value():
            raise ValueError("in whole sats")
        if not cur.is_sats:
            Fiat(value, cur)  # refuses more decimals than the currency has
    except (InvalidOperation, ValueError, UnknownCurrency) as exc:
        detail = str(exc) if isinstance(exc, UnknownCurrency | ValueError) and str(exc) else ""
        print(f"error: {args.amount!r} is not an amount {detail}".rstrip(), file=sys.stderr)
        return EXIT_USAGE

    try:
        memo_bytes = len(args.memo.encode("utf-8"))
    except UnicodeEncodeError:  # bytes the terminal could not decode
        print(_("error: --memo is not text in UTF-8"), file=sys.stderr)
        return EXIT_USAGE
    if memo_bytes > INVOICE_DESCRIPTION_BYTES:
        print(
            _("error: --memo is {size} bytes; an invoice description holds at most {limit}").format(
                size=memo_bytes, limit=INVOICE_DESCRIPTION_BYTES
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE

    try:
        off = parse_discount(args.discount, cur) if args.discount else None
    except ValueError:
        print(
            _("error: --discount {discount!r} is not a percentage (10%) or an amount (2.50)").format(
                discount=args.discount
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    order = Order(value, cur, tax=config.tax.policy, tax_rate=config.tax.rate, discount=off)
    out = Output(sys.stdout, args.json)
    # Libraries may print (python-escpos does); in JSON mode stdout carries only our JSON lines.
    with contextlib.redirect_stdout(sys.stderr if args.json else sys.stdout):
        if args.cash is not None:
            return run_cash(args, config, order, out)
        return _run_charge(args, config, order, out)


def parse_discount(text: str, cur: Currency) -> Discount:
    """'10%' off, or an amount off in `cur` ('2.50'); ValueError for anything else."""
    try:
        value = Decimal(text.removesuffix("%"))
        if text.endswith("%"):
            return percent(value)
        if not value.is_finite() or value != value.quantize(cur.quantum):
            raise ValueError("more decimals than the currency has")
        return amount(value)
    except InvalidOperation as exc:
        raise ValueError(text) from exc


def _run_charge(args: argparse.Namespace, config: Config, order: Order, out: Output) -> int:
    services = wiring.build(config, demo_pay_after_s=args.demo_pay_after)
    cur = order.currency
    try:
        try:
            q = order.priced(None if cur.is_sats else services.rates.current(), config.payment.max_sats)
        except CannotPrice as exc:
            out.final("failed", None, error=str(exc))
            return EXIT_FAILED
        events: queue.Queue[Sale] = queue.Queue()
        services.checkout.subscribe(events.put)
        services.checkout.recover()
        sale = services.checkout.charge(q, args.memo, args.expiry)
        if sale.state is SaleState.FAILED:
            out.final("failed", sale, error=sale.error)
            return EXIT_FAILED
        return _wait(services, sale, q.fiat, events, out)
    finally:
        services.close()


def _wait(
    services: wiring.Services, sale: Sale, fiat: Fiat | None, events: queue.Queue[Sale], out: Output
) -> int:
    """Show the invoice, then follow the sale; Ctrl-C from the moment the invoice shows cancels it."""
    sale_id = sale.id
    cancelled = False

    def on_sigint(_sig: int, _frame: object) -> None:
        nonlocal cancelled
        cancelled = True

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        out.invoice(sale, fiat)
        paid: Sale | None = None
        waited_for_receipt = 0.0
        while True:
            if cancelled:
                cancelled = False
                services.checkout.cancel(sale_id)
            try:
                sale = events.get(timeout=0.2)
            except queue.Empty:
                if paid is not None:
                    waited_for_receipt += 0.2
                    if waited_for_receipt >= RECEIPT_WAIT_S:
                        out.final("paid", paid, receipt_printed=False)
                        return EXIT_PAID
                continue
            if sale.id != sale_id:
                out.note(f"sale #{sale.id} (an earlier one) is now {sale.state}")
                continue
            match sale.state:
                case SaleState.PAID | SaleState.PAID_LATE:
                    paid = sale
                    out.note(f"PAID {format_sats(sale.amount_received_msat or 0)}; printing receipt…")
                case SaleState.RECEIPT_PRINTED:
                    out.final("paid", sale, receipt_printed=True)
                    return EXIT_PAID
                case SaleState.EXPIRED:
                    out.final("expired", sale)
                    return EXIT_EXPIRED
                case SaleState.CANCELLED:
                    out.final("cancelled", sale)
                    return EXIT_CANCELLED
    finally:
        signal.signal(signal.SIGINT, previous)


class Output:
    """Human text, or JSON lines, on stdout; notes go to stderr in JSON mode."""

    def __init__(self, stream: TextIO, as_json: bool) -> None:
        self.stream = stream
        self.as_json = as_json

    def _emit(self, obj: dict) -> None:
        print(json.dumps(obj), file=self.stream, flush=True)

    def note(self, text: str) -> None:
        print(text, file=sys.stderr if self.as_json else self.stream, flush=True)

    def invoice(self, sale: Sale, fiat: Fiat | None) -> None:
        assert sale.invoice is not None and sale.deadline_ms is not None
        if self.as_json:
            self._emit(
                {
                    "event": "invoice",
                    "sale_id": sale.id,
                    "payment_hash": sale.invoice.payment_hash,
                    "bolt11": sale.invoice.bolt11,
                    "amount_msat": sale.amount_msat,
                    "expires_at": sale.deadline_ms // 1000,
                }
            )
            return
        amount = format_sats(sale.amount_msat)
        if fiat is not None:
            amount = f"{format_fiat(fiat)} = {amount}"
        deadline = datetime.fromtimestamp(sale.deadline_ms / 1000, UTC).astimezone()
        self.note(terminal_qr(payment_uri(sale.invoice.bolt11)))
        self.note(f"Sale #{sale.id}: {amount}")
        self.note(sale.invoice.bolt11)
        self.note(f"Pay before {deadline:%H:%M:%S}. Ctrl-C cancels.")

    def final(self, event: str, sale: Sale | None, **extra: object) -> None:
        if self.as_json:
            record: dict[str, object] = {"event": event, "sale_id": sale.id if sale else None}
            if sale is not None and event == "paid":
                record |= {
                    "payment_hash": sale.payment_hash,
                    "amount_msat": sale.amount_msat,
                    "amount_received_msat": sale.amount_received_msat,
                    "preimage": sale.preimage,
                    "paid_late": sale.settled_late,
                    "tender": sale.tender.value,
                }
                if sale.cash_change is not None:
                    record |= {
                        "amount": str(sale.fiat_amount),
                        "currency": sale.currency,
                        "tendered": str(sale.cash_tendered),
                        "change": str(sale.cash_change),
                    }
            self._emit(record | extra)
            return
        match event:
            case "paid":
                receipt = "receipt printed" if extra.get("receipt_printed") else "receipt NOT printed yet"
                self.note(f"PAID: sale #{sale.id if sale else '?'}, {receipt}")
            case "failed":
                self.note(f"FAILED: {extra.get('error') or 'unknown error'}")
            case _:
                self.note(f"{event.upper()}: sale #{sale.id if sale else '?'}")
