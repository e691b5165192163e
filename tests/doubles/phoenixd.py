"""A phoenixd double: its HTTP API and `/websocket` as contracts/phoenixd.toml says, on plain HTTP.

Two passwords, like phoenix.conf: `full_password` may call everything,
`limited_password` everything but payinvoice (401). Form-encoded parameters,
JSON answers without null fields, plain-text errors. The websocket sends one
`payment_received` frame per payment made while it is open, and pings; nothing
is replayed. It pays nothing itself. Checked in test_spec_conformance.py.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from urllib.parse import parse_qs

import bolt11
from bolt11.exceptions import Bolt11Exception

from tests.doubles import ws_server as ws
from tests.doubles.invoices import BookHooks, InvoiceBook, StoredInvoice
from tests.doubles.server import HttpsDouble, JsonHandler
from tests.doubles.specs import table

CONTRACT = table("phoenixd")
ERRORS = CONTRACT["http"]["errors"]
MAX_DESCRIPTION = CONTRACT["createinvoice"]["max_description"]
DEFAULT_EXPIRY_S = 3600
HEX32 = re.compile(r"[0-9a-f]{64}")
BLOCK_HEIGHT = 1_234


def _missing(name: str) -> str:
    return CONTRACT["http"]["missing_parameter"].format(name=name)


def _bad(name: str, kind: str) -> str:
    return CONTRACT["http"]["bad_parameter"].format(name=name, type=kind)


class PhoenixdDouble(BookHooks, HttpsDouble):
    """Test hooks: pay(), kill()/restart(), drop_streams(), synced, inbound_sat, fee_msat, ping_period_s,
    book.amount_offset_msat, forge_paid()."""

    def __init__(self) -> None:
        super().__init__(_PhoenixdHandler, None)
        self.book = InvoiceBook()
        self.full_password = secrets.token_hex(32)  # phoenixd makes both as randomBytes32().toHex()
        self.limited_password = secrets.token_hex(32)
        self.synced = True
        self.inbound_sat = 1_500_000
        self.fee_msat = 0  # test hook: what phoenixd keeps of each payment (liquidity, fee credit)
        self.ping_period_s = CONTRACT["websocket"]["ping_period_ms"] / 1000
        self.external_ids: dict[str, str] = {}
        self.events_sent = 0  # websocket frames announcing a payment
        self.pings_sent = 0
        self._count_lock = threading.Lock()

    def access(self, password: str | None) -> str | None:
        if password == self.full_password:
            return "full"
        if password == self.limited_password:
            return "limited"
        return None

    def getinfo_json(self) -> dict:
        channel = {
            "state": "Normal",
            "channelId": "aa" * 32,
            "balanceSat": 250_000,
            "inboundLiquiditySat": self.inbound_sat,
            "capacitySat": 250_000 + self.inbound_sat,
            "fundingTxId": "bb" * 32,
        }
        info = {
            "nodeId": self.book.pubkey,
            "channels": [channel, {"state": "Offline", "channelId": "cc" * 32, "inboundLiquiditySat": 9}],
            "chain": "regtest",  # bitcoin-kmp's Chain.Regtest: the double's invoices are lnbcrt
            "version": "0.8.0-402c2ea",
        }
        return info | ({"blockHeight": BLOCK_HEIGHT} if self.synced else {})

    def incoming_json(self, invoice: StoredInvoice) -> dict:
        paid = invoice.is_paid
        item = {
            "type": "incoming_payment",
            "subType": "lightning",
            "paymentHash": invoice.payment_hash,
            "preimage": invoice.preimage,
            "externalId": self.external_ids.get(invoice.payment_hash),
            "description": invoice.memo or None,
            "invoice": invoice.bolt11,
            "isPaid": paid,
            "isExpired": invoice.is_expired(),
            "requestedSat": invoice.amount_msat // 1000,
            "receivedSat": (invoice.paid_msat - self.fee_msat) // 1000 if paid else 0,
            "fees": self.fee_msat if paid else 0,
            "expiresAt": invoice.expires_at * 1000,
            "completedAt": invoice.paid_at * 1000 if invoice.paid_at else None,
            "createdAt": invoice.created_at * 1000,
        }
        if not paid and self.book.forgery is not None:
            preimage, received = self.book.forgery.fields(invoice.preimage, invoice.amount_msat)
            item |= {"isPaid": True, "preimage": preimage, "receivedSat": received // 1000}
            item |= {"completedAt": int(time.time() * 1000)}
        return {key: value for key, value in item.items() if value is not None}

    def event_json(self, invoice: StoredInvoice) -> dict:
        event = {
            "type": "payment_received",
            "timestamp": int(time.time() * 1000),
            "amountSat": invoice.paid_msat // 1000,
            "paymentHash": invoice.payment_hash,
            "externalId": self.external_ids.get(invoice.payment_hash),
        }
        return {key: value for key, value in event.items() if value is not None}

    def sent(self, event: bool) -> None:
        with self._count_lock:
            if event:
                self.events_sent += 1
            else:
                self.pings_sent += 1


class _PhoenixdHandler(JsonHandler):
    double: PhoenixdDouble

    def text(self, status: int, text: str, request: object = None) -> None:
        """phoenixd's errors: plain text (StatusPages' respondText)."""
        if self.double.garbage:
            self.reply(status, None)
            return
        self.double.record(self.command, self.path, request, status, text)
        data = text.encode()
        self.send_response(status)
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="Ktor Server", charset=UTF-8')
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def password(self) -> str | None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            _user, _colon, password = base64.b64decode(header[6:], validate=True).decode().partition(":")
        except ValueError:
            return None
        return password

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/websocket":
            self._websocket()
            return
        access = self.double.access(self.password())
        routes = {"/getinfo", "/createinvoice", "/payinvoice"}
        if access is None and (path in routes or path.startswith("/payments/incoming/")):
            self.text(401, ERRORS["401"])
        elif path == "/getinfo":
            self.reply(200, self.double.getinfo_json())
        elif path.startswith("/payments/incoming/"):
            self._lookup(path.removeprefix("/payments/incoming/"))
        elif path in routes:
            self.text(405, ERRORS["405"])
        else:
            self.text(404, ERRORS["404"])

    def do_POST(self) -> None:
        body = self.read_body().decode("utf-8", "replace")
        form = {key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()}
        access = self.double.access(self.password())
        if self.path not in ("/createinvoice", "/payinvoice", "/getinfo"):
            self.text(404, ERRORS["404"], form)
        elif access is None or (self.path == "/payinvoice" and access != "full"):
            self.text(401, ERRORS["401"], form)
        elif self.path == "/createinvoice":
            self._createinvoice(form)
        elif self.path == "/payinvoice":
            self._payinvoice(form)
        else:
            self.text(405, ERRORS["405"], form)

    def _createinvoice(self, form: dict[str, str]) -> None:
        texts = CONTRACT["createinvoice"]
        description, description_hash = form.get("description"), form.get("descriptionHash")
        for name in ("amountSat", "expirySeconds"):
            if name in form and not re.fullmatch(r"-?\d+", form[name]):
                self.text(400, _bad(name, "integer"), form)
                return
        if description is not None and len(description.encode("utf-16-le")) // 2 > MAX_DESCRIPTION:
            self.text(400, texts["description_too_long"], form)
        elif description_hash is not None and not HEX32.fullmatch(description_hash):
            self.text(400, _bad("descriptionHash", "hex32"), form)
        elif (description is None) == (description_hash is None):
            self.text(400, texts["description_missing"], form)
        elif "amountSat" not in form:
            self.text(400, "this double makes no invoice without an amount", form)
        else:
            expiry = int(form.get("expirySeconds", DEFAULT_EXPIRY_S))
            amount_msat = int(form["amountSat"]) * 1000
            invoice = self.double.book.mint(
                amount_msat, description or "", expiry, "", description_hash or ""
            )
            if "externalId" in form:
                self.double.external_ids[invoice.payment_hash] = form["externalId"]
            signed = bolt11.decode(invoice.bolt11).amount_msat
            reply = {"amountSat": signed // 1000, "paymentHash": invoice.payment_hash}
            self.reply(200, reply | {"serialized": invoice.bolt11}, form)

    def _lookup(self, payment_hash: str) -> None:
        if not HEX32.fullmatch(payment_hash):
            self.text(400, _bad("paymentHash", "hex32"))
            return
        invoice = self.double.book.get(payment_hash)
        if invoice is None:
            self.text(404, ERRORS["not_found"])
        else:
            self.reply(200, self.double.incoming_json(invoice))

    def _payinvoice(self, form: dict[str, str]) -> None:
        """Past the password: the invoice is read first; this double never pays."""
        if "invoice" not in form:
            self.text(400, _missing("invoice"), form)
            return
        try:
            invoice = bolt11.decode(form["invoice"])
        except (Bolt11Exception, ValueError):
            self.text(400, _bad("invoice", "bolt11invoice"), form)
            return
        self.reply(200, {"paymentHash": invoice.payment_hash, "reason": "this double pays nothing"}, form)

    def _websocket(self) -> None:
        key = self.headers.get("Sec-WebSocket-Key")
        protocols = [
            p.strip() for p in self.headers.get("Sec-WebSocket-Protocol", "").split(",") if p.strip()
        ]
        by_protocol = next((p for p in protocols if self.double.access(p)), None)
        if self.double.access(self.password()) is None and by_protocol is None:
            self.text(401, ERRORS["401"])
            return
        if self.headers.get("Upgrade", "").lower() != "websocket" or not key:
            self.text(400, "Expected a WebSocket upgrade")
            return
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", ws.accept_key(key))
        if by_protocol is not None:
            self.send_header("Sec-WebSocket-Protocol", by_protocol)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        self._events()

    def _events(self) -> None:
        """Send each payment made from now on; ping; end on close, hang-up, kill or drop."""
        double, conn = self.double, self.connection
        seen = double.book.last_pay_index
        double.mark_stream(conn)
        next_ping = time.monotonic() + double.ping_period_s
        try:
            while not double.is_cut(conn):
                for invoice in double.book.paid_after(seen):
                    seen = max(seen, invoice.pay_index or 0)
                    event = double.event_json(invoice)
                    double.record("WS", "/websocket", None, 101, event)
                    self.wfile.write(ws.frame(ws.TEXT, json.dumps(event).encode()))
                    double.sent(event=True)
                if time.monotonic() >= next_ping:
                    self.wfile.write(ws.frame(ws.PING, b"phoenixd"))
                    double.sent(event=False)
                    next_ping = time.monotonic() + double.ping_period_s
                self.wfile.flush()
                if ws.readable(conn):
                    got = ws.read_frame(self.rfile)
                    if got is None or got[0] == ws.CLOSE:
                        self.wfile.write(ws.frame(ws.CLOSE, got[1][:2] if got else b""))
                        return
                double.book.wait(0.05)
        except OSError:
            return  # the kiosk hung up, or the double cut the socket
