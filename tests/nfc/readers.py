"""What a reader told, kept in order, for tests to wait on."""

from __future__ import annotations

import queue

from kiosk.domain.lnurl_withdraw import TapFailed


class Heard:
    """A ReaderEvents that queues every call as ("reader", bool), ("read", uri) or ("failed", TapFailed)."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, object]] = queue.Queue()

    def reader_changed(self, present: bool) -> None:
        self.events.put(("reader", present))

    def card_read(self, uri: str) -> None:
        self.events.put(("read", uri))

    def card_failed(self, error: Exception) -> None:
        self.events.put(("failed", error))

    def next(self, timeout: float = 10.0) -> tuple[str, object]:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the reader told nothing within {timeout} s") from None

    def next_failure(self) -> TapFailed:
        kind, value = self.next()
        assert kind == "failed", (kind, value)
        assert isinstance(value, TapFailed)
        return value

    def quiet(self, seconds: float) -> bool:
        """Nothing more is told for `seconds` (for a card that must not be read twice)."""
        try:
            self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        return False
