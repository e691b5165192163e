import hashlib
import secrets
import time

import bolt11
import pytest
from bolt11.models.tags import TagChar, Tags
from coincurve import PrivateKey

from kiosk.errors import BackendError, ErrorKind
from kiosk.services.invoice_check import Expected, check_invoice

KEY = PrivateKey(hashlib.sha256(b"test node").digest())
PUBKEY = KEY.public_key.format().hex()
HASH = hashlib.sha256(b"preimage").hexdigest()
NOW_MS = time.time_ns() // 1_000_000


def mint(amount_msat=21_000, currency="bcrt", expiry=600, date=None, payment_hash=HASH, key=KEY) -> str:
    tags = Tags()
    tags.add(TagChar.payment_hash, payment_hash)
    tags.add(TagChar.payment_secret, secrets.token_hex(32))
    tags.add(TagChar.description, "coffee")
    tags.add(TagChar.expire_time, expiry)
    inv = bolt11.Bolt11(currency, date or NOW_MS // 1000, tags, bolt11.MilliSatoshi(amount_msat))
    return bolt11.encode(inv, key.secret.hex())


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
