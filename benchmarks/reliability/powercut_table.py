"""The power-cut rows as the Markdown table the report prints, with what each row means."""

from __future__ import annotations

from benchmarks.reliability import refund_cuts
from benchmarks.reliability.powercut import Row

NOTES = [
    "Each row: the kiosk's services run in a child process (real config file, `wiring.build`), one sale is",
    "driven to the state named, the child is killed with SIGKILL, the customer may pay while it is dead,",
    "then the services start again (`Checkout.recover`) and the ledger, LNbits' own payment records and",
    "the bytes at the printer are compared. *Lost* counts a payment missing from the ledger or recorded",
    "twice, a paid sale with no receipt printed and none waiting, a second receipt without a DUPLICATE?",
    "mark, or a receipt for an unpaid sale. A job found 'printing' at start-up (the printer may have",
    'taken the bytes) prints again with "DUPLICATE? reprint after power cut" under the header: the',
    "customer always gets a whole receipt, and a second copy says what it is. The printer stand-in stops",
    "reading to hold a job mid-print (`status_timeout_seconds = 5` keeps the kiosk waiting on it).",
    "*node* is LNbits' own answer at the end. LNbits may refuse a payment made just after an invoice's",
    "expiry (then the expired row stays unpaid, correctly) or accept it (then it must become paid-late).",
    *refund_cuts.NOTES,
]


def table(rows: list[Row]) -> list[str]:
    """Markdown: state at the kill, what the restart found, the receipts on paper, what was lost."""
    lines = [
        "| killed while | state at the kill | after the restart | receipts at the printer | lost |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lost = "nothing" if row.ok else "; ".join(row.lost or ["?"])
        lines.append(f"| {row.name} | {row.at_kill} | {row.found} | {row.receipts} | **{lost}** |")
    return lines
