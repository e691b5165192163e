"""LND over its REST gateway (grpc-gateway): invoices, lookups, the node's invoice stream, GetInfo.

Wire rules: int64 values come as strings, bytes as standard base64; the
lookup path takes the hash in hex. The
credential is the hex of the macaroon file in `Grpc-Metadata-macaroon`.

invoice.macaroon may not call GetInfo. With such a macaroon `node_info()`
uses `node.network` (and `node.pubkey` if set) from the config; without a
configured pubkey the kiosk cannot check who signed an invoice, which
`python -m kiosk doctor` should warn about.

Doctor probes: inbound liquidity is ChannelBalance (offchain:read). Whether the
macaroon can spend is probed with DeletePayment without a hash: it needs
offchain:write, the permission that pays, and lnd rejects the missing hash
before touching anything, so even an admin macaroon changes nothing.
(SendPaymentSync, the obvious probe, has no REST route in lnd 0.21's swagger.)
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import time
from collections.abc import Callable, Iterator, Set
from pathlib import Path

import requests

from kiosk.backends.http import NodeHttp, kind_for_status
from kiosk.credentials import Secret
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import (
    CreatedInvoice,
    InvoiceState,
    InvoiceStatus,
    NodeInfo,
    StopSignal,
    whole_number,
)

GRPC_NOT_FOUND = 5
# How long an invoice stream may stay silent before the kiosk reconnects it, to
# notice a connection that died without a word (no keep-alives on REST streams).
STREAM_IDLE_S = 300.0


class LndRest:
    name = "lnd"

    def __init__(
        self,
        url: str,
        macaroon: Secret,
        tls_cert_file: Path | None,
        timeout_s: float = 10.0,
        network: str = "",
        pubkey: str = "",
    ) -> None:
        headers = {"Grpc-Metadata-macaroon": macaroon.reveal().hex()}
        self._http = NodeHttp("LND", url, headers, tls_cert_file, timeout_s)
        self._network = network
        self._pubkey = pubkey
        self._settle_index = 0  # the last settlement the push stream reported

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        body = {"value_msat": str(amount_msat), "memo": memo, "expiry": str(expiry_s)}
        reply = self._call("POST", "/v1/invoices", body, _("create an invoice"))
        return CreatedInvoice(
            bolt11=self._field(reply, "payment_request", str),
            payment_hash=self._bytes_hex(reply, "r_hash"),
        )

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        response = self._http.request("GET", f"/v1/invoice/{payment_hash}")
        if response.status_code == 404 and self._error(response)[0] == GRPC_NOT_FOUND:
            return InvoiceStatus(payment_hash, InvoiceState.UNKNOWN)
        return self._status(self._reply(response, _("look up the invoice")))

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        """SubscribeInvoices: every invoice of the node that settles, on one stream.

        The first connection takes only new events; a reconnection asks for
        every settlement after the last settle_index seen, so none is missed
        while the stream was down.
        """
        query = f"?settle_index={self._settle_index}" if self._settle_index else ""
        response = self._http.request(
            "GET", "/v1/invoices/subscribe" + query, stream=True, read_timeout_s=STREAM_IDLE_S
        )
        with contextlib.closing(response), self._http.cutting(stop, self._http.stream_cut(response)):
            if response.status_code != 200:
                raise self._failure(self._http.finish(response), _("follow the invoices"))
            try:
                for line in self._http.lines(response):
                    invoice = self._stream_result(line)
                    if invoice.get("state") == "SETTLED":
                        self._settle_index = max(self._settle_index, self._int64(invoice, "settle_index"))
                        yield self._bytes_hex(invoice, "r_hash")
            except BackendError:
                if stop.is_set():
                    return
                raise
        if not stop.is_set():
            where = _("{node} at {url}").format(node="LND", url=self._http.base_url)
            raise BackendError(
                ErrorKind.UNREACHABLE, _("{where} closed the invoice stream").format(where=where)
            )

    def node_info(self) -> NodeInfo:
        response = self._http.request("GET", "/v1/getinfo")
        if self._kind(response) is ErrorKind.PERMISSION:
            if not self._network:
                raise BackendError(
                    ErrorKind.PERMISSION,
                    _("The macaroon may not read the node's info (GetInfo) on LND at {url}").format(
                        url=self._http.base_url
                    ),
                    _('Set node.network (e.g. "mainnet") in the config, or use a macaroon with info:read'),
                )
            # invoice.macaroon: identity and sync are not readable; trust the config.
            return NodeInfo(self._pubkey or None, "LND", self._network, synced=True)
        info = self._reply(response, _("read the node's info"))
        chains = self._field(info, "chains", list)
        if not chains or not isinstance(chains[0], dict) or not isinstance(chains[0].get("network"), str):
            raise self._http.malformed("GetInfo without a network in 'chains'")
        block_height = info.get("block_height")
        return NodeInfo(
            pubkey=self._field(info, "identity_pubkey", str),
            alias=self._field(info, "alias", str),
            network=chains[0]["network"],
            synced=self._field(info, "synced_to_chain", bool),
            block_height=block_height if isinstance(block_height, int) else None,
            active_channels=whole_number(info.get("num_active_channels")),
        )

    def close(self) -> None:
        self._http.close()

    # Doctor diagnostics ----------------------------------------------------------

    def inbound_liquidity_msat(self) -> int | None:
        """ChannelBalance's remote_balance; None when the macaroon lacks offchain:read."""
        response = self._http.request("GET", "/v1/balance/channels")
        if self._kind(response) is ErrorKind.PERMISSION:
            return None
        remote = self._reply(response, _("read the channel balances")).get("remote_balance")
        if not isinstance(remote, dict):
            raise self._http.malformed("a ChannelBalance answer without 'remote_balance'")
        return self._int64(remote, "msat")

    def credential_can_spend(self) -> bool | None:
        """DeletePayment without a hash: refused without offchain:write, otherwise a harmless error."""
        response = self._http.request("DELETE", "/v1/payment")
        kind = self._kind(response)
        if kind is ErrorKind.PERMISSION:
            return False
        if response.status_code == 404 and self._error(response)[0] == GRPC_NOT_FOUND:
            return None  # this lnd has no such route: the gateway answers before checking the macaroon
        if kind is ErrorKind.REJECTED:
            return True  # past the macaroon check: lnd refused the (missing) hash
        self._reply(response, _("answer the spending-permission probe"))  # raises unless a JSON 200
        return True

    # Wire helpers ----------------------------------------------------------------

    def _call(self, method: str, path: str, body: object, what: str) -> dict:
        return self._reply(self._http.request(method, path, json=body), what)

    def _reply(self, response: requests.Response, what: str) -> dict:
        """The JSON object of a 200 answer, or BackendError saying what LND refused and why."""
        if response.status_code == 200:
            return self._http.json_object(response)
        raise self._failure(response, what)

    def _failure(self, response: requests.Response, what: str) -> BackendError:
        """What LND refused and why, for an answer other than 200."""
        kind = self._kind(response) or ErrorKind.MALFORMED
        _code, message = self._error(response)
        where = _("{node} at {url}").format(node="LND", url=self._http.base_url)
        if kind is ErrorKind.AUTH:
            text = _("{where} refused the macaroon: {message}").format(where=where, message=message)
        elif kind is ErrorKind.PERMISSION:
            text = _("The macaroon may not {what} on {where}: {message}").format(
                what=what, where=where, message=message
            )
        else:
            text = _("{where} could not {what}: {message}").format(where=where, what=what, message=message)
        return BackendError(kind, text)

    def _kind(self, response: requests.Response) -> ErrorKind | None:
        if response.status_code == 200:
            return None
        _code, message = self._error(response)
        lowered = message.lower()
        # Macaroon failures are plain Go errors, so they arrive as HTTP 500 / gRPC code 2.
        if "permission denied" in lowered:
            return ErrorKind.PERMISSION
        if "macaroon" in lowered or "verification failed" in lowered:
            return ErrorKind.AUTH
        if "wallet locked" in lowered or "not yet ready" in lowered:
            return ErrorKind.UNREACHABLE
        return kind_for_status(response.status_code)

    @staticmethod
    def _error(response: requests.Response) -> tuple[int | None, str]:
        """gRPC code and message of an error body (`rpcStatus`), tolerating any body."""
        try:
            body = response.json()
        except ValueError:
            return None, f"HTTP {response.status_code} {response.reason}"
        if isinstance(body, dict) and isinstance(body.get("message"), str):
            code = body.get("code")
            return (code if isinstance(code, int) else None), body["message"]
        return None, f"HTTP {response.status_code} {response.reason}"

    def _stream_result(self, line: bytes) -> dict:
        try:
            message = json.loads(line)
        except ValueError:
            raise self._http.malformed("an invoice stream line that is not JSON") from None
        if isinstance(message, dict) and isinstance(message.get("error"), dict):
            error = message["error"]
            raise BackendError(
                ErrorKind.UNREACHABLE,
                f"LND at {self._http.base_url} broke off the invoice stream: {error.get('message', error)}",
            )
        if not isinstance(message, dict) or not isinstance(message.get("result"), dict):
            raise self._http.malformed("an invoice stream line without a 'result'")
        return message["result"]

    def _status(self, invoice: dict) -> InvoiceStatus:
        payment_hash = self._bytes_hex(invoice, "r_hash")
        state = self._field(invoice, "state", str)
        if state in ("OPEN", "ACCEPTED"):  # ACCEPTED: a hold invoice's HTLC is locked in, not yet paid
            return InvoiceStatus(payment_hash, InvoiceState.OPEN)
        if state == "SETTLED":
            return InvoiceStatus(
                payment_hash,
                InvoiceState.PAID,
                amount_received_msat=self._int64(invoice, "amt_paid_msat"),
                preimage=self._bytes_hex(invoice, "r_preimage"),
                settled_at_ms=self._int64(invoice, "settle_date") * 1000,
            )
        if state == "CANCELED":
            # LND cancels invoices when they expire; tell that apart from a manual cancel.
            expires_at = self._int64(invoice, "creation_date") + self._int64(invoice, "expiry")
            expired = time.time() >= expires_at
            return InvoiceStatus(payment_hash, InvoiceState.EXPIRED if expired else InvoiceState.CANCELED)
        raise self._http.malformed(f"an unknown invoice state {state!r}")

    def _field(self, body: dict, key: str, kind: type) -> object:
        value = body.get(key)
        if not isinstance(value, kind):
            raise self._http.malformed(_("an answer without a valid {key}").format(key=repr(key)))
        return value

    def _int64(self, body: dict, key: str) -> int:
        value = body.get(key)
        try:
            return int(value)  # int64 values are JSON strings; a number is tolerated
        except (TypeError, ValueError):
            raise self._http.malformed(_("an answer without a valid {key}").format(key=repr(key))) from None

    def _bytes_hex(self, body: dict, key: str) -> str:
        value = self._field(body, key, str)
        try:
            return base64.b64decode(value, validate=True).hex()
        except (binascii.Error, ValueError):
            raise self._http.malformed(f"{key!r} that is not base64") from None
