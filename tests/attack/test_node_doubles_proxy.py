"""The hostile proxy in front of the LND and Core Lightning doubles (over their pinned TLS).

LND and CLN sign their own invoices, so the payee check (the node's key, from
GetInfo or pinned in the config) refuses an invoice of any other node; the
invoice's timestamp refuses one made earlier; the lookup and the ledger refuse
one already paid or already on a sale.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterator

import pytest
from coincurve import PrivateKey

from kiosk.backends.cln import ClnRest
from kiosk.backends.lnd import LndRest
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from tests.attack.conftest import TIMEOUT_S, Watched, assert_refused
from tests.doubles.cln import ClnDouble
from tests.doubles.harness import PAID, checkout_on, wait_for_state
from tests.doubles.invoices import InvoiceBook
from tests.support.hostile_proxy import HostileProxy, replay, swap_json
from tests.support.minting import sign_invoice

AMOUNT_MSAT = 21_000


def new_hash() -> str:
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


@pytest.fixture
def cln_proxy(cln: ClnDouble) -> Iterator[HostileProxy]:
    proxy = HostileProxy(cln.url, cln.ca_cert_file)
    yield proxy
    proxy.close()


def charge(kiosk: Watched):
    return kiosk.checkout.charge(Quote(AMOUNT_MSAT), "coffee", 600)


def test_lnd_an_invoice_the_node_signed_five_minutes_ago_is_refused(lnd, lnd_proxy, tmp_path):
    """Genuinely the node's, right amount and expiry, still payable: but not made for this sale."""
    payment_hash = new_hash()
    old = sign_invoice(
        PrivateKey(bytes.fromhex(lnd.book.key_hex)), payment_hash, date_s=int(time.time()) - 300
    )
    r_hash = base64.b64encode(bytes.fromhex(payment_hash)).decode()
    lnd_proxy.on("POST", "/v1/invoices", swap_json(lambda b: b | {"payment_request": old, "r_hash": r_hash}))
    backend = LndRest(lnd_proxy.url, Secret(lnd.admin_macaroon), None, timeout_s=TIMEOUT_S)
    with checkout_on(backend, tmp_path, poll_s=0.1) as checkout:
        kiosk = Watched(checkout)
        assert_refused(kiosk, charge(kiosk), "s before the kiosk asked for it", "do not take payment")


def test_lnd_with_a_pinned_pubkey_refuses_another_nodes_invoice(lnd, lnd_proxy, tmp_path):
    """invoice.macaroon cannot read GetInfo: node.pubkey in the config is the key invoices must carry."""
    payment_hash = new_hash()
    foreign = sign_invoice(PrivateKey(), payment_hash)
    r_hash = base64.b64encode(bytes.fromhex(payment_hash)).decode()
    lnd_proxy.on(
        "POST", "/v1/invoices", swap_json(lambda b: b | {"payment_request": foreign, "r_hash": r_hash})
    )
    backend = LndRest(
        lnd_proxy.url,
        Secret(lnd.invoice_macaroon),
        None,
        TIMEOUT_S,
        network="regtest",
        pubkey=lnd.book.pubkey,
    )
    with checkout_on(backend, tmp_path, poll_s=0.1) as checkout:
        kiosk = Watched(checkout)
        assert_refused(kiosk, charge(kiosk), "signed by another node")


def test_cln_an_invoice_of_another_node_for_the_same_amount_is_refused(cln, cln_proxy, tmp_path):
    foreign = InvoiceBook().mint(AMOUNT_MSAT, "coffee", 600)
    cln_proxy.on(
        "POST",
        "/v1/invoice",
        swap_json(lambda b: b | {"bolt11": foreign.bolt11, "payment_hash": foreign.payment_hash}),
    )
    with checkout_on(
        ClnRest(cln_proxy.url, Secret(cln.rune.encode()), None, TIMEOUT_S), tmp_path, poll_s=0.1
    ) as checkout:
        kiosk = Watched(checkout)
        assert_refused(kiosk, charge(kiosk), "signed by another node")


def test_cln_the_kiosks_own_paid_invoice_handed_back_is_refused(cln, cln_proxy, tmp_path):
    with checkout_on(
        ClnRest(cln_proxy.url, Secret(cln.rune.encode()), None, TIMEOUT_S), tmp_path, poll_s=0.1
    ) as checkout:
        kiosk = Watched(checkout)
        first = charge(kiosk)
        assert first.state is SaleState.AWAITING_PAYMENT, first.error
        cln.pay(first.payment_hash)
        wait_for_state(checkout, first.id, *PAID)
        cln_proxy.on("POST", "/v1/invoice", replay(cln_proxy.exchanges("POST", "/v1/invoice")[0]), times=1)
        assert_refused(kiosk, charge(kiosk), "paid already")
        assert checkout.ledger.get(first.id).state.is_paid


def test_lnd_the_open_invoice_of_an_earlier_sale_handed_back_is_refused(lnd, lnd_proxy, tmp_path):
    backend = LndRest(lnd_proxy.url, Secret(lnd.admin_macaroon), None, timeout_s=TIMEOUT_S)
    with checkout_on(backend, tmp_path, poll_s=0.1) as checkout:
        kiosk = Watched(checkout)
        first = charge(kiosk)
        lnd_proxy.on("POST", "/v1/invoices", replay(lnd_proxy.exchanges("POST", "/v1/invoices")[0]), times=1)
        assert_refused(kiosk, charge(kiosk), f"the invoice of sale #{first.id}")
