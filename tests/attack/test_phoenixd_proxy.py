"""The hostile proxy in front of the phoenixd double (plain HTTP, as phoenixd on the kiosk).

phoenixd signs its invoices with its node key (getinfo's nodeId), so the payee
check refuses another node's invoice; the lookup and the ledger refuse one
already paid or already on a sale.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.backends.phoenixd import Phoenixd
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from tests.attack.conftest import TIMEOUT_S, Watched, assert_refused
from tests.doubles.harness import PAID, checkout_on, wait_for_state
from tests.doubles.invoices import InvoiceBook
from tests.doubles.phoenixd import PhoenixdDouble
from tests.support.hostile_proxy import HostileProxy, replay, swap_json

AMOUNT_MSAT = 21_000


@pytest.fixture
def kiosk(  # this module's kiosk talks to phoenixd, not LNbits
    phoenixd: PhoenixdDouble, phoenixd_proxy: HostileProxy, tmp_path
) -> Iterator[Watched]:
    backend = Phoenixd(phoenixd_proxy.url, Secret(phoenixd.limited_password.encode()), timeout_s=TIMEOUT_S)
    with checkout_on(backend, tmp_path, poll_s=0.1) as checkout:
        yield Watched(checkout)


def charge(kiosk: Watched):
    return kiosk.checkout.charge(Quote(AMOUNT_MSAT), "coffee", 600)


def test_another_nodes_invoice_for_the_same_amount_is_refused(kiosk: Watched, phoenixd_proxy: HostileProxy):
    foreign = InvoiceBook().mint(AMOUNT_MSAT, "coffee", 600)
    swap = swap_json(lambda b: b | {"serialized": foreign.bolt11, "paymentHash": foreign.payment_hash})
    phoenixd_proxy.on("POST", "/createinvoice", swap)
    assert_refused(kiosk, charge(kiosk), "signed by another node")


def test_the_kiosks_own_paid_invoice_handed_back_is_refused(
    kiosk: Watched, phoenixd_proxy: HostileProxy, phoenixd: PhoenixdDouble
):
    first = charge(kiosk)
    assert first.state is SaleState.AWAITING_PAYMENT, first.error
    phoenixd.pay(first.payment_hash)
    wait_for_state(kiosk.checkout, first.id, *PAID)
    phoenixd_proxy.on(
        "POST", "/createinvoice", replay(phoenixd_proxy.exchanges("POST", "/createinvoice")[0]), times=1
    )
    assert_refused(kiosk, charge(kiosk), "paid already")
    assert kiosk.checkout.ledger.get(first.id).state.is_paid
