"""Tap to pay on the real screen: the invoice says "scan or tap", a tap says at once that it is
paying, a refusal says why while the QR stays up, and a PIN the service asks for is typed on a pad.
The demo node mints the invoices; the card's service pays them through it."""

from __future__ import annotations

import bolt11
import pytest

from kiosk.config import NfcConfig
from kiosk.domain.sale import SaleState
from kiosk.ui import routing, strings
from kiosk.ui.screens.card_pin import CardPinView
from tests.doubles.boltcard import BoltCardService
from tests.support.vpcd import READER, VirtualCard, uri_message
from tests.ui.conftest import headless_kiosk, scratch_config

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def issuer(tmp_path_factory):
    paying: list = []  # the demo node, once the kiosk is up
    service = BoltCardService(
        tmp_path_factory.mktemp("issuer"), lambda pr: paying[0].pay(bolt11.decode(pr).payment_hash)
    ).start()
    service.paying = paying
    yield service
    service.kill()


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory, pcscd, issuer):
    folder = tmp_path_factory.mktemp("kiosk")
    nfc = NfcConfig(enabled=True, reader=READER, ca_cert_file=issuer.ca_file)
    with headless_kiosk(scratch_config(folder, nfc=nfc)) as driver:
        issuer.paying.append(driver.services.backend)
        driver.wait_until(lambda: driver.services.tap.reader_present, "the reader")
        yield driver


@pytest.fixture
def d(kiosk, issuer):
    issuer.max_msat, issuer.pin_limit_msat = 100_000_000, None
    kiosk.app.controller.new_sale()
    kiosk.app.controller.show_keypad()
    kiosk.wait_for_screen(routing.KEYPAD)
    return kiosk


def charge(d, amount: str):
    d.enter_amount(amount)
    d.charge()
    d.wait_for_screen(routing.INVOICE)
    return d.app.controller.followed


def prompt(d) -> str:
    return d.get(routing.INVOICE, "prompt").text


def tap(d, pcscd, link: str) -> None:
    card = VirtualCard(pcscd, uri_message(link)).tap()
    d.wait_until(card.done.is_set, "the reader to read the card")
    card.remove()


def test_a_tap_pays_the_invoice_on_screen(d, pcscd, issuer):
    sale = charge(d, "250")
    assert prompt(d) == strings.SCAN_OR_TAP
    tap(d, pcscd, issuer.issue().tap())
    d.wait_for_screen(routing.PAID, timeout_s=15)
    assert d.services.ledger.get(sale.id).amount_received_msat == sale.amount_msat


def test_a_refused_tap_says_why_and_the_qr_stays(d, pcscd, issuer):
    issuer.max_msat = 1_000  # 1 sat per payment: too low for any sale here
    sale = charge(d, "300")
    payload = d.get(routing.INVOICE, "qr").payload
    tap(d, pcscd, issuer.issue().tap())
    d.wait_until(lambda: "at most 1 sats" in prompt(d), "the refusal on screen")
    assert d.app.root.get_screen(routing.INVOICE).tap_alarm
    assert d.screen == routing.INVOICE and d.get(routing.INVOICE, "qr").payload == payload
    d.tap(d.get(routing.INVOICE, "simulate"))  # the customer scans the QR code instead
    d.wait_for_screen(routing.PAID)
    assert d.services.ledger.get(sale.id).state in (SaleState.PAID, SaleState.RECEIPT_PRINTED)


def test_the_pin_pad_sends_the_pin_the_service_asks_for(d, pcscd, issuer):
    issuer.pin_limit_msat = 1_000
    charge(d, "400")
    tap(d, pcscd, issuer.issue().tap())
    d.wait_until(lambda: any(isinstance(w, CardPinView) for w in d.app.root_window.children), "the PIN pad")
    pad = next(w for w in d.app.root_window.children if isinstance(w, CardPinView))
    for key in "1234":
        d.tap(next(b for b in pad.ids.grid.children if b.text == key))
    assert pad.dots
    d.tap(pad.ids.pay)
    d.wait_for_screen(routing.PAID, timeout_s=15)


def test_an_unplugged_reader_is_said_on_the_invoice(d, pcscd):
    charge(d, "150")
    pcscd.stop()
    try:
        d.wait_until(lambda: prompt(d) == strings.CARD_READER_MISSING, "the missing reader on screen")
    finally:
        pcscd.start()
    d.wait_until(lambda: prompt(d) == strings.SCAN_OR_TAP, "the reader back on screen")
    assert d.services.tap.reader_present
