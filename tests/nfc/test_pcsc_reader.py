"""The PC/SC reader adapter on a virtual reader (pcscd + vsmartcard-vpcd) with a scripted card."""

from collections.abc import Iterator

import ndef
import pytest

from kiosk.domain.lnurl_withdraw import TapProblem
from kiosk.hardware.nfc_pcsc import PcscReader
from tests.nfc.readers import Heard
from tests.support.vpcd import READER, Pcscd, VirtualCard, uri_message

LINK = "lnurlw://card.example.com/ln?p=4E2E289D945A66BB13377A728884E867&c=E19CCB1FED8892CE"


@pytest.fixture
def heard(pcscd: Pcscd) -> Iterator[Heard]:
    heard = Heard()
    reader = PcscReader(READER)
    reader.start(heard)
    assert heard.next() == ("reader", True)
    yield heard
    reader.close()


def tap(pcscd: Pcscd, message: bytes | None, **kwargs) -> VirtualCard:
    return VirtualCard(pcscd, message, **kwargs).tap()


def test_a_tapped_card_is_read_once_until_it_leaves(pcscd, heard):
    card = tap(pcscd, uri_message(LINK))
    assert heard.next() == ("read", LINK)
    assert [apdu.hex() for apdu, _answer in card.apdus[:2]] == [
        "00a4040007d276000085010100",
        "00a4000c02e104",
    ]
    assert heard.quiet(1.0)  # still on the reader: not read again
    card.remove()
    card = tap(pcscd, uri_message(LINK + "&n=2"))
    assert heard.next() == ("read", LINK + "&n=2")
    card.remove()


def test_a_long_link_is_read_in_chunks(pcscd, heard):
    long_link = LINK + "&pad=" + "x" * 600
    card = tap(pcscd, uri_message(long_link))
    assert heard.next() == ("read", long_link)
    assert len([a for a, _ in card.apdus if a[1] == 0xB0]) == 4  # NLEN, then 3 reads of up to 240 bytes
    card.remove()


def test_a_card_with_no_ndef_application_is_not_a_bolt_card(pcscd, heard):
    card = tap(pcscd, None)
    assert heard.next_failure().problem is TapProblem.NOT_BOLT_CARD
    card.remove()


def test_an_ndef_card_without_a_link_is_not_a_bolt_card(pcscd, heard):
    card = tap(pcscd, b"".join(ndef.message_encoder([ndef.TextRecord("hello")])))
    assert heard.next_failure().problem is TapProblem.NOT_BOLT_CARD
    card.remove()


def test_a_card_pulled_away_while_read_is_unreadable(pcscd, heard):
    card = tap(pcscd, uri_message(LINK), mute_after=2)
    assert heard.next_failure().problem is TapProblem.UNREADABLE
    card.remove()


def test_a_reader_that_goes_away_and_comes_back_is_found_again(pcscd, heard):
    pcscd.stop()
    assert heard.next() == ("reader", False)
    pcscd.start()
    assert heard.next() == ("reader", True)
    card = tap(pcscd, uri_message(LINK))
    assert heard.next() == ("read", LINK)
    card.remove()


def test_no_matching_reader_means_no_reader(pcscd):
    heard = Heard()
    reader = PcscReader("ACR122U")
    reader.start(heard)
    try:
        assert heard.quiet(1.5)  # never says a reader is there
    finally:
        reader.close()
