"""The kiosk's two clocks, in milliseconds.

Wall time (`now_ms`) is for what a person reads: receipts, the ledger, a rate's age.
It can jump (an NTP step after boot on a Pi without a real-time clock, a wrong
date set by hand); durations measured on it would expire an invoice early or
hold a receipt back for an hour. `steady_ms` never jumps: waits and deadlines
are timed with it. Both are passed in where they are used, so tests move time.
"""

from __future__ import annotations

import time


def now_ms() -> int:
    """Wall time: milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000


def steady_ms() -> int:
    """Monotonic time: only differences between two readings mean anything."""
    return time.monotonic_ns() // 1_000_000
