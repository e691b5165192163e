"""An LND REST gateway double: the lnd 0.21 wire format, checked in test_spec_conformance.py.

protojson with EmitUnpopulated and snake_case names: every field present,
int64 as strings, bytes as base64, unset messages as null. Macaroon failures
are HTTP 500 / gRPC code 2 like lnd's; unknown request fields are refused.
Each macaroon holds lnd's permissions (entity:action); a call outside them
gets lnd's "permission denied".
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.doubles import lnd_info as info
from tests.doubles.invoices import BookHooks, InvoiceBook, StoredInvoice
from tests.doubles.server import HttpsDouble, JsonHandler
from tests.doubles.tls import node_tls

ADD_INVOICE_FIELDS = {
    "memo", "r_preimage", "r_hash", "value", "value_msat", "settled", "creation_date", "settle_date",
    "payment_request", "description_hash", "expiry", "fallback_addr", "cltv_expiry", "route_hints",
    "private", "add_index", "settle_index", "amt_paid", "amt_paid_sat", "amt_paid_msat", "state",
    "htlcs", "features", "is_keysend", "payment_addr", "is_amp", "amp_invoice_state", "is_blinded",
    "blinded_path_config",
}  # fmt: skip


def _b64(hex_value: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_value)).decode()


def _status(code: int, message: str) -> dict:
    return {"code": code, "message": message, "details": []}


def _query_bytes(value: str) -> bytes:
    """A `bytes` query value as grpc-gateway reads it: standard base64, else URL-safe."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return base64.urlsafe_b64decode(value)


