"""A Core Lightning clnrest double: `POST /v1/<method>`, 201 on success, RpcError bodies otherwise.

Runes: none -> 403/1501, unknown -> 401/1502, a method outside a restricted
rune's list -> 401 "Not permitted". Labels are unique (900); waitanyinvoice blocks until an
invoice is paid after `lastpay_index`, or gives 500/904 at its timeout. Checked in
test_spec_conformance.py.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

from tests.doubles.cln_channels import channel
from tests.doubles.invoices import BookHooks, InvoiceBook, StoredInvoice
from tests.doubles.server import HttpsDouble, JsonHandler
from tests.doubles.tls import node_tls

BLOCK_HEIGHT = 1_234
INVOICE_PARAMS = {
    "amount_msat", "label", "description", "expiry", "fallbacks", "preimage", "exposeprivatechannels",
    "cltv", "deschashonly",
}  # fmt: skip
LISTINVOICES_PARAMS = {"label", "invstring", "payment_hash", "offer_id", "index", "start", "limit"}
LISTPEERCHANNELS_PARAMS = {"id", "short_channel_id", "channel_id"}
WAITANYINVOICE_PARAMS = {"lastpay_index", "timeout"}
INVOICE_ONLY_METHODS = frozenset({"invoice", "listinvoices", "waitanyinvoice"})
# The kiosk rune node-apis.md recommends: invoices, plus getinfo and listpeerchannels to read.
KIOSK_METHODS = INVOICE_ONLY_METHODS | {"getinfo", "listpeerchannels"}


def _error(code: int | None, message: str, data: object = None) -> dict:
    return {"code": code, "message": message, "data": data}


def _msat(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.endswith("msat") and value[:-4].isdigit():
        return int(value[:-4])
    return None


class ClnDouble(BookHooks, HttpsDouble):
    """Test hooks: pay(), kill()/restart(), drop_streams(), synced, inbound_msat, book.amount_offset_msat."""

    def __init__(self, folder: Path) -> None:
        tls = node_tls(folder, "cln")
        super().__init__(_ClnHandler, tls.context)
        self.ca_cert_file = tls.cert_file
        self.book = InvoiceBook()
        self.rune = secrets.token_urlsafe(48)
        self.methods: dict[str, frozenset[str] | None] = {self.rune: None}  # None: unrestricted
        self.invoice_only_rune = self.restricted_rune(INVOICE_ONLY_METHODS)  # no getinfo
        self.kiosk_rune = self.restricted_rune(KIOSK_METHODS)
        self.synced = True
        self.inbound_msat = 1_500_000_000  # test hook: receivable on the one usable channel

    def restricted_rune(self, methods: frozenset[str]) -> str:
        """A new rune that may call only these methods, like `createrune restrictions=[[method=...]]`."""
        rune = secrets.token_urlsafe(48)
        self.methods[rune] = methods
        return rune

    def invoice_json(self, invoice: StoredInvoice) -> dict:
        status = "paid" if invoice.is_paid else "expired" if invoice.is_expired() else "unpaid"
        item = {
            "label": invoice.label,
            "bolt11": invoice.bolt11,
            "payment_hash": invoice.payment_hash,
            "amount_msat": invoice.amount_msat,
            "status": status,
            "description": invoice.memo,
            "expires_at": invoice.expires_at,
            "created_index": invoice.index,
        }
        if invoice.is_paid:
            item |= {
                "updated_index": invoice.pay_index,
                "pay_index": invoice.pay_index,
                "amount_received_msat": invoice.paid_msat,
                "paid_at": invoice.paid_at,
                "payment_preimage": invoice.preimage,
            }
        elif self.book.forgery is not None:
            preimage, received = self.book.forgery.fields(invoice.preimage, invoice.amount_msat)
            item |= {"status": "paid", "pay_index": 1, "amount_received_msat": received}
            item |= {"paid_at": int(time.time())} | ({"payment_preimage": preimage} if preimage else {})
        return item

    def getinfo_json(self) -> dict:
        info = {
            "id": self.book.pubkey,
            "alias": "kiosk-test-cln",
            "color": "02bf81",
            "num_peers": 1,
            "num_pending_channels": 0,
            "num_active_channels": 1,
            "num_inactive_channels": 0,
            "address": [],
            "binding": [{"type": "ipv4", "address": "127.0.0.1", "port": 9735}],
            "version": "v26.06.6",
            "blockheight": BLOCK_HEIGHT,
            "network": "regtest",
            "fees_collected_msat": 0,
            "lightning-dir": "/var/lib/lightningd/regtest",
            "our_features": {
                "init": "08a0000a69a2",
                "node": "88a0000a69a2",
                "channel": "",
                "invoice": "02000002024100",
            },
        }
        if not self.synced:
            info["warning_bitcoind_sync"] = "Bitcoind is not up-to-date with network."
        return info

    def listpeerchannels_json(self) -> dict:
        """One usable channel, plus one whose peer is offline and one not yet open: only the first counts."""
        peers = ("02" + "11" * 32, "03" + "22" * 32, "02" + "33" * 32)
        return {
            "channels": [
                channel(peers[0], "CHANNELD_NORMAL", True, self.inbound_msat, 1),
                channel(peers[1], "CHANNELD_NORMAL", False, 700_000_000, 2),
                channel(peers[2], "CHANNELD_AWAITING_LOCKIN", True, 900_000_000, 3),
            ]
        }


class _ClnHandler(JsonHandler):
    double: ClnDouble

    def do_GET(self) -> None:
        self.reply(405, _error(-32601, "Method Not Allowed"))

    def do_POST(self) -> None:
        raw = self.read_body()
        rune = self.headers.get("Rune")
        method = self.path.removeprefix("/v1/")
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            self.reply(400, _error(None, "Could not parse request body"))
            return
        if not rune:
            self.reply(403, _error(1501, "Not authorized: Missing rune"), request)
        elif rune not in self.double.methods:
            self.reply(401, _error(1502, "Rune is not valid"), request)
        elif self.double.methods[rune] is not None and method not in self.double.methods[rune]:
            self.reply(401, _error(1502, "Not permitted: method is not equal to invoice"), request)
        elif method == "invoice":
            self._invoice(request)
        elif method == "listinvoices":
            self._listinvoices(request)
        elif method == "waitanyinvoice":
            self._waitanyinvoice(request)
        elif method == "getinfo":
            self.reply(201, self.double.getinfo_json(), request)
        elif method == "listpeerchannels":
            self._listpeerchannels(request)
        elif method == "pay":
            self._pay(request)
        else:
            self.reply(404, _error(-32601, f"Unknown command '{method}'"), request)

    def _invoice(self, request: dict) -> None:
        unknown = sorted(set(request) - INVOICE_PARAMS)
        missing = [k for k in ("amount_msat", "label", "description") if k not in request]
        amount = _msat(request.get("amount_msat"))
        label = request.get("label")
        expiry = request.get("expiry", 604_800)
        if unknown or missing:
            self.reply(
                500, _error(-32602, f"Unknown or missing parameter: {(unknown or missing)[0]}"), request
            )
        elif amount is None or not isinstance(label, str | int) or not isinstance(expiry, int):
            self.reply(500, _error(-32602, "amount_msat, label or expiry: should be a valid value"), request)
        elif self.double.book.by_label(str(label)) is not None:
            self.reply(500, _error(900, f"Duplicate label '{label}'"), request)
        else:
            invoice = self.double.book.mint(amount, str(request["description"]), expiry, str(label))
            reply = {
                "payment_hash": invoice.payment_hash,
                "expires_at": invoice.expires_at,
                "bolt11": invoice.bolt11,
                "payment_secret": invoice.payment_secret,
                "created_index": invoice.index,
            }
            self.reply(201, reply, request)

    def _listinvoices(self, request: dict) -> None:
        if set(request) - LISTINVOICES_PARAMS:
            self.reply(500, _error(-32602, "Unknown parameter"), request)
            return
        book = self.double.book
        if "payment_hash" in request:
            found = [book.get(request["payment_hash"])]
        elif "label" in request:
            found = [book.by_label(str(request["label"]))]
        else:
            found = list(book.invoices.values())
        invoices = [self.double.invoice_json(i) for i in found if i is not None]
        self.reply(201, {"invoices": invoices}, request)

    def _listpeerchannels(self, request: dict) -> None:
        unknown = sorted(set(request) - LISTPEERCHANNELS_PARAMS)
        if unknown:
            self.reply(500, _error(-32602, f"Unknown parameter: {unknown[0]}"), request)
            return
        channels = [
            c
            for c in self.double.listpeerchannels_json()["channels"]
            if all(c.get("peer_id" if key == "id" else key) == value for key, value in request.items())
        ]
        self.reply(201, {"channels": channels}, request)

    def _pay(self, request: dict) -> None:
        """lightningd checks the parameters first; this double never pays anything."""
        if "bolt11" not in request:
            self.reply(500, _error(-32602, "missing required parameter: bolt11"), request)
        else:
            self.reply(500, _error(-32602, "Invalid bolt11: this test double pays nothing"), request)

    def _waitanyinvoice(self, request: dict) -> None:
        """The next invoice paid after `lastpay_index` (201), or 500/904 once `timeout` s pass.

        Blocks until then; a killed node or a dropped call just hangs up.
        """
        lastpay, timeout = request.get("lastpay_index", 0), request.get("timeout")
        if set(request) - WAITANYINVOICE_PARAMS:
            self.reply(500, _error(-32602, "Unknown parameter"), request)
            return
        if not _u64(lastpay) or (timeout is not None and not _u64(timeout)):
            self.reply(500, _error(-32602, "lastpay_index or timeout: should be an unsigned 64 bit integer"))
            return
        until = None if timeout is None else time.monotonic() + timeout
        self.double.mark_stream(self.connection)
        while not self.double.is_cut(self.connection) and not self.peer_gone():
            paid = self.double.book.paid_after(lastpay)
            if paid:
                self.reply(201, self.double.invoice_json(paid[0]), request)
                return
            if until is not None and time.monotonic() >= until:
                self.reply(500, _error(904, "Timed out"), request)
                return
            self.double.book.wait(0.1)
        self.close_connection = True


def _u64(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
