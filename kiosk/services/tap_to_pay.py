"""Tap to pay: a Bolt Card tapped on the reader pays the sale on screen with the kiosk's own invoice.

While a sale awaits payment, a card's link is read (by the reader, on its thread), its service
asked for a withdrawRequest, the amount and hosts checked, and the sale's own BOLT11 sent to the
callback (on checkout's workers). The sale then settles as any other: only the node's proof of
payment of that invoice makes it PAID. Every failure is news with a translated message; the
invoice stays on screen, so the customer can still scan its QR code.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain import lnurl_withdraw as lnurlw
from kiosk.domain.lnurl_withdraw import TapFailed, TapProblem, WithdrawRequest
from kiosk.domain.sale import Sale, SaleState
from kiosk.i18n import _
from kiosk.services.checkout import Checkout
from kiosk.services.tap_port import CardReader, LnurlClient

log = logging.getLogger(__name__)


class TapState(enum.StrEnum):
    READY = "ready"  # a reader is there, no tap under way
    NO_READER = "no_reader"
    PAYING = "paying"  # a card was read: its service is being asked
    PIN = "pin"  # the card's service wants the customer's PIN for this amount
    SENT = "sent"  # the service took the invoice; the payment is on its way
    FAILED = "failed"  # the tap will not pay; `message` says why and what to do


@dataclass(frozen=True)
class TapNews:
    state: TapState
    reader_present: bool
    sale_id: int | None = None
    message: str = ""  # translated, for the screen


TapListener = Callable[[TapNews], None]


@dataclass(frozen=True)
class _PinWanted:
    sale_id: int
    request: WithdrawRequest


class TapToPay:
    def __init__(
        self,
        checkout: Checkout,
        reader: CardReader,
        client: LnurlClient,
        allowed_hosts: frozenset[str] = frozenset(),
        on_tap: Callable[[], None] = lambda: None,
    ) -> None:
        """`on_tap`: immediate feedback on a read card (the buzzer); it must return at once."""
        self._checkout = checkout
        self._reader = reader
        self._client = client
        self._allowed_hosts = allowed_hosts
        self._on_tap = on_tap
        self._lock = threading.Lock()
        self._listeners: list[TapListener] = []
        self._awaiting: Sale | None = None
        self._busy: set[int] = set()  # sales with a tap under way: a second tap waits for it
        self._pin: _PinWanted | None = None
        self.reader_present = False
        checkout.subscribe(self._sale_changed)

    def subscribe(self, listener: TapListener) -> None:
        self._listeners.append(listener)

    def start(self) -> None:
        self._reader.start(self)

    def close(self) -> None:
        self._reader.close()
        self._client.close()

    # The reader's news (ReaderEvents), on its thread --------------------------------------

    def reader_changed(self, present: bool) -> None:
        self.reader_present = present
        self._tell(TapState.READY if present else TapState.NO_READER)

    def card_read(self, uri: str) -> None:
        with self._lock:
            sale = self._awaiting
            if sale is None or sale.id in self._busy:
                return  # nothing to pay, or this sale's tap is still under way
            self._busy.add(sale.id)
            self._pin = None
        self._on_tap()
        self._tell(TapState.PAYING, sale.id, _("Card read, paying…"))
        self._checkout.submit(self._pay, sale, uri)

    def card_failed(self, error: Exception) -> None:
        sale = self._awaiting
        if sale is not None:
            self._tell(TapState.FAILED, sale.id, str(error))

    # The customer's PIN, from the screen ------------------------------------------------------

    def enter_pin(self, pin: str) -> None:
        """Send the sale's invoice again with the PIN the customer typed (runs on a worker)."""
        with self._lock:
            wanted, self._pin = self._pin, None
            sale = self._awaiting
            if wanted is None or sale is None or sale.id != wanted.sale_id or sale.id in self._busy:
                return
            self._busy.add(sale.id)
        self._tell(TapState.PAYING, sale.id, _("Card read, paying…"))
        self._checkout.submit(self._send, sale, wanted.request, pin)

    # Internals (on checkout's workers) ---------------------------------------------------

    def _pay(self, sale: Sale, uri: str) -> None:
        def ask() -> None:
            card_url = lnurlw.card_request_url(uri)
            lnurlw.check_card_host(card_url, self._allowed_hosts)
            request = lnurlw.withdraw_request(self._client.get_json(card_url), card_url, self._allowed_hosts)
            lnurlw.check_amount(request, sale.amount_msat)
            if lnurlw.needs_pin(request, sale.amount_msat):
                with self._lock:
                    self._pin = _PinWanted(sale.id, request)
                self._tell(TapState.PIN, sale.id, _("Type the card's PIN"))
                return
            self._send_now(sale, request, None)

        self._guarded(sale, ask)

    def _send(self, sale: Sale, request: WithdrawRequest, pin: str) -> None:
        self._guarded(sale, lambda: self._send_now(sale, request, pin))

    def _send_now(self, sale: Sale, request: WithdrawRequest, pin: str | None) -> None:
        awaiting = self._awaiting
        if awaiting is None or awaiting.id != sale.id or sale.invoice is None:
            return  # paid by QR, cancelled or expired meanwhile: the service gets no invoice
        lnurlw.callback_accepted(
            self._client.get_json(lnurlw.callback_url(request, sale.invoice.bolt11, pin))
        )
        self._tell(TapState.SENT, sale.id, _("The card's service is paying…"))

    def _guarded(self, sale: Sale, step: Callable[[], None]) -> None:
        try:
            step()
        except TapFailed as exc:
            log.info("sale %s: tap refused: %s (%s)", sale.id, exc.message, exc.problem)
            self._tell(TapState.FAILED, sale.id, str(exc))
        except Exception as exc:  # a bug must not leave the tap hanging: the QR is still there
            log.exception("sale %s: unexpected error while paying by card", sale.id)
            failed = TapFailed(
                TapProblem.REFUSED,
                _("Unexpected error while paying by card ({error})").format(error=type(exc).__name__),
            )
            self._tell(TapState.FAILED, sale.id, str(failed))
        finally:
            with self._lock:
                self._busy.discard(sale.id)

    def _sale_changed(self, sale: Sale) -> None:
        with self._lock:
            if sale.state is SaleState.AWAITING_PAYMENT:
                self._awaiting = sale
            elif self._awaiting is not None and self._awaiting.id == sale.id:
                self._awaiting = None
                self._pin = None

    def _tell(self, state: TapState, sale_id: int | None = None, message: str = "") -> None:
        news = TapNews(state, self.reader_present, sale_id, message)
        for listener in self._listeners:
            try:
                listener(news)
            except Exception:
                log.exception("tap listener failed")
