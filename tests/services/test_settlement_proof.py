"""PAID only on proof: the preimage for every backend, a server's status only where a backend says so."""

import hashlib

from kiosk.backends.btcpay import BtcpayBackend
from kiosk.backends.cln import ClnRest
from kiosk.backends.demo import DemoNode
from kiosk.backends.lnbits import LnbitsBackend
from kiosk.backends.lnd import LndRest
from kiosk.credentials import Secret
from kiosk.services.node_port import InvoiceState, InvoiceStatus
from kiosk.services.settlement_proof import PREIMAGE, Unproven, proof_of, unproven

PREIMAGE_HEX = "11" * 32
HASH = hashlib.sha256(bytes.fromhex(PREIMAGE_HEX)).hexdigest()


def paid(preimage: str | None, msat: int = 21_000) -> InvoiceStatus:
    return InvoiceStatus(HASH, InvoiceState.PAID, msat, preimage)


def test_every_backend_but_btcpay_needs_the_preimage():
    url, key = "https://127.0.0.1:1", Secret(b"k" * 32)
    others = [
        DemoNode(),
        LndRest(url, key, None),
        ClnRest(url, key, None),
        LnbitsBackend(url, key),
    ]
    assert [proof_of(b) for b in others] == [PREIMAGE] * len(others)
    assert proof_of(BtcpayBackend(url, key, "store")) == "btcpay status"


def test_by_preimage_a_paid_status_without_one_is_no_proof():
    assert unproven(paid(None), HASH, 21_000) is Unproven.NO_PREIMAGE
    assert unproven(paid("22" * 32), HASH, 21_000) is Unproven.WRONG_PREIMAGE
    assert unproven(paid(PREIMAGE_HEX), HASH, 21_000) is None


def test_by_server_status_no_preimage_is_needed_but_the_amount_is():
    assert unproven(paid(None), HASH, 21_000, "btcpay status") is None
    assert unproven(paid(None, 1_000), HASH, 21_000, "btcpay status") is Unproven.SHORT
