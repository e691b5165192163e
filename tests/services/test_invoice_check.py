import hashlib
import time

import pytest
from coincurve import PrivateKey

from kiosk.domain.sale import Sale
from kiosk.errors import BackendError, ErrorKind
from kiosk.services.invoice_check import (
    CLOCK_SLACK_S,
    Expected,
    check_invoice,
    check_new_to_ledger,
    check_open_at_node,
)
from kiosk.services.node_port import InvoiceState, InvoiceStatus
from tests.support.minting import sign_invoice

KEY = PrivateKey(hashlib.sha256(b"test node").digest())
PUBKEY = KEY.public_key.format().hex()
HASH = hashlib.sha256(b"preimage").hexdigest()
NOW_MS = time.time_ns() // 1_000_000


def mint(amount_msat=21_000, currency="bcrt", expiry=600, date=None, payment_hash=HASH, key=KEY) -> str:
    return sign_invoice(key, payment_hash, amount_msat, expiry, date or NOW_MS // 1000, currency)


def expected(**kw) -> Expected:
    base = dict(
        amount_msat=21_000, expiry_s=600, network="regtest", now_ms=NOW_MS, payment_hash=HASH, payee=PUBKEY
    )
    return Expected(**(base | kw))


def test_a_matching_invoice_passes():
    text = mint()
    inv = check_invoice(text, expected())
    assert inv.bolt11 == text and inv.payment_hash == HASH
    assert inv.expires_at_ms == (NOW_MS // 1000 + 600) * 1000


@pytest.mark.parametrize(
    ("invoice", "exp", "words"),
    [
        (lambda: mint(amount_msat=210_000), {}, "asks for 210000 msat"),
        (lambda: mint(currency="bc"), {}, "network"),
        (lambda: mint(), {"network": "mainnet"}, "network"),
        (lambda: mint(payment_hash="11" * 32), {}, "payment hash"),
        (lambda: mint(key=PrivateKey()), {}, "signed by another node"),
        (lambda: mint(expiry=86_400), {}, "expires after 86400 s"),
        (lambda: mint(date=NOW_MS // 1000 - 700), {}, "already expired"),
        (lambda: "lnbc1garbage", {}, "cannot be decoded"),
        (lambda: mint(), {"network": "moon"}, "unknown network"),
    ],
)
def test_mismatches_are_refused_with_the_reason(invoice, exp, words):
    with pytest.raises(BackendError) as info:
        check_invoice(invoice(), expected(**exp))
    assert info.value.kind is ErrorKind.INVOICE_MISMATCH
    assert words in info.value.message and "do not take payment" in info.value.hint


def test_payee_check_is_skipped_when_the_node_does_not_say_who_it_is():
    check_invoice(mint(key=PrivateKey()), expected(payee=None))


def test_an_invoice_made_well_before_the_request_is_refused_as_handed_back():
    old = mint(date=NOW_MS // 1000 - 120)  # made two minutes ago, 600 s expiry: still payable
    with pytest.raises(BackendError) as info:
        check_invoice(old, expected(asked_at_ms=NOW_MS))
    assert "made 120 s before the kiosk asked" in info.value.message
    assert "do not take payment" in info.value.hint


def test_clock_slack_lets_a_slightly_early_timestamp_through():
    check_invoice(mint(date=NOW_MS // 1000 - CLOCK_SLACK_S + 1), expected(asked_at_ms=NOW_MS))


def test_an_invoice_dated_in_the_future_is_refused():
    with pytest.raises(BackendError) as info:
        check_invoice(mint(date=NOW_MS // 1000 + 3_600), expected())
    assert "in the future" in info.value.message


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (InvoiceState.PAID, "paid already"),
        (InvoiceState.UNKNOWN, "does not know this invoice"),
        (InvoiceState.EXPIRED, "can no longer be paid (expired)"),
        (InvoiceState.CANCELED, "can no longer be paid (canceled)"),
    ],
)
def test_only_an_invoice_the_node_finds_open_may_be_shown(state, words):
    with pytest.raises(BackendError) as info:
        check_open_at_node(InvoiceStatus(HASH, state))
    assert info.value.kind is ErrorKind.INVOICE_MISMATCH and words in info.value.message
    check_open_at_node(InvoiceStatus(HASH, InvoiceState.OPEN))


def test_a_payment_hash_already_on_a_sale_is_refused_naming_the_sale():
    with pytest.raises(BackendError) as info:
        check_new_to_ledger(Sale(id=7, created_at_ms=NOW_MS, amount_msat=21_000, memo=""))
    assert "sale #7" in info.value.message
    check_new_to_ledger(None)
