"""How long a call takes and how much memory it needs at its peak, beyond what was in use before it."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Measured(Generic[T]):
    seconds: float
    peak_bytes: int  # Python allocations at the peak, above those live when the call began
    result: T | None
    error: Exception | None

    @property
    def peak_mib(self) -> float:
        return self.peak_bytes / MIB


def measure(call: Callable[[], T]) -> Measured[T]:
    """Run `call` under tracemalloc; its exception is kept, not raised."""
    started_tracing = not tracemalloc.is_tracing()
    if started_tracing:
        tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        began = time.monotonic()
        result, error = None, None
        try:
            result = call()
        except Exception as exc:
            error = exc
        seconds = time.monotonic() - began
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if started_tracing:
            tracemalloc.stop()
    return Measured(seconds, max(0, peak - before), result, error)