class LndDouble(BookHooks, HttpsDouble):
    """Test hooks: pay(), kill()/restart(), drop_streams(), duplicate_events, inbound_msat,
    book.amount_offset_msat."""

    def __init__(self, folder: Path) -> None:
        tls = node_tls(folder, "lnd")
        super().__init__(_LndHandler, tls.context)
        self.tls_cert_file = tls.cert_file
        self.book = InvoiceBook()
        self.admin_macaroon = secrets.token_bytes(48)
        self.invoice_macaroon = secrets.token_bytes(48)  # lnd's invoice.macaroon
        self.kiosk_macaroon = secrets.token_bytes(48)  # baked: invoices, info:read, offchain:read
        self.permissions = {
            self.admin_macaroon: info.ADMIN_PERMISSIONS,
            self.invoice_macaroon: info.INVOICE_PERMISSIONS,
            self.kiosk_macaroon: info.KIOSK_PERMISSIONS,
        }
        self.inbound_msat = 1_500_000_000  # test hook: ChannelBalance's remote_balance
        self.synced = True
        self.duplicate_events = False  # test hook: every stream message is sent twice
        self.stream_error: str | None = None  # test hook: the stream breaks with this gRPC error

    def invoice_json(self, invoice: StoredInvoice) -> dict:
        now = time.time()
        settled = invoice.is_paid
        state = "SETTLED" if settled else "CANCELED" if invoice.is_expired(now) else "OPEN"
        paid = invoice.paid_msat if settled else 0
        preimage = invoice.preimage
        if self.book.forgery is not None and not settled:
            forged, paid = self.book.forgery.fields(invoice.preimage, invoice.amount_msat)
            preimage, settled, state = forged or "", True, "SETTLED"
        htlcs = []
        if invoice.is_paid:
            htlcs.append(
                {
                    "chan_id": "1357911131517",
                    "htlc_index": str(invoice.pay_index),
                    "amt_msat": str(paid),
                    "accept_height": info.BLOCK_HEIGHT,
                    "accept_time": str(invoice.paid_at),
                    "resolve_time": str(invoice.paid_at),
                    "expiry_height": info.BLOCK_HEIGHT + 80,
                    "state": "SETTLED",
                    "custom_records": {},
                    "mpp_total_amt_msat": str(paid),
                    "amp": None,
                    "custom_channel_data": "",
                }
            )
        return {
            "memo": invoice.memo,
            "r_preimage": _b64(preimage),
            "r_hash": _b64(invoice.payment_hash),
            "value": str(invoice.amount_msat // 1000),
            "value_msat": str(invoice.amount_msat),
            "settled": settled,
            "creation_date": str(invoice.created_at),
            "settle_date": str(invoice.paid_at or (int(now) if settled else 0)),
            "payment_request": invoice.bolt11,
            "description_hash": "",
            "expiry": str(invoice.expiry_s),
            "fallback_addr": "",
            "cltv_expiry": "80",
            "route_hints": [],
            "private": False,
            "add_index": str(invoice.index),
            "settle_index": str(invoice.pay_index or 0),
            "amt_paid": str(paid),
            "amt_paid_sat": str(paid // 1000),
            "amt_paid_msat": str(paid),
            "state": state,
            "htlcs": htlcs,
            "features": info.INVOICE_FEATURES,
            "is_keysend": False,
            "payment_addr": _b64(invoice.payment_secret),
            "is_amp": False,
            "amp_invoice_state": {},
            "is_blinded": False,
            "blinded_path_config": None,
        }

    def getinfo_json(self) -> dict:
        return info.getinfo_json(self.book.pubkey, self.synced)

    def channel_balance_json(self) -> dict:
        return info.channel_balance_json(self.inbound_msat)


class _LndHandler(JsonHandler):
    double: LndDouble

    def do_GET(self) -> None:
        if self.path == "/v1/getinfo":
            if self._authorized("info:read"):
                self.reply(200, self.double.getinfo_json())
        elif self.path == "/v1/balance/channels":
            if self._authorized("offchain:read"):
                self.reply(200, self.double.channel_balance_json())
        elif self.path.startswith("/v1/invoice/"):
            if self._authorized("invoices:read"):
                self._lookup(self.path.removeprefix("/v1/invoice/"))
        elif urlsplit(self.path).path == "/v1/invoices/subscribe":
            if self._authorized("invoices:read"):
                self._subscribe(urlsplit(self.path).query)
        elif self._authorized(None):
            self.reply(404, _status(5, "Not Found"))

    def do_POST(self) -> None:
        raw = self.read_body()
        if self.path == "/v1/invoices":
            if self._authorized("invoices:write"):
                self._add_invoice(raw)
        elif self._authorized(None):
            self.reply(404, _status(5, "Not Found"))

    def do_DELETE(self) -> None:
        self.read_body()
        url = urlsplit(self.path)
        if url.path == "/v1/payment":
            if self._authorized("offchain:write"):
                self._delete_payment(parse_qs(url.query).get("payment_hash", [""])[0])
        elif self._authorized(None):
            self.reply(404, _status(5, "Not Found"))

    def _authorized(self, permission: str | None) -> bool:
        """Check the macaroon like lnd's interceptor; `permission` None: any valid macaroon."""
        value = self.headers.get("Grpc-Metadata-macaroon")
        if not value:
            self.reply(500, _status(2, "expected 1 macaroon, got 0"))
            return False
        try:
            macaroon = bytes.fromhex(value)
        except ValueError:
            self.reply(500, _status(2, "cannot unmarshal macaroon: invalid hex"))
            return False
        granted = self.double.permissions.get(macaroon)
        if granted is None:
            self.reply(500, _status(2, "verification failed: signature mismatch after caveat verification"))
            return False
        if permission is not None and permission not in granted:
            self.reply(500, _status(2, "permission denied"))
            return False
        return True

    def _delete_payment(self, payment_hash: str) -> None:
        """DeletePayment: lnd checks the hash first; this node has never paid, so nothing matches."""
        try:
            raw = _query_bytes(payment_hash)
        except (binascii.Error, ValueError):
            self.reply(400, _status(3, "illegal base64 data in payment_hash"))
            return
        if len(raw) != 32:
            self.reply(500, _status(2, f"invalid hash length of {len(raw)}, want 32"))
        else:
            self.reply(500, _status(2, "non bucket element in payments bucket"))

    def _add_invoice(self, raw: bytes) -> None:
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            self.reply(400, _status(3, "unexpected end of JSON input"))
            return
        unknown = sorted(set(request) - ADD_INVOICE_FIELDS)
        if unknown:
            self.reply(400, _status(3, f'proto: (line 1:2): unknown field "{unknown[0]}"'), request)
            return
        try:
            value = int(request.get("value", 0))
            value_msat = int(request.get("value_msat", 0))
            expiry = int(request.get("expiry", 0)) or 86_400
        except (TypeError, ValueError):
            self.reply(400, _status(3, "proto: invalid value for int64 field"), request)
            return
        memo = request.get("memo", "")
        if value and value_msat:
            self.reply(500, _status(2, "sat and msat arguments are mutually exclusive"), request)
        elif value < 0 or value_msat < 0:
            self.reply(500, _status(2, "amount must not be negative"), request)
        elif len(memo.encode()) > 1024:
            self.reply(500, _status(2, f"memo too large: {len(memo.encode())} bytes (maxsize=1024)"), request)
        else:
            invoice = self.double.book.mint(value_msat or value * 1000, memo, expiry)
            reply = {
                "r_hash": _b64(invoice.payment_hash),
                "payment_request": invoice.bolt11,
                "add_index": str(invoice.index),
                "payment_addr": _b64(invoice.payment_secret),
            }
            self.reply(200, reply, request)

    def _lookup(self, hash_hex: str) -> None:
        if len(hash_hex) != 64:
            self.reply(
                500, _status(2, f"payment hash must be exactly 32 bytes, is instead {len(hash_hex) // 2}")
            )
            return
        invoice = self.double.book.get(hash_hex.lower())
        if invoice is None:
            self.reply(404, _status(5, "unable to locate invoice"))
        else:
            self.reply(200, self.double.invoice_json(invoice))

    def _subscribe(self, query: str) -> None:
        """SubscribeInvoices: adds after add_index, then settles after settle_index, then live events.

        An index of 0 (or none) asks for no backlog of its kind. Each event is one
        `{"result": Invoice}` line; the stream stays open until the client goes.
        """
        params = parse_qs(query)
        try:
            add_from = int(params.get("add_index", ["0"])[0] or 0)
            settle_from = int(params.get("settle_index", ["0"])[0] or 0)
        except ValueError:
            self.reply(400, _status(3, "strconv.ParseUint: parsing: invalid syntax"))
            return
        book = self.double.book
        add_from = add_from or book.last_index
        settle_from = settle_from or book.last_pay_index
        self.double.mark_stream(self.connection)
        self.start_chunked()
        while not self.double.is_cut(self.connection) and not self.peer_gone():
            if self.double.stream_error:
                self.send_chunk(json.dumps({"error": _status(14, self.double.stream_error)}).encode() + b"\n")
                self.end_chunked()
                return
            # An add event shows the invoice as it was added: open.
            added = [
                replace(i, paid_at=None, paid_msat=0, pay_index=None) for i in book.added_after(add_from)
            ]
            settled = book.paid_after(settle_from)
            for invoice in added + settled:
                add_from = max(add_from, invoice.index)
                settle_from = max(settle_from, invoice.pay_index or 0)
                if not self._send_event(invoice):
                    return
            book.wait(0.1)
        self.close_connection = True

    def _send_event(self, invoice: StoredInvoice) -> bool:
        message = {"result": self.double.invoice_json(invoice)}
        self.double.record("STREAM", self.path, None, 200, message)
        line = json.dumps(message).encode() + b"\n"
        try:
            for _ in range(2 if self.double.duplicate_events else 1):
                self.send_chunk(line)
        except OSError:
            return False
        return True
