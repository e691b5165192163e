"""Nostr Wallet Connect adapter against a wallet double on a REAL relay (nostr-relay) on loopback.

The kiosk reaches the relay through a TCP pipe (tests/support/tcp_pipe.py), so
a test can cut its connection while the relay stays up, or slip in frames the
relay never sent; the wallet double is connected to the relay directly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import bolt11
import pytest
from nostr_sdk import Event, EventBuilder, Keys, Kind, Tag

from kiosk.backends.nwc import NwcBackend
from kiosk.backends.registry import make_backend
from kiosk.config import NodeConfig
from kiosk.credentials import Secret
from kiosk.domain.sale import SaleState
from kiosk.errors import ConfigError, ErrorKind
from tests.backends.contract import BackendContract
from tests.doubles.harness import (
    AMOUNT_MSAT,
    PAID,
    NodeFaults,
    charge,
    checkout_on,
    wait_for_state,
)
from tests.doubles.nwc_node import NwcHarness, NwcNode
from tests.support.errors import failure
from tests.support.nostr_relay import NostrRelay
from tests.support.tcp_pipe import text_frame
from tests.support.wait import wait_until


@pytest.fixture
def double(nwc_node: NwcNode) -> NwcNode:
    """The wallet, relay and pipe from conftest.py, under the name the shared fault tests use."""
    return nwc_node


def backend_for(node: NwcNode, tmp_path: Path, timeout_s: float = 5) -> NwcBackend:
    uri_file = tmp_path / "nwc.uri"
    uri_file.write_text(node.uri() + "\n")
    backend = make_backend(NodeConfig(backend="nwc", nwc_uri_file=uri_file, timeout_seconds=timeout_s))
    assert isinstance(backend, NwcBackend)
    return backend


@pytest.fixture
def harness(double: NwcNode, tmp_path: Path) -> Iterator[NwcHarness]:
    backend = backend_for(double, tmp_path)
    yield NwcHarness(backend, double)
    backend.close()


class TestNwcContract(BackendContract, NodeFaults):
    pass


def test_a_sale_pays_end_to_end_over_one_relay_connection(harness: NwcHarness, tmp_path: Path):
    backend, node = harness.backend, harness.double
    with checkout_on(backend, tmp_path, poll_s=60) as checkout:  # only the notification can pay in time
        sales = [charge(checkout) for _ in range(3)]
        wait_until(lambda: checkout.watcher.lookups >= 3, 5, "the first lookups")
        node.pay(sales[1].payment_hash)
        paid = wait_for_state(checkout, sales[1].id, *PAID, timeout=5)
        assert paid.amount_received_msat == AMOUNT_MSAT
        assert node.open_connections() == 1
        assert checkout.ledger.get(sales[0].id).state is SaleState.AWAITING_PAYMENT
    assert backend.requests["connect"] == 1


def test_requests_name_the_wallet_an_expiration_and_nip44(harness: NwcHarness):
    before = time.time()
    harness.backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    request, asked = harness.double.wallet.requests[-1]
    tags = {t.to_vec()[0]: t.to_vec()[1:] for t in request.tags()}
    assert tags["p"] == [harness.double.wallet.keys.public_key().to_hex()]
    assert tags["encryption"] == ["nip44_v2"]
    assert before + 60 < int(tags["expiration"][0]) <= time.time() + 5 + 60 + 1  # timeout + clock slack
    assert asked == {
        "method": "make_invoice",
        "params": {"amount": 21_000, "description": "coffee", "expiry": 600},
    }


def test_a_nip04_wallet_is_spoken_to_in_nip04(relay: NostrRelay, tmp_path: Path):
    node = NwcNode(relay, encryption=("nip04",))
    backend = backend_for(node, tmp_path)
    try:
        with checkout_on(backend, tmp_path, poll_s=60) as checkout:
            sale = charge(checkout)
            wait_until(lambda: checkout.watcher.lookups >= 1, 5, "the first lookup")
            node.pay(sale.payment_hash)
            wait_for_state(checkout, sale.id, *PAID, timeout=5)
        request, _asked = node.wallet.requests[-1]
        assert ["encryption", "nip04"] in [t.to_vec() for t in request.tags()]
    finally:
        backend.close()
        node.close()


def test_a_lost_notification_is_caught_by_polling(harness: NwcHarness, tmp_path: Path):
    harness.double.wallet.drop_notifications = True
    with checkout_on(harness.backend, tmp_path, poll_s=0.2) as checkout:
        sale = charge(checkout)
        harness.double.pay(sale.payment_hash)
        assert wait_for_state(checkout, sale.id, *PAID).amount_received_msat == AMOUNT_MSAT


def test_rate_limited_is_asked_again_and_the_sale_goes_on(harness: NwcHarness):
    harness.double.wallet.errors = ["RATE_LIMITED"]
    created = harness.backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    assert harness.double.wallet.book.get(created.payment_hash) is not None
    assert harness.backend.requests["make_invoice"] == 2


def test_rate_limited_until_the_time_is_up_says_to_wait(double: NwcNode, tmp_path: Path):
    double.wallet.errors = ["RATE_LIMITED"] * 10
    error = failure(lambda: backend_for(double, tmp_path, timeout_s=2).create_invoice(AMOUNT_MSAT, "x", 600))
    assert error.kind is ErrorKind.TIMEOUT
    assert "RATE_LIMITED" in error.message and "slow down" in error.hint


@pytest.mark.parametrize(
    ("code", "kind", "hint"),
    [
        ("QUOTA_EXCEEDED", ErrorKind.REJECTED, "budget"),
        ("RESTRICTED", ErrorKind.PERMISSION, "make_invoice"),
        ("INTERNAL", ErrorKind.REJECTED, "wallet app"),
    ],
)
def test_wallet_error_codes_say_what_to_do(harness: NwcHarness, code: str, kind: ErrorKind, hint: str):
    harness.double.wallet.errors = [code]
    error = failure(lambda: harness.backend.create_invoice(AMOUNT_MSAT, "x", 600))
    assert error.kind is kind and code in error.message and hint in error.hint


def test_a_connection_the_wallet_does_not_know_is_an_auth_error(double: NwcNode, tmp_path: Path):
    known = double.wallet.client.secret_key().to_hex()
    revoked = double.uri().replace(known, Keys.generate().secret_key().to_hex())
    error = failure(lambda: NwcBackend(Secret(revoked.encode()), 5).create_invoice(AMOUNT_MSAT, "x", 600))
    assert error.kind is ErrorKind.AUTH and "UNAUTHORIZED" in error.message


def test_a_wallet_that_never_answers_times_out(double: NwcNode, tmp_path: Path):
    backend = backend_for(double, tmp_path, timeout_s=1)
    backend.node_info()
    double.wallet.mute = True
    error = failure(lambda: backend.create_invoice(AMOUNT_MSAT, "x", 600))
    assert error.kind is ErrorKind.TIMEOUT and "did not answer make_invoice within 1 s" in error.message


def forged_reply(request: Event, signer: Keys, claim: str | None = None) -> bytes:
    """A reply to `request` that a hostile relay slips in: signed by `signer`, or claiming another author."""
    text = json.dumps({"result_type": "make_invoice", "error": None, "result": {"invoice": "lnbcrt1forged"}})
    tags = [Tag.public_key(request.author()), Tag.event(request.id())]
    event = json.loads(EventBuilder(Kind(23195), text).tags(tags).finalize(signer).as_json())
    if claim is not None:
        event["pubkey"] = claim
    return text_frame(json.dumps(["EVENT", "kiosk-1", event]))


def test_replies_not_signed_by_the_wallet_are_ignored(harness: NwcHarness):
    node = harness.double
    wallet_key = node.wallet.keys.public_key().to_hex()

    def hostile_relay(request: Event) -> None:
        node.pipe.inject(forged_reply(request, Keys.generate()))
        node.pipe.inject(forged_reply(request, Keys.generate(), claim=wallet_key))

    node.wallet.before_reply = hostile_relay
    created = harness.backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    assert bolt11.decode(created.bolt11).payment_hash == created.payment_hash
    assert node.wallet.book.get(created.payment_hash) is not None


def test_a_bad_uri_is_refused_without_showing_it(tmp_path: Path):
    secret = "71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c"
    for uri in (
        f"https://example.com/?secret={secret}",
        f"nostr+walletconnect://{'ab' * 32}?secret={secret}",
    ):
        with pytest.raises(ConfigError) as caught:
            NwcBackend(Secret(uri.encode()))
        assert secret not in str(caught.value)


def test_a_relay_without_tls_elsewhere_is_refused():
    uri = f"nostr+walletconnect://{'ab' * 32}?relay=ws%3A%2F%2Frelay.example.com&secret={'cd' * 32}"
    with pytest.raises(ConfigError, match="wss://"):
        NwcBackend(Secret(uri.encode()))


def test_the_secret_stays_out_of_reprs_and_errors(double: NwcNode, tmp_path: Path):
    backend = backend_for(double, tmp_path)
    secret = double.wallet.client.secret_key().to_hex()
    double.kill()
    error = failure(lambda: backend.create_invoice(AMOUNT_MSAT, "x", 600))
    assert secret not in repr(backend.__dict__) + str(error)


def test_a_relay_that_is_down_is_not_hammered(harness: NwcHarness):
    backend = harness.backend
    backend.node_info()
    harness.double.kill()
    wait_until(lambda: harness.double.open_connections() == 0, 5, "the kiosk to see the relay go")
    connects = backend.requests["connect"]
    for _ in range(20):  # the watcher looks up what is on screen every second, the push stream reopens
        assert failure(lambda: backend.invoice_status("00" * 32)).kind is ErrorKind.UNREACHABLE
    assert backend.requests["connect"] - connects <= 2  # one try, then none until the backoff is over
