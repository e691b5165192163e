"""An attacker between the kiosk and a real LNbits: replayed, foreign and stale invoices are never shown.

Each test lets the kiosk ask the real LNbits through the hostile proxy, which
swaps the answer for one an attacker could hand back. The sale must end FAILED
with a do-not-take-payment reason, and no invoice may reach the screen (the
checkout's listeners) or the ledger as payable.
"""

from __future__ import annotations

import pytest
import requests

from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from tests.attack.conftest import Watched, assert_refused
from tests.doubles.harness import wait_for_state
from tests.support.hostile_proxy import Answer, Flood, Reply, replay, swap_json
from tests.support.lnbits import LnbitsServer
from tests.support.wait import wait_until

AMOUNT_MSAT = 21_000
CREATE = "/api/v1/payments"


def invoice_in(lnbits: LnbitsServer, inkey: str, expiry_s: int = 600, amount_msat: int = AMOUNT_MSAT) -> dict:
    """An invoice made straight in a wallet of the same LNbits (not through the kiosk)."""
    response = requests.post(
        f"{lnbits.url}{CREATE}",
        json={"out": False, "amount": amount_msat // 1000, "memo": "elsewhere", "expiry": expiry_s},
        headers={"X-Api-Key": inkey},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def hand_back(payment: dict):
    """The create answer, with the invoice swapped for `payment`'s."""
    swapped = {k: payment[k] for k in ("payment_hash", "payment_request", "bolt11", "checking_id")}
    return swap_json(lambda body: body | swapped)


def charge(kiosk: Watched, expiry_s: int = 600):
    return kiosk.checkout.charge(Quote(AMOUNT_MSAT), "coffee", expiry_s)


def test_a_paid_invoice_of_the_merchants_own_wallet_handed_back_is_refused(lnbits, lnbits_proxy, kiosk):
    earlier = invoice_in(lnbits, lnbits.kiosk.inkey)
    lnbits.pay(earlier["payment_request"])  # a customer paid it seconds ago
    lnbits_proxy.on("POST", CREATE, hand_back(earlier), times=1)
    sale = charge(kiosk)
    assert_refused(kiosk, sale, "paid already", "do not take payment")


def test_the_kiosks_own_paid_invoice_handed_back_is_refused_without_a_crash(lnbits, lnbits_proxy, kiosk):
    first = charge(kiosk)
    assert first.state is SaleState.AWAITING_PAYMENT, first.error
    lnbits.pay(first.invoice.bolt11)
    wait_for_state(kiosk.checkout, first.id, SaleState.PAID, SaleState.RECEIPT_PRINTED)
    lnbits_proxy.on("POST", CREATE, replay(lnbits_proxy.exchanges("POST", CREATE)[0]), times=1)
    second = charge(kiosk)
    assert_refused(kiosk, second, "paid already")
    assert kiosk.checkout.ledger.get(first.id).state.is_paid  # the first sale is untouched


def test_the_kiosks_own_invoice_with_a_forged_open_lookup_is_refused_by_the_ledger(
    lnbits, lnbits_proxy, kiosk
):
    """Even when the lookup is forged too, the ledger knows the hash: sqlite's UNIQUE is never reached."""
    first = charge(kiosk)
    lnbits.pay(first.invoice.bolt11)
    wait_for_state(kiosk.checkout, first.id, SaleState.PAID, SaleState.RECEIPT_PRINTED)
    lnbits_proxy.on("POST", CREATE, replay(lnbits_proxy.exchanges("POST", CREATE)[0]), times=1)
    open_lookup = {"paid": False, "status": "pending", "preimage": None, "details": {}}
    lnbits_proxy.on("GET", f"{CREATE}/{first.payment_hash}", lambda _e: Reply.of(200, open_lookup), times=1)
    second = charge(kiosk)
    assert_refused(kiosk, second, f"the invoice of sale #{first.id}")


def test_an_open_invoice_of_an_earlier_sale_handed_back_is_refused(lnbits_proxy, kiosk):
    """Two sales on one invoice: one payment would print two receipts."""
    first = charge(kiosk)
    lnbits_proxy.on("POST", CREATE, replay(lnbits_proxy.exchanges("POST", CREATE)[0]), times=1)
    second = charge(kiosk)
    assert_refused(kiosk, second, f"the invoice of sale #{first.id}")
    assert kiosk.checkout.ledger.get(first.id).state is SaleState.AWAITING_PAYMENT


def test_an_invoice_of_another_wallet_on_the_same_lnbits_is_refused(lnbits, lnbits_proxy, kiosk):
    """Same LNbits, same signing key, same amount and expiry: only the kiosk's own lookup tells."""
    foreign = invoice_in(lnbits, lnbits.customer.inkey)
    lnbits_proxy.on("POST", CREATE, hand_back(foreign), times=1)
    sale = charge(kiosk)
    assert_refused(kiosk, sale, "does not know this invoice", "would not reach the shop")


def test_an_invoice_with_much_less_life_than_asked_is_refused(lnbits, lnbits_proxy, kiosk):
    short = invoice_in(lnbits, lnbits.kiosk.inkey, expiry_s=30)
    lnbits_proxy.on("POST", CREATE, hand_back(short), times=1)
    sale = charge(kiosk)
    assert_refused(kiosk, sale, "expires after 30 s, the kiosk asked for 600 s")


def test_a_payment_hash_swapped_under_a_genuine_invoice_is_refused(lnbits, lnbits_proxy, kiosk):
    other = invoice_in(lnbits, lnbits.kiosk.inkey)
    lnbits_proxy.on("POST", CREATE, swap_json(lambda b: b | {"payment_hash": other["payment_hash"]}), times=1)
    sale = charge(kiosk)
    assert_refused(kiosk, sale, "payment hash differs")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"payment_hash": "ab", "payment_requ', "not JSON"),
        (b"<html><body>502 Bad Gateway</body></html>", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"payment_hash": NaN, "payment_request": Infinity}', "NaN is not a JSON number"),
        (b'{"payment_hash": 1e999}', "beyond any float"),
        (b"[]", "not a JSON object"),
    ],
)
def test_a_broken_create_answer_is_a_clean_refusal(lnbits_proxy, kiosk, body, words):
    lnbits_proxy.on("POST", CREATE, lambda _e: Reply(201, body), times=1)
    sale = charge(kiosk)
    assert_refused(kiosk, sale, words)


