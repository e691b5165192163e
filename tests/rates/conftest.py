from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.doubles.rate_servers import RateServer

KINDS = ("kraken", "coinbase", "bitstamp", "coingecko", "mempool")


@pytest.fixture
def servers() -> Iterator[dict[str, RateServer]]:
    """One loopback double per provider, all quoting USD at 95,000 now."""
    running = {kind: RateServer(kind).start() for kind in KINDS}
    yield running
    for server in running.values():
        server.stop()


class FakeClock:
    """Milliseconds a test sets and moves; starts at the doubles' real 'now'."""

    def __init__(self, now_ms: int) -> None:
        self.now_ms = now_ms

    def __call__(self) -> int:
        return self.now_ms

    def advance(self, seconds: float) -> None:
        self.now_ms += int(seconds * 1000)
