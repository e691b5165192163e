"""A USB NFC reader through PC/SC (pcscd and pyscard): ACR122U, Identiv uTrust 3700F and the like.

One thread waits in SCardGetStatusChange, so a card is seen the moment it is tapped; the reader
list is read again every `POLL_S`, so a reader unplugged and plugged back in (or pcscd
restarted) is found again by itself. A card is read once per tap: it must leave the reader
before it is read again.
"""

from __future__ import annotations

import logging
import threading

from kiosk.domain.lnurl_withdraw import TapFailed
from kiosk.hardware.nfc_ndef import read_ndef_message, unreadable, uri_of
from kiosk.i18n import _
from kiosk.services.tap_port import ReaderEvents

log = logging.getLogger(__name__)

POLL_S = 0.5  # how soon a plugged-in reader is found
RETRY_S = 1.0  # after pcscd could not be reached


class _PcscGone(Exception):
    """pcscd stopped or cannot be reached: start a new context after a pause."""


class PcscReader:
    def __init__(self, name: str = "") -> None:
        """`name`: part of the reader's PC/SC name to use (`nfc.reader`); empty: the first reader."""
        from smartcard import scard  # pyscard: installed by `scripts/bootstrap.sh MODE nfc`

        self._scard = scard
        self._name = name.lower()
        self._stop = threading.Event()
        self._context: int | None = None
        self._thread: threading.Thread | None = None
        self._present = False

    def start(self, events: ReaderEvents) -> None:
        self._thread = threading.Thread(target=self._run, args=(events,), name="nfc-pcsc", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        context = self._context
        if context is not None:
            self._scard.SCardCancel(context)  # ends a SCardGetStatusChange under way
        if self._thread is not None:
            self._thread.join(5)

    def readers_now(self) -> list[str] | None:
        """The matching reader pcscd sees now ([] if none), or None when pcscd does not answer (doctor)."""
        scard = self._scard
        result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if result != scard.SCARD_S_SUCCESS:
            return None
        try:
            return self._readers(context)
        except _PcscGone:
            return None
        finally:
            scard.SCardReleaseContext(context)

    # The thread --------------------------------------------------------------------------------

    def _run(self, events: ReaderEvents) -> None:
        while not self._stop.is_set():
            try:
                self._session(events)
            except _PcscGone as exc:
                log.info("PC/SC: %s", exc)
            except Exception:
                log.exception("PC/SC reader thread failed; starting again")
            self._set_present(events, False)
            self._stop.wait(RETRY_S)

    def _session(self, events: ReaderEvents) -> None:
        scard = self._scard
        result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        self._check(result, "SCardEstablishContext")
        self._context = context
        try:
            states: dict[str, int] = {}
            while not self._stop.is_set():
                readers = self._readers(context)
                self._set_present(events, bool(readers))
                states = {reader: states.get(reader, scard.SCARD_STATE_UNAWARE) for reader in readers}
                if not readers:
                    self._stop.wait(POLL_S)
                    continue
                result, changes = scard.SCardGetStatusChange(
                    context, int(POLL_S * 1000), list(states.items())
                )
                if result in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_CANCELLED):
                    continue
                self._check(result, "SCardGetStatusChange")
                for reader, event_state, _atr in changes:
                    before = states.get(reader, scard.SCARD_STATE_UNAWARE)
                    states[reader] = event_state & ~scard.SCARD_STATE_CHANGED
                    if self._tapped(before, event_state):
                        self._read(context, reader, event_state, events)
        finally:
            self._context = None
            scard.SCardReleaseContext(context)

    def _readers(self, context: int) -> list[str]:
        result, readers = self._scard.SCardListReaders(context, [])
        if result == self._scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        self._check(result, "SCardListReaders")
        matching = [reader for reader in readers if self._name in reader.lower()]
        return matching[:1]

    def _tapped(self, before: int, now: int) -> bool:
        present = self._scard.SCARD_STATE_PRESENT
        return bool(now & present) and not before & present

    def _read(self, context: int, reader: str, state: int, events: ReaderEvents) -> None:
        scard = self._scard
        if state & scard.SCARD_STATE_MUTE:
            events.card_failed(unreadable(_("it does not answer")))
            return
        result, card, protocol = scard.SCardConnect(
            context, reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        if result != scard.SCARD_S_SUCCESS:
            events.card_failed(unreadable(scard.SCardGetErrorMessage(result)))
            return

        def transmit(apdu: list[int]) -> tuple[list[int], int]:
            sent, answer = scard.SCardTransmit(card, protocol, apdu)
            if sent != scard.SCARD_S_SUCCESS or len(answer) < 2:
                raise unreadable(_("the card left the reader"))
            return answer[:-2], answer[-2] << 8 | answer[-1]

        try:
            uri = uri_of(read_ndef_message(transmit))
        except TapFailed as exc:
            events.card_failed(exc)
            return
        finally:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
        events.card_read(uri)

    def _set_present(self, events: ReaderEvents, present: bool) -> None:
        if present != self._present:
            self._present = present
            events.reader_changed(present)

    def _check(self, result: int, call: str) -> None:
        if result != self._scard.SCARD_S_SUCCESS:
            raise _PcscGone(f"{call}: {self._scard.SCardGetErrorMessage(result)}")
