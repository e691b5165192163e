"""A NIP-47 wallet service on a real relay, as ../shared/specs/nostr/nip-47.md (and contracts/nwc.toml) say.

It holds the wallet's keys and an InvoiceBook (genuine signed regtest BOLT11
invoices), publishes its info event (13194), and answers requests (23194)
from the connection's key with replies (23195) tagged `p` (the client) and
`e` (the request), encrypted with the scheme the request names; it ignores
requests past their `expiration`, answers UNAUTHORIZED to other keys and
UNSUPPORTED_ENCRYPTION to a scheme it does not offer. `pay()` settles an
invoice and sends `payment_received` (23197 with NIP-44, and 23196 with
NIP-04 when it offers both). Test hooks: drop notifications, answer error
codes, answer garbage, forge 'paid' (BookHooks), and a hook before each reply.
All Nostr crypto is nostr-sdk's.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from urllib.parse import quote

import websocket
from nostr_sdk import (
    ClientMessage,
    Event,
    EventBuilder,
    Filter,
    Keys,
    Kind,
    Nip44Version,
    NostrSdkError,
    RelayMessage,
    RelayMessageEnum,
    Tag,
    nip04_decrypt,
    nip04_encrypt,
    nip44_decrypt,
    nip44_encrypt,
)

from tests.doubles.invoices import BookHooks, InvoiceBook, StoredInvoice
from tests.doubles.specs import table

RECEIVE_ONLY = ("make_invoice", "lookup_invoice", "get_info")


class NwcWallet(BookHooks):
    def __init__(self, relay_url: str, encryption: tuple[str, ...] = ("nip44_v2", "nip04")) -> None:
        self.relay_url = relay_url
        self.book = InvoiceBook()
        self.keys = Keys.generate()  # the wallet service's
        self.client = Keys.generate()  # the connection's secret, which the URI hands to the kiosk
        self.encryption = encryption
        self.methods = [*RECEIVE_ONLY, "notifications"]
        self.garbage = False  # answer with bytes that are neither encrypted nor JSON
        self.drop_notifications = False
        self.mute = False  # take requests, answer none
        self.errors: list[str] = []  # error codes for the next requests, one each
        self.before_reply: Callable[[Event], None] | None = None  # sees each request before its reply
        self.requests: list[tuple[Event, dict]] = []  # each request, with its decrypted content
        self.sent: list[dict] = []  # each reply and notification, before encryption
        self.connected = threading.Event()
        self._ws: websocket.WebSocket | None = None
        self._send_lock = threading.Lock()
        self._stop = threading.Event()
        threading.Thread(target=self._run, name="nwc-wallet", daemon=True).start()

    def uri(self, relay_url: str | None = None) -> str:
        relay = quote(relay_url or self.relay_url, safe="")
        return f"nostr+walletconnect://{self.keys.public_key().to_hex()}?relay={relay}&secret={self.client.secret_key().to_hex()}"

    def close(self) -> None:
        self._stop.set()
        self._hang_up()

    # A customer pays ------------------------------------------------------------------

    def pay(self, payment_hash: str, amount_msat: int | None = None) -> None:
        self.book.pay(payment_hash, amount_msat)
        invoice = self.book.get(payment_hash)
        if self.drop_notifications or invoice is None:
            return
        notification = {"notification_type": "payment_received", "notification": self._tx(invoice)}
        self.sent.append(notification)
        note = json.dumps(notification)
        kinds = [(23197, "nip44_v2")] if "nip44_v2" in self.encryption else []
        kinds += [(23196, "nip04")] if "nip04" in self.encryption else []
        for kind, scheme in kinds:  # sent once, whoever listens: lost if nobody does
            content = self._encrypt(scheme, self.client.public_key(), note)
            self._publish(EventBuilder(Kind(kind), content).tags([Tag.public_key(self.client.public_key())]))

    # The relay connection -----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                ws = websocket.create_connection(self.relay_url, timeout=5, enable_multithread=True)
            except (OSError, websocket.WebSocketException):
                self._stop.wait(0.1)  # the relay is down: try again, as a wallet service would
                continue
            self._ws = ws
            try:
                self._serve(ws)
            except (OSError, websocket.WebSocketException):
                pass
            finally:
                self.connected.clear()
                self._hang_up()

    def _serve(self, ws: websocket.WebSocket) -> None:
        tags = [Tag.parse(["notifications", "payment_received"])]
        if self.encryption != ("nip04",):  # a NIP-04-only wallet predates the tag
            tags.append(Tag.parse(["encryption", " ".join(self.encryption)]))
        self._publish(EventBuilder(Kind(13194), " ".join(self.methods)).tags(tags))
        wanted = Filter().kinds([Kind(23194)]).pubkey(self.keys.public_key())
        ws.send(ClientMessage.req("wallet", wanted).as_json())
        ws.settimeout(None)
        while True:
            message = RelayMessage.from_json(ws.recv()).as_enum()
            if isinstance(message, RelayMessageEnum.END_OF_STORED_EVENTS):
                self.connected.set()
            elif isinstance(message, RelayMessageEnum.EVENT_MSG) and message.event.verify():
                threading.Thread(target=self._answer, args=(message.event,), daemon=True).start()

    def _hang_up(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            with contextlib.suppress(OSError, websocket.WebSocketException):
                ws.abort()
                ws.shutdown()

    def _publish(self, builder: EventBuilder) -> None:
        event = builder.finalize(self.keys)
        with contextlib.suppress(OSError, websocket.WebSocketException, AttributeError), self._send_lock:
            self._ws.send(ClientMessage.event(event).as_json())  # type: ignore[union-attr]

    # Requests -------------------------------------------------------------------------------

    def _answer(self, request: Event) -> None:
        tags = {t.to_vec()[0]: t.to_vec()[1:] for t in request.tags()}
        expiration = tags.get("expiration")
        if expiration and int(expiration[0]) < time.time():
            return  # NIP-47: a request received after its expiration is ignored
        scheme = (tags.get("encryption") or ["nip04"])[0]
        author = request.author()
        if scheme not in self.encryption:
            return self._reply(request, "nip04", self._error("", "UNSUPPORTED_ENCRYPTION", scheme))
        try:
            asked = json.loads(self._decrypt(scheme, author, request.content()))
        except (NostrSdkError, ValueError):
            return
        method = asked.get("method", "")
        self.requests.append((request, asked))
        if author.to_hex() != self.client.public_key().to_hex():
            return self._reply(request, scheme, self._error(method, "UNAUTHORIZED", "no wallet connected"))
        if self.before_reply is not None:
            self.before_reply(request)
        if self.mute:
            return
        if self.errors:
            return self._reply(request, scheme, self._error(method, self.errors.pop(0), "as the test said"))
        if method not in self.methods:
            return self._reply(request, scheme, self._error(method, "RESTRICTED", "not permitted"))
        answer = self._result(method, asked.get("params") or {})
        self._reply(request, scheme, answer)

    def _result(self, method: str, params: dict) -> dict:
        if method == "make_invoice":
            invoice = self.book.mint(
                params["amount"], params.get("description", ""), params.get("expiry", 86400)
            )
            return {"result_type": method, "error": None, "result": self._tx(invoice)}
        if method == "lookup_invoice":
            invoice = self.book.get(params.get("payment_hash", ""))
            if invoice is None:
                return self._error(method, "NOT_FOUND", "no such invoice")
            return {"result_type": method, "error": None, "result": self._tx(invoice, lookup=True)}
        if method == "get_info":
            result = {
                "alias": "double",
                "color": "#3399ff",
                "pubkey": self.book.pubkey,
                "network": "regtest",
                "block_height": 800_000,
                "block_hash": "00" * 32,
                "methods": [m for m in self.methods if m != "notifications"],
                "notifications": ["payment_received"],
            }
            return {"result_type": method, "error": None, "result": result}
        return self._error(method, "NOT_IMPLEMENTED", "unknown method")

    def _tx(self, invoice: StoredInvoice, lookup: bool = False) -> dict:
        """A transaction object as lookup_invoice and payment_received carry it."""
        preimage, paid_msat = invoice.preimage, invoice.paid_msat
        state = "settled" if invoice.is_paid else "expired" if invoice.is_expired() else "pending"
        if lookup and self.book.forgery is not None and not invoice.is_paid:
            preimage, paid_msat = self.book.forgery.fields(invoice.preimage, invoice.amount_msat)
            state = "settled"
        tx = {
            "type": "incoming",
            "state": state,
            "invoice": invoice.bolt11,
            "description": invoice.memo,
            "payment_hash": invoice.payment_hash,
            "amount": paid_msat if state == "settled" else invoice.amount_msat,
            "fees_paid": 0,
            "created_at": invoice.created_at,
            "expires_at": invoice.expires_at,
            "metadata": {},
        }
        if state == "settled":
            tx |= {"settled_at": invoice.paid_at or int(time.time())}
            if preimage is not None:
                tx["preimage"] = preimage
        return tx

    @staticmethod
    def _error(method: str, code: str, message: str) -> dict:
        nwc = table("nwc")
        assert code in nwc["errors"]["codes"] + nwc["method"].get(method, {}).get("errors", []), code
        return {"result_type": method, "error": {"code": code, "message": message}, "result": None}

    def _reply(self, request: Event, scheme: str, answer: dict) -> None:
        author = request.author()
        self.sent.append(answer)
        text = (
            "<!doctype html><p>502 Bad Gateway"
            if self.garbage
            else self._encrypt(scheme, author, json.dumps(answer))
        )
        tags = [Tag.public_key(author), Tag.event(request.id())]
        self._publish(EventBuilder(Kind(23195), text).tags(tags))

    def _encrypt(self, scheme: str, to, text: str) -> str:
        if scheme == "nip44_v2":
            return nip44_encrypt(self.keys.secret_key(), to, text, Nip44Version.V2)
        return nip04_encrypt(self.keys.secret_key(), to, text)

    def _decrypt(self, scheme: str, author, payload: str) -> str:
        if scheme == "nip44_v2":
            return nip44_decrypt(self.keys.secret_key(), author, payload)
        return nip04_decrypt(self.keys.secret_key(), author, payload)