def test_hostile_lookups_never_make_a_sale_paid_and_the_real_payment_still_counts(
    lnbits, lnbits_proxy, kiosk
):
    """While the customer pays, lookups are nested, garbage or flooded; then honest again."""
    sale = charge(kiosk)
    assert sale.state is SaleState.AWAITING_PAYMENT, sale.error
    hostile: list[Answer] = [
        Reply(200, b"[" * 50_000),
        Reply(200, b"\xff\xfe not json"),
        Reply(200, b'{"paid": true}'),
        Flood(50_000_000, declare_length=False),
    ]
    lookup = f"{CREATE}/{sale.payment_hash}"
    answers = iter(hostile * 3)
    lnbits_proxy.on("GET", lookup, lambda _e: next(answers), times=len(hostile) * 3)
    before = len(lnbits_proxy.exchanges("GET", lookup))
    wait_until(lambda: len(lnbits_proxy.exchanges("GET", lookup)) >= before + len(hostile) * 3, 30, "lookups")
    assert kiosk.checkout.ledger.get(sale.id).state is SaleState.AWAITING_PAYMENT
    lnbits.pay(sale.invoice.bolt11)
    paid = wait_for_state(kiosk.checkout, sale.id, SaleState.PAID, SaleState.RECEIPT_PRINTED)
    assert paid.amount_received_msat == AMOUNT_MSAT


@pytest.mark.parametrize(
    "forged",
    [{"preimage": None}, {"preimage": "00" * 32}, {"preimage": "not hex"}],
    ids=["no preimage", "wrong preimage", "garbled preimage"],
)
def test_a_forged_paid_lookup_without_proof_leaves_the_sale_payable(lnbits, lnbits_proxy, kiosk, forged):
    """LNbits' own open answer, rewritten to say paid in full: only the preimage could prove it."""
    sale = charge(kiosk)
    assert sale.state is SaleState.AWAITING_PAYMENT, sale.error
    lookup = f"{CREATE}/{sale.payment_hash}"
    paid_in_full = swap_json(
        lambda body: (
            body
            | {"paid": True, "status": "success"}
            | forged
            | {"details": body["details"] | {"amount": AMOUNT_MSAT, "status": "success"} | forged}
        )
    )
    lnbits_proxy.on("GET", lookup, paid_in_full, times=5)
    before = len(lnbits_proxy.exchanges("GET", lookup))
    wait_until(lambda: len(lnbits_proxy.exchanges("GET", lookup)) >= before + 5, 30, "forged lookups")
    assert kiosk.checkout.ledger.get(sale.id).state is SaleState.AWAITING_PAYMENT
    lnbits.pay(sale.invoice.bolt11)
    paid = wait_for_state(kiosk.checkout, sale.id, SaleState.PAID, SaleState.RECEIPT_PRINTED)
    assert paid.amount_received_msat == AMOUNT_MSAT
