"""The ports of tap to pay: an NFC card reader, and the HTTPS client that talks to a card's service.

Adapters implement them (kiosk/hardware/nfc_*.py, kiosk/hardware/lnurl_http.py); the flow in
kiosk/services/tap_to_pay.py uses them and knows neither PC/SC nor HTTP.
"""

from __future__ import annotations

from typing import Protocol


class ReaderEvents(Protocol):
    """What a reader tells; called on the reader's own thread, so each returns at once."""

    def reader_changed(self, present: bool) -> None:
        """A reader was found (at start, or plugged back in) or lost (unplugged, pcscd gone)."""

    def card_read(self, uri: str) -> None:
        """A card was tapped and its NDEF URI record read."""

    def card_failed(self, error: Exception) -> None:
        """A card was tapped but could not be read (a TapFailed saying why)."""


class CardReader(Protocol):
    def start(self, events: ReaderEvents) -> None:
        """Watch for the reader and for cards on a thread of its own, until close()."""

    def close(self) -> None: ...


class LnurlClient(Protocol):
    def get_json(self, url: str) -> object:
        """GET an https URL (TLS verified, the answer bounded in size and time) and parse its JSON.

        Raises TapFailed(SERVICE_DOWN) when the service cannot be reached or answers too slowly,
        and TapFailed(REFUSED) for an answer that is no JSON at all.
        """

    def close(self) -> None: ...
