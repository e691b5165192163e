"""Tap to pay end to end: a virtual Bolt Card on the virtual reader, its issuer on loopback paying
through a real LNbits, the kiosk's own checkout watching its own invoice settle."""

import hashlib
from collections.abc import Iterator

import pytest

from kiosk.domain.sale import SaleState
from kiosk.services.tap_to_pay import TapState
from tests.nfc.kiosk_rig import TapKiosk
from tests.support.vpcd import VirtualCard, uri_message
from tests.support.wait import wait_until

S = SaleState
PAID_STATES = (S.PAID, S.RECEIPT_PRINTED)


@pytest.fixture
def kiosk(tmp_path, lnbits, pcscd, issuer) -> Iterator[TapKiosk]:
    rig = TapKiosk(tmp_path, lnbits, issuer)
    yield rig
    rig.close()


def tap(pcscd, link: str) -> None:
    """The customer holds the card to the reader, then takes it away."""
    VirtualCard(pcscd, uri_message(link)).tap().held_until_read().remove()


def paid(kiosk: TapKiosk, sale) -> None:
    wait_until(lambda: kiosk.state(sale) in PAID_STATES, 15, f"sale {sale.id} to be paid")


def pays_by_tap(kiosk: TapKiosk, pcscd, link: str, sale) -> None:
    """A tap that the card's service takes, and the sale then paid."""
    tap(pcscd, link)
    kiosk.next_news(TapState.PAYING)
    assert kiosk.next_news(TapState.SENT).sale_id == sale.id
    paid(kiosk, sale)


def refused_tap(kiosk: TapKiosk, pcscd, link: str) -> str:
    """A tap that is read, then refused: the message on screen."""
    tap(pcscd, link)
    kiosk.next_news(TapState.PAYING)
    return kiosk.next_news(TapState.FAILED).message


def test_a_tapped_card_pays_the_sale_with_the_kiosks_own_invoice(kiosk, pcscd, issuer):
    card = issuer.issue()
    sale = kiosk.charge(2_100)
    tap(pcscd, card.tap())
    assert kiosk.next_news(TapState.PAYING).message == "Card read, paying…"
    assert kiosk.next_news(TapState.SENT).sale_id == sale.id
    paid(kiosk, sale)
    done = kiosk.checkout.ledger.get(sale.id)
    assert done.amount_received_msat == 2_100_000
    assert hashlib.sha256(bytes.fromhex(done.preimage)).hexdigest() == sale.payment_hash
    assert issuer.paid == [sale.invoice.bolt11]


def test_a_replayed_tap_is_refused_and_the_sale_stays_payable_by_qr(kiosk, pcscd, issuer, lnbits):
    card = issuer.issue()
    link = card.tap()
    first = kiosk.charge(1_000)
    pays_by_tap(kiosk, pcscd, link, first)

    second = kiosk.charge(1_000)
    refused = refused_tap(kiosk, pcscd, link)  # the same p and c again: a copied or replayed link
    assert "this tap was already used" in refused and "QR code" in refused
    assert kiosk.state(second) is S.AWAITING_PAYMENT
    lnbits.pay(second.invoice.bolt11)  # the customer scans the QR code instead
    paid(kiosk, second)
    assert issuer.paid == [first.invoice.bolt11]


def test_an_older_tap_is_refused_and_the_next_genuine_one_pays(kiosk, pcscd, issuer):
    card = issuer.issue()
    older, newer = card.tap(), card.tap()
    first = kiosk.charge(500)
    pays_by_tap(kiosk, pcscd, newer, first)
    second = kiosk.charge(500)
    assert "already used" in refused_tap(kiosk, pcscd, older)  # a counter below the one the service saw
    pays_by_tap(kiosk, pcscd, card.tap(), second)


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda issuer: setattr(issuer, "max_msat", 1_000_000), "at most 1,000 sats"),
        (lambda issuer: setattr(issuer, "callback_host", "localhost"), "another site (localhost)"),
        (lambda issuer: issuer.kill(), "cannot be reached"),
    ],
    ids=["limit too low", "callback elsewhere", "service down"],
)
def test_a_refused_tap_says_why_and_leaves_the_sale_payable(kiosk, pcscd, issuer, lnbits, setup, words):
    card = issuer.issue()
    sale = kiosk.charge(2_000)
    setup(issuer)
    message = refused_tap(kiosk, pcscd, card.tap())
    assert words in message, message
    assert kiosk.state(sale) is S.AWAITING_PAYMENT and issuer.paid == []
    lnbits.pay(sale.invoice.bolt11)
    paid(kiosk, sale)


def test_a_card_that_is_not_a_bolt_card_says_so(kiosk, pcscd):
    sale = kiosk.charge(800)
    assert "not a Bolt Card" in refused_tap(kiosk, pcscd, "https://example.com/menu")  # no service asked
    card = VirtualCard(pcscd, None).tap()  # no NDEF application at all: the reader says so
    assert "not a Bolt Card" in kiosk.next_news(TapState.FAILED).message
    card.remove()
    assert kiosk.state(sale) is S.AWAITING_PAYMENT


def test_the_pin_the_service_asks_for_is_sent_with_the_invoice(kiosk, pcscd, issuer):
    issuer.pin_limit_msat = 1_000_000
    card = issuer.issue()
    sale = kiosk.charge(1_500)
    tap(pcscd, card.tap())
    kiosk.next_news(TapState.PAYING)
    kiosk.next_news(TapState.PIN)
    kiosk.tap.enter_pin("0000")
    kiosk.next_news(TapState.PAYING)
    assert "wrong PIN" in kiosk.next_news(TapState.FAILED).message
    tap(pcscd, card.tap())
    kiosk.next_news(TapState.PAYING)
    kiosk.next_news(TapState.PIN)
    kiosk.tap.enter_pin("1234")
    kiosk.next_news(TapState.PAYING)
    kiosk.next_news(TapState.SENT)
    paid(kiosk, sale)


def test_a_tap_with_no_sale_on_screen_does_nothing(kiosk, pcscd, issuer):
    card = issuer.issue()
    sale = kiosk.charge(600)
    kiosk.checkout.cancel(sale.id)
    tap(pcscd, card.tap())
    with pytest.raises(AssertionError, match="no tap news"):
        kiosk.next_news(TapState.PAYING, timeout=1.0)
    assert issuer.exchanges == []  # the card's service was not even asked
