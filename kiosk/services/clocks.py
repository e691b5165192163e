"""The monotonic clock the services time waits and deadlines with.

Wall time (`checkout.now_ms`) is for what a person reads: receipts, the ledger.
It can jump (an NTP step after boot on a Pi without a real-time clock, a wrong
date set by hand); durations measured on it would expire an invoice early or
hold a receipt back for an hour. This clock never jumps.
"""

from __future__ import annotations

import time


def steady_ms() -> int:
    return time.monotonic_ns() // 1_000_000
