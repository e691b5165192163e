"""Terminal front end: `python -m kiosk charge|sales`, on the same services as the touchscreen."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import getpass
import json
import logging
import queue
import signal
import sys
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TextIO

from kiosk import config as config_mod
from kiosk import wiring
from kiosk.domain.money import SATS, Currency, Fiat, UnknownCurrency, currency, format_fiat, format_sats
from kiosk.domain.pricing import CannotPrice, quote
from kiosk.domain.sale import Sale, SaleState
from kiosk.errors import KioskError
from kiosk.services.qr import payment_uri, terminal_qr

EXIT_PAID = 0
EXIT_USAGE = 2  # bad arguments or config (argparse uses 2 as well)
EXIT_EXPIRED = 3
EXIT_CANCELLED = 4
EXIT_FAILED = 5
EXIT_DOCTOR_FAILED = 1

EXIT_CODES_HELP = """exit codes:
  0  paid (the receipt was printed, or is waiting for the printer)
  2  bad arguments or config
  3  expired: the customer did not pay in time
  4  cancelled (Ctrl-C): a payment that still arrives is recorded as paid-late
  5  failed: no invoice could be made; the message says why and what to do
"""

RECEIPT_WAIT_S = 15.0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = config_mod.load(config_mod.resolve_path(args.config))
        if getattr(args, "demo", False):
            config = dataclasses.replace(config, node=config_mod.NodeConfig(backend="demo"))
        return args.run(args, config)
    except KioskError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"what to do: {exc.hint}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    charge = commands.add_parser(
        "charge",
        help="charge an amount and wait for the payment",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    charge.add_argument("amount", help="e.g. 4.50 (in the shop currency) or 2100 with --currency SAT")
    charge.add_argument("--currency", help="currency code, or SAT for sats (default: the shop's)")
    charge.add_argument("--memo", default="", help="text on the invoice and the receipt")
    charge.add_argument("--expiry", type=_positive_int, help="seconds the customer has to pay")
    charge.add_argument("--demo", action="store_true", help="use the built-in demo node")
    charge.add_argument("--demo-pay-after", type=_seconds, metavar="S", help="demo customer pays after S s")
    charge.add_argument("--json", action="store_true", help="one JSON object per line on stdout")
    charge.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    charge.set_defaults(run=_charge)

    sales = commands.add_parser("sales", help="list the ledger's sales, newest first")
    sales.add_argument("--json", action="store_true", help="one JSON object per sale")
    sales.add_argument("--limit", type=_positive_int, default=50)
    sales.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    sales.set_defaults(run=_sales)

    doctor = commands.add_parser(
        "doctor", help="check config, node, TLS, credential, network, sync, liquidity and privileges"
    )
    doctor.add_argument("--json", action="store_true", help="one JSON object per check")
    doctor.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    doctor.set_defaults(run=_doctor)

    set_pin = commands.add_parser(
        "set-pin",
        help="choose the admin PIN of the touchscreen (also resets a forgotten one and its lockout)",
    )
    set_pin.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    set_pin.set_defaults(run=_set_pin)
    return parser


def _positive_int(text: str) -> int:
    """An argparse type: a whole number above zero (argparse exits 2 with the message otherwise)."""
    with contextlib.suppress(ValueError):
        if (value := int(text)) > 0:
            return value
    raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above zero")


def _seconds(text: str) -> float:
    """An argparse type: a finite number of seconds, zero or more."""
    with contextlib.suppress(ValueError):
        if 0 <= (value := float(text)) < float("inf"):
            return value
    raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")


def _charge(args: argparse.Namespace, config: config_mod.Config) -> int:
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

    out = _Output(sys.stdout, args.json)
    # Libraries may print (python-escpos does); in JSON mode stdout carries only our JSON lines.
    with contextlib.redirect_stdout(sys.stderr if args.json else sys.stdout):
        return _run_charge(args, config, value, cur, out)


def _run_charge(
    args: argparse.Namespace, config: config_mod.Config, value: Decimal, cur: Currency, out: _Output
) -> int:
    services = wiring.build(config, demo_pay_after_s=args.demo_pay_after)
    try:
        try:
            q = quote(value, cur, None if cur.is_sats else services.rates.current(), config.payment.max_sats)
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
        out.invoice(sale, q.fiat)
        return _wait(services, sale.id, events, out)
    finally:
        services.close()


def _wait(services: wiring.Services, sale_id: int, events: queue.Queue[Sale], out: _Output) -> int:
    cancelled = False

    def on_sigint(_sig: int, _frame: object) -> None:
        nonlocal cancelled
        cancelled = True

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
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


class _Output:
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


def _sales(args: argparse.Namespace, config: config_mod.Config) -> int:
    from kiosk.services.ledger import Ledger

    ledger = Ledger(config.ledger.path)
    try:
        rows = ledger.sales(limit=args.limit)
    finally:
        ledger.close()
    if args.json:
        for s in rows:
            print(json.dumps(_sale_record(s)))
        return 0
    if not rows:
        print(f"No sales yet in {config.ledger.path}")
        return 0
    print(f"{'#':>5}  {'time':16}  {'state':16}  {'sats':>12}  {'fiat':>12}  memo")
    for s in rows:
        when = datetime.fromtimestamp(s.created_at_ms / 1000, UTC).astimezone()
        fiat = format_fiat(Fiat(s.fiat_amount, currency(s.currency))) if s.fiat_amount is not None else ""
        sats = format_sats(s.amount_msat).removesuffix(" sats").removesuffix(" sat")
        print(f"{s.id:>5}  {when:%Y-%m-%d %H:%M}  {s.state.value:16}  {sats:>12}  {fiat:>12}  {s.memo}")
    return 0


def _sale_record(s: Sale) -> dict[str, object]:
    return {
        "sale_id": s.id,
        "state": s.state.value,
        "created_at": s.created_at_ms // 1000,
        "amount_msat": s.amount_msat,
        "currency": s.currency if s.fiat_amount is not None else SATS.code,
        "fiat_amount": None if s.fiat_amount is None else str(s.fiat_amount),
        "rate": None if s.rate is None else str(s.rate),
        "rate_source": s.rate_source,
        "memo": s.memo,
        "payment_hash": s.payment_hash,
        "amount_received_msat": s.amount_received_msat,
        "paid_at": None if s.paid_at_ms is None else s.paid_at_ms // 1000,
        "paid_late": s.settled_late,
        "error": s.error,
    }


def _doctor(args: argparse.Namespace, config: config_mod.Config) -> int:
    from kiosk.backends.registry import make_backend
    from kiosk.services.doctor import Status, examine

    checks = examine(config, lambda: make_backend(config.node))
    marks = {Status.OK: "ok  ", Status.WARN: "WARN", Status.FAIL: "FAIL"}
    for c in checks:
        if args.json:
            print(
                json.dumps({"check": c.name, "status": c.status.value, "message": c.message, "hint": c.hint})
            )
            continue
        print(f"[{marks[c.status]}] {c.name}: {c.message}")
        if c.hint:
            print(f"       what to do: {c.hint}")
    failed = any(c.status is Status.FAIL for c in checks)
    return EXIT_DOCTOR_FAILED if failed else 0


def _set_pin(args: argparse.Namespace, config: config_mod.Config) -> int:
    """Asks twice without echo; the PIN is stored only as a salted scrypt hash in the ledger file."""
    from kiosk.services.admin_pin import MAX_DIGITS, MIN_DIGITS, AdminPin, WeakPin
    from kiosk.services.checkout import now_ms

    pin = getpass.getpass(f"New admin PIN ({MIN_DIGITS} to {MAX_DIGITS} digits): ")
    if getpass.getpass("The same PIN again: ") != pin:
        print("error: the two PINs differ; nothing was changed", file=sys.stderr)
        return EXIT_USAGE
    pins = AdminPin(config.ledger.path, now_ms)
    try:
        pins.set_pin(pin)
    except WeakPin as exc:
        print(f"error: {exc.message}; nothing was changed", file=sys.stderr)
        print(f"what to do: {exc.hint}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        pins.close()
    print(f"Admin PIN set in {config.ledger.path}. On the keypad, hold the shop name to open the admin area.")
    return 0
