"""Run the reliability harness and rewrite docs/reliability.md.

    nice -n 10 .venv/bin/python -m benchmarks.reliability                 # every part, 1,000-sale soak
    .venv/bin/python -m benchmarks.reliability --parts soak --sales 50    # a short run of one part

Exits 1 if anything was lost or a limit was passed, 2 if LNbits is not set up.
"""

from __future__ import annotations

import argparse
import os
import sys

from benchmarks.reliability import faults, powercut, powercut_table, report, soak
from benchmarks.reliability.rows import table as rows_table
from benchmarks.reliability.soak_table import table as soak_table
from tests.support.lnbits import LnbitsServer, LnbitsUnavailable, start_lnbits

SOAK_NOTES = [
    "",
    "Charge tap -> QR is mostly LNbits making the invoice (compare its own create call above); the kiosk's",
    "share is the ledger commit, the invoice check and drawing the QR. PAID -> receipt includes",
    "rendering the receipt, the printer's status queries and the bytes over TCP. Threads and file",
    "descriptors are counted in the kiosk's process once the last sale's watcher has ended; the stand-in",
    "printer's threads are left out.",
]


def run_powercut(lnbits: LnbitsServer, args: argparse.Namespace) -> bool:
    rows = powercut.run_all(lnbits, args.random_kills)
    lines = powercut_table.table(rows)
    print("\n".join(lines))
    report.write_section(
        "powercut", "Power cuts (SIGKILL at every sale state)", [*powercut_table.NOTES, "", *lines]
    )
    return all(r.ok for r in rows)


def run_faults(lnbits: LnbitsServer, args: argparse.Namespace) -> bool:
    rows = faults.run_all(lnbits)
    lines = rows_table(rows)
    print("\n".join(lines))
    report.write_section("faults", "Fault matrix", [*faults.NOTES, "", *lines])
    return all(r.ok for r in rows)


def run_soak(lnbits: LnbitsServer, args: argparse.Namespace) -> bool:
    result = soak.run(lnbits, args.sales)
    lines = soak_table(result)
    print("\n".join(lines))
    verdict = "PASSED" if result.ok else "FAILED"
    report.write_section(
        "soak",
        f"Soak and speed ({args.sales:,} sales through the headless UI)",
        [f"**{verdict}**: {soak.LIMITS}", "", *lines, *SOAK_NOTES],
    )
    return result.ok


RUNNERS = {"powercut": run_powercut, "faults": run_faults, "soak": run_soak}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default=",".join(RUNNERS), help="comma-separated: " + ", ".join(RUNNERS))
    parser.add_argument("--sales", type=int, default=1000, help="soak length")
    parser.add_argument("--random-kills", type=int, default=10, help="power cuts at a random instant")
    args = parser.parse_args()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(RUNNERS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    for name, value in (("SDL_VIDEODRIVER", "offscreen"), ("KIVY_NO_ARGS", "1"), ("KIVY_NO_FILELOG", "1")):
        os.environ.setdefault(name, value)
    try:
        lnbits = start_lnbits()
    except LnbitsUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        results = [RUNNERS[name](lnbits, args) for name in parts]
    finally:
        lnbits.close()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
