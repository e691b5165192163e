"""A fiat sale from end to end: rates from the local provider servers, a real LNbits, the printed receipt.

Then every provider fails: fiat charging stops with the reason, no invoice is made, sats still work.
"""

from __future__ import annotations

from decimal import Decimal

import bolt11
import pytest

from kiosk.config import parse
from kiosk.domain.money import currency
from kiosk.domain.pricing import CannotPrice, Order
from kiosk.domain.sale import SaleState
from kiosk.wiring import build
from tests.doubles.rate_servers import Fault
from tests.support.wait import wait_until

USD = currency("USD")


@pytest.fixture
def services(tmp_path, servers, lnbits):
    servers["kraken"].prices["USD"] = "95000.00"
    servers["coinbase"].prices["USD"] = "95100.00"
    servers["bitstamp"].prices["USD"] = "94900.00"
    servers["coingecko"].prices["USD"] = "120000.00"  # an outlier, left out
    key = tmp_path / "invoice.key"
    key.write_text(lnbits.kiosk.inkey + "\n")
    config = parse(
        {
            "shop": {"name": "Bike Shop", "currency": "USD"},
            "node": {"backend": "lnbits", "url": lnbits.url, "invoice_key_file": str(key)},
            "payment": {"poll_interval_seconds": 0.1},
            "printer": {"kind": "file", "path": str(tmp_path / "printer.bin")},
            "ledger": {"path": str(tmp_path / "ledger.sqlite3")},
            "rates": {
                "enabled": True,
                "providers": "kraken, coinbase, bitstamp, coingecko",
                "max_age_seconds": 2,
                "max_quote_age_seconds": 2,
                "refresh_seconds": 0.3,
                "retry_seconds": 0.3,
                "timeout_seconds": 0.5,
                **{f"{kind}_url": server.url for kind, server in servers.items()},
            },
        },
        tmp_path / "kiosk.toml",
    )
    built = build(config)
    yield built
    built.close()


def test_a_fiat_sale_is_charged_at_the_median_and_printed_with_it(services, lnbits, tmp_path):
    rate = wait_until(services.rates.current, 5, "the first market rate")
    assert rate.btc_price == Decimal("95000.00")
    assert rate.source == "median of kraken, coinbase, bitstamp"

    priced = Order(Decimal("12.50"), USD).priced(services.rates.current(), 1_000_000)
    sale = services.checkout.charge(priced, "Bike Shop")
    assert sale.state is SaleState.AWAITING_PAYMENT
    # 12.50 USD / 95,000 USD per BTC = 13,157.89 sats, rounded down: never more than shown
    assert bolt11.decode(sale.invoice.bolt11).amount_msat == 13_157_000

    lnbits.pay(sale.invoice.bolt11)
    wait_until(lambda: services.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, 10, "receipt")
    done = services.ledger.get(sale.id)
    assert (done.fiat_amount, done.rate, done.rate_source) == (Decimal("12.50"), rate.btc_price, rate.source)
    printed = (tmp_path / "printer.bin").read_bytes()
    for text in (b"$12.50", b"13,157 sats", b"1 BTC = $95,000", b"median of kraken, coinbase, bitstamp"):
        assert text in printed


def test_when_every_provider_fails_fiat_stops_with_the_reason_and_sats_still_work(services, servers):
    wait_until(services.rates.current, 5, "the first market rate")
    for server, fault in zip(
        servers.values(), (Fault.HTTP_500, Fault.GARBAGE, Fault.WRONG_SHAPE, Fault.HTTP_429), strict=False
    ):
        server.fault = fault
    servers["mempool"].stop()
    wait_until(lambda: services.rates.current() is None, 5, "the rate to go stale")
    status = services.rates.status()
    assert not status.usable
    assert status.message.startswith("No fresh exchange rate") and "sats still work" in status.message

    before = len(services.ledger.sales())
    with pytest.raises(CannotPrice, match="No exchange rate for USD: charge in sats instead"):
        Order(Decimal("12.50"), USD).priced(services.rates.current(), 1_000_000)
    assert len(services.ledger.sales()) == before  # no sale, no invoice

    sats = currency("SAT")
    sale = services.checkout.charge(Order(Decimal(1000), sats).priced(None, 1_000_000), "Bike Shop")
    assert sale.state is SaleState.AWAITING_PAYMENT
    assert bolt11.decode(sale.invoice.bolt11).amount_msat == 1_000_000
