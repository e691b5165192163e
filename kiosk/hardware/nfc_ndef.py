"""Reading a Bolt Card's NDEF link over ISO 7816-4 APDUs (NFC Forum Type 4 Tag), and decoding it.

A Bolt Card (NTAG 424 DNA) keeps its link in the NDEF file of the NDEF application: SELECT the
application D2760000850101, SELECT its file E104, then READ BINARY: the first two bytes are the
message length (NLEN), the NDEF message follows. `transmit` is the reader's: it sends one APDU
and returns the answer's data and status word, so this runs the same over PC/SC or a UART reader.
"""

from __future__ import annotations

from collections.abc import Callable

import ndef

from kiosk.domain.lnurl_withdraw import TapFailed, TapProblem, not_a_bolt_card
from kiosk.i18n import _

Transmit = Callable[[list[int]], tuple[list[int], int]]  # APDU -> (data, SW1 << 8 | SW2)

NDEF_APPLICATION = [0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01]
SELECT_APPLICATION = [0x00, 0xA4, 0x04, 0x00, len(NDEF_APPLICATION), *NDEF_APPLICATION, 0x00]
SELECT_NDEF_FILE = [0x00, 0xA4, 0x00, 0x0C, 0x02, 0xE1, 0x04]
SW_OK = 0x9000
CHUNK = 0xF0  # bytes per READ BINARY: within every reader's short APDU
MAX_NDEF_BYTES = 1024  # a Bolt Card's link is about 100; NTAG 424 DNA's file holds 256


def unreadable(why: str) -> TapFailed:
    return TapFailed(
        TapProblem.UNREADABLE,
        _("The card could not be read ({why})").format(why=why),
        _("Hold the card flat on the reader until it beeps, or scan the QR code with a wallet"),
    )


def read_binary(offset: int, length: int) -> list[int]:
    return [0x00, 0xB0, offset >> 8, offset & 0xFF, length]


def read_ndef_message(transmit: Transmit) -> bytes:
    """The card's NDEF message, or TapFailed: not a Type 4 NDEF card, or read badly."""
    _data, sw = transmit(SELECT_APPLICATION)
    if sw != SW_OK:
        raise not_a_bolt_card(_("no NDEF application"))
    _data, sw = transmit(SELECT_NDEF_FILE)
    if sw != SW_OK:
        raise not_a_bolt_card(_("no NDEF file"))
    head, sw = transmit(read_binary(0, 2))
    if sw != SW_OK or len(head) != 2:
        raise unreadable(_("status {sw:04X}").format(sw=sw))
    length = head[0] << 8 | head[1]
    if not 0 < length <= MAX_NDEF_BYTES:
        raise not_a_bolt_card(_("an empty or oversized NDEF file"))
    message = bytearray()
    while len(message) < length:
        want = min(CHUNK, length - len(message))
        chunk, sw = transmit(read_binary(2 + len(message), want))
        if sw != SW_OK or not chunk:
            raise unreadable(_("status {sw:04X}").format(sw=sw))
        message += bytes(chunk[:want])
    return bytes(message)


def uri_of(message: bytes) -> str:
    """The first URI record's link (the Bolt Card's lnurlw://…)."""
    try:
        for record in ndef.message_decoder(message):
            if isinstance(record, ndef.UriRecord):
                return record.iri  # as written; ndeflib's `.uri` escapes the query's = and &
    except ndef.DecodeError:
        raise unreadable(_("a broken NDEF message")) from None
    raise not_a_bolt_card(_("no link on it"))
