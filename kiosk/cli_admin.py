"""`python -m kiosk sales|doctor|set-pin`: the ledger, the health check and the admin PIN."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kiosk.cli_exits import EXIT_DOCTOR_FAILED, EXIT_USAGE
from kiosk.config import Config
from kiosk.domain.money import SATS, Fiat, currency, format_fiat, format_sats
from kiosk.domain.sale import Sale
from kiosk.errors import ConfigError

if TYPE_CHECKING:
    from kiosk.services.doctor import Check
    from kiosk.services.settlement_proof import Anomaly


def run_sales(args: argparse.Namespace, config: Config) -> int:
    from kiosk.storage.store import Storage

    storage = Storage.open(config.ledger.path)
    try:
        rows = storage.sales.sales(limit=args.limit)
    finally:
        storage.close()
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


def run_doctor(args: argparse.Namespace, config: Config) -> int:
    from kiosk.backends.lnbits_withdraw import make_voucher_issuer
    from kiosk.backends.registry import make_backend
    from kiosk.preflight import findings
    from kiosk.services.doctor import examine

    checks = examine(
        config,
        lambda: make_backend(config.node),
        lambda: _recorded_anomalies(config),
        findings(config),
        lambda: make_voucher_issuer(config.refunds),
    )
    return _report(checks, args.json)


def _recorded_anomalies(config: Config) -> list[Anomaly]:
    """What the ledger kept of payments called paid without proof (none before its first sale)."""
    from kiosk.storage.store import Storage

    if not config.ledger.path.is_file():
        return []
    storage = Storage.open(config.ledger.path)  # examine() has already found it is a ledger
    try:
        return storage.anomalies.recorded()
    finally:
        storage.close()


def run_doctor_on_broken_config(args: argparse.Namespace, error: ConfigError) -> int:
    """The doctor on a config that does not load: the same words `charge` says, as a failed check."""
    from kiosk.services.doctor import Check, Status

    return _report([Check("config", Status.FAIL, error.message, error.hint)], args.json)


def _report(checks: list[Check], as_json: bool) -> int:
    from kiosk.services.doctor import Status

    marks = {Status.OK: "ok  ", Status.NOTE: "note", Status.WARN: "WARN", Status.FAIL: "FAIL"}
    for c in checks:
        if as_json:
            print(
                json.dumps({"check": c.name, "status": c.status.value, "message": c.message, "hint": c.hint})
            )
            continue
        print(f"[{marks[c.status]}] {c.name}: {c.message}")
        if c.hint:
            print(f"       what to do: {c.hint}")
    failed = any(c.status is Status.FAIL for c in checks)
    return EXIT_DOCTOR_FAILED if failed else 0


def run_set_pin(args: argparse.Namespace, config: Config) -> int:
    """Asks twice without echo; the PIN is stored only as a salted scrypt hash in the ledger file."""
    from kiosk.clock import now_ms
    from kiosk.services.admin_pin import MAX_DIGITS, MIN_DIGITS, AdminPin, WeakPin
    from kiosk.storage.store import Storage

    pin = getpass.getpass(f"New admin PIN ({MIN_DIGITS} to {MAX_DIGITS} digits): ")
    if getpass.getpass("The same PIN again: ") != pin:
        print("error: the two PINs differ; nothing was changed", file=sys.stderr)
        return EXIT_USAGE
    storage = Storage.open(config.ledger.path)
    try:
        AdminPin(storage.pins, now_ms).set_pin(pin)
    except WeakPin as exc:
        print(f"error: {exc.message}; nothing was changed", file=sys.stderr)
        print(f"what to do: {exc.hint}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        storage.close()
    print(f"Admin PIN set in {config.ledger.path}. On the keypad, hold the shop name to open the admin area.")
    return 0
