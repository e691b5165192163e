"""The kiosk's build picks the rate source: demo rate, market rate when enabled, else none."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import Config, parse
from kiosk.rates.aggregator import MedianRate
from kiosk.services.rates import DemoRate, NoRate
from kiosk.wiring import build
from tests.support.wait import wait_until


def kiosk_config(tmp_path: Path, servers, backend: str, enabled: bool, shop_currency: str = "USD") -> Config:
    node = {"backend": backend}
    if backend == "lnbits":
        key = tmp_path / "invoice.key"
        key.write_text("0123456789abcdef0123456789abcdef\n")
        node |= {"url": "http://127.0.0.1:9", "invoice_key_file": str(key)}
    urls = {f"{kind}_url": server.url for kind, server in servers.items()}
    data = {
        "shop": {"currency": shop_currency},
        "node": node,
        "ledger": {"path": str(tmp_path / "ledger.sqlite3")},
        "rates": {"enabled": enabled, "timeout_seconds": 0.5, **urls},
    }
    return parse(data, tmp_path / "kiosk.toml")


def test_enabled_market_rate_is_started_and_closed(tmp_path, servers):
    services = build(kiosk_config(tmp_path, servers, "lnbits", enabled=True))
    try:
        assert isinstance(services.rates, MedianRate)
        rate = wait_until(services.rates.current, 5, "the first market rate")
        assert rate.source == "median of kraken, coinbase, bitstamp, coingecko"
    finally:
        services.close()
        services.rates.close()


@pytest.mark.parametrize(
    ("backend", "enabled", "shop_currency", "expected"),
    [
        ("lnbits", False, "USD", NoRate),  # a real node without [rates] enabled: sats only
        ("demo", True, "USD", DemoRate),  # the demo keeps its labelled rate
        ("lnbits", True, "SAT", NoRate),  # a sats-only shop needs no rate
    ],
)
def test_other_setups_never_fetch(tmp_path, servers, backend, enabled, shop_currency, expected):
    services = build(kiosk_config(tmp_path, servers, backend, enabled, shop_currency))
    try:
        assert type(services.rates) is expected
    finally:
        services.close()
        services.rates.close()
    assert all(server.requests == [] for server in servers.values())
