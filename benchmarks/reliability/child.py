"""The kiosk's real services in a process of their own, for the harness to kill.

    python -m benchmarks.reliability.child CONFIG

Builds the services with `wiring.build` from a real config file, runs
`Checkout.recover()` as the app does at start-up, then takes JSON commands on
stdin ({"cmd": "charge", "sats": N, "expiry": S}, {"cmd": "cancel", "id": N} or
{"cmd": "refund", "sale": N, "key": K, "amount": "A" or null, "cash": bool})
and reports on stdout, one JSON object a line: "ready" (with what recovery
found), "sale" after each committed state change, "printed" after each job,
"printer" with the print queue's status for the cashier, "refund" once a refund
is done, "error" when a
command failed as the screen would hear of it.
Closing stdin closes the services cleanly; SIGKILL is the power cut.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from concurrent.futures import Future
from decimal import Decimal
from pathlib import Path

from kiosk import preflight
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale
from kiosk.services.print_jobs import PrintJob
from kiosk.services.printer_status import PrinterStatus
from kiosk.wiring import Services, build

_out = threading.Lock()


def emit(event: str, **data: object) -> None:
    with _out:
        sys.stdout.write(json.dumps({"event": event, **data}) + "\n")
        sys.stdout.flush()


def on_sale(sale: Sale) -> None:
    emit(
        "sale",
        id=sale.id,
        state=sale.state.value,
        bolt11=sale.invoice.bolt11 if sale.invoice else None,
        payment_hash=sale.payment_hash,
        error=sale.error,
    )


def on_printed(job: PrintJob) -> None:
    emit("printed", sale=job.sale_id, job=job.id, copy=job.copy.value)


def on_printer(status: PrinterStatus) -> None:
    emit("printer", state=status.state.value, message=status.message, waiting=status.waiting_jobs)


def on_done(future: Future) -> None:
    error = future.exception()
    if error is not None:
        emit("error", message=str(error))


def refund(services: Services, command: dict) -> None:
    """Refund as the sale detail does: record it, move the money, print the slip."""
    assert services.refunds is not None and services.refund_slip is not None
    amount = None if command.get("amount") is None else Decimal(command["amount"])
    done = services.refunds.refund(command["sale"], command["key"], amount, bool(command.get("cash")))
    emit(
        "refund",
        id=done.id,
        sale=done.sale_id,
        key=done.key,
        state=done.state.value,
        voucher_id=done.voucher_id,
    )
    services.refund_slip(done)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    services = build(preflight.load(Path(sys.argv[1])))
    checkout = services.checkout
    checkout.subscribe(on_sale)
    checkout.print_queue.on_printed(on_printed)
    checkout.print_queue.subscribe(on_printer)
    touched = checkout.recover()
    emit("ready", recovered=[[s.id, s.state.value] for s in touched])
    try:
        for line in sys.stdin:
            command = json.loads(line)
            if command["cmd"] == "charge":
                quote = Quote(amount_msat=command["sats"] * 1000)
                job = checkout.submit(checkout.charge, quote, "harness sale", command.get("expiry"))
            elif command["cmd"] == "cancel":
                job = checkout.submit(checkout.cancel, command["id"])
            elif command["cmd"] == "refund":
                job = checkout.submit(refund, services, command)
            job.add_done_callback(on_done)
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
