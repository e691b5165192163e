"""Terminal front end: `python -m kiosk charge|sales`, on the same services as the touchscreen."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import sys

from kiosk import config as config_mod
from kiosk.cli_admin import run_doctor, run_doctor_on_broken_config, run_sales, run_set_pin
from kiosk.cli_charge import run_charge
from kiosk.cli_exits import EXIT_CODES_HELP, EXIT_USAGE
from kiosk.cli_fleet import add_parser as add_fleet_parser
from kiosk.cli_shop import run_refund, run_report
from kiosk.cli_staff import add_parser as add_staff_parser
from kiosk.errors import ConfigError, KioskError
from kiosk.preflight import verify


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = config_mod.load(config_mod.resolve_path(args.config))
        if getattr(args, "demo", False):
            config = dataclasses.replace(config, node=config_mod.NodeConfig(backend="demo"))
        verify(config, args.opens)  # the files this command opens, as the kiosk opens them
    except ConfigError as exc:
        return args.broken_config(args, exc) if args.broken_config else _refuse(exc)
    try:
        return args.run(args, config)
    except KioskError as exc:
        return _refuse(exc)


def _refuse(exc: KioskError) -> int:
    print(f"error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(f"what to do: {exc.hint}", file=sys.stderr)
    return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description=__doc__)
    parser.set_defaults(opens=None, broken_config=None)  # opens None: every file
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
    charge.add_argument(
        "--cash", metavar="TENDERED", help="a cash sale: what the customer handed over (shows the change)"
    )
    charge.add_argument(
        "--discount", metavar="OFF", help="off the amount: a percentage (10%%) or an amount (2.50)"
    )
    charge.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    charge.set_defaults(run=run_charge)

    sales = commands.add_parser("sales", help="list the ledger's sales, newest first")
    sales.add_argument("--json", action="store_true", help="one JSON object per sale")
    sales.add_argument("--limit", type=_positive_int, default=50)
    sales.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    sales.set_defaults(run=run_sales, opens=("ledger",))

    refund = commands.add_parser("refund", help="refund all or part of a paid sale (never more than it took)")
    refund.add_argument("sale_id", type=_positive_int, metavar="SALE_ID")
    refund.add_argument("--amount", help="how much, in the sale's currency (default: all that is left)")
    refund.add_argument("--cash", action="store_true", help="cash back from the drawer")
    refund.add_argument(
        "--key", help="the refund's key: the same key again is the same refund, never a second"
    )
    refund.add_argument("--json", action="store_true", help="one JSON object on stdout")
    refund.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    refund.set_defaults(run=run_refund)

    report = commands.add_parser("report", help="the open shift's Z-report so far")
    report.add_argument("--json", action="store_true", help="the report's sums as one JSON object")
    report.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    report.set_defaults(run=run_report, opens=("ledger",))

    doctor = commands.add_parser(
        "doctor", help="check config, node, TLS, credential, network, sync, liquidity and privileges"
    )
    doctor.add_argument("--json", action="store_true", help="one JSON object per check")
    doctor.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    doctor.set_defaults(run=run_doctor, opens=(), broken_config=run_doctor_on_broken_config)

    set_pin = commands.add_parser(
        "set-pin",
        help="choose the admin PIN of the touchscreen (also resets a forgotten one and its lockout)",
    )
    set_pin.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    set_pin.set_defaults(run=run_set_pin, opens=("ledger",))
    add_fleet_parser(commands)
    add_staff_parser(commands)
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
