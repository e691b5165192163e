"""Core Lightning over clnrest: every RPC is `POST /v1/<method>`, success is HTTP 201.

The credential is a rune in the `Rune` header; the server certificate is
checked against clnrest's `ca.pem`. Amounts are integer msat, hashes hex,
times unix seconds. The push channel is `waitanyinvoice`, one blocking call
at a time for the whole node, on a connection of its own that stopping cuts.

Doctor probes: inbound liquidity is `listpeerchannels`; whether the rune can
spend is probed with `pay {}`, which a restricted rune is refused (401 "Not
permitted") and lightningd itself rejects for the missing bolt11 (500).
"""

from __future__ import annotations

import uuid
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

MISSING_RUNE = 1501  # clnrest answers 403 without a rune header; it is a credential problem
WAIT_TIMED_OUT = 904  # waitanyinvoice: nothing was paid within its `timeout`
# waitanyinvoice asks the node to answer after this long at most, so a dead connection is noticed.
WAIT_ANY_TIMEOUT_S = 60
STATES = {"unpaid": InvoiceState.OPEN, "paid": InvoiceState.PAID, "expired": InvoiceState.EXPIRED}
USABLE_STATE = "CHANNELD_NORMAL"  # only such channels, with the peer connected, can take a payment now
# CLN names mainnet "bitcoin"; the kiosk uses BOLT11's network names.
NETWORKS = {"bitcoin": "mainnet", "testnet4": "testnet"}


class ClnRest:
    name = "cln"

    def __init__(self, url: str, rune: Secret, ca_cert_file: Path | None, timeout_s: float = 10.0) -> None:
        headers = {"Rune": rune.reveal().decode("ascii", errors="replace").strip()}
        self._http = NodeHttp("Core Lightning", url, headers, ca_cert_file, timeout_s)
        self._lastpay_index: int | None = None  # the last payment the push channel reported

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        body = {
            "amount_msat": amount_msat,
            "label": f"kiosk-{uuid.uuid4()}",
            "description": memo,
            "expiry": expiry_s,
        }
        reply = self._rpc("invoice", body, _("create an invoice"))
        return CreatedInvoice(self._text(reply, "bolt11"), self._text(reply, "payment_hash"))

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        invoice = self._find(payment_hash)
        if invoice is None:
            return InvoiceStatus(payment_hash, InvoiceState.UNKNOWN)
        return self._status(invoice)

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        """`waitanyinvoice` in a loop: each answer is the next invoice paid after `lastpay_index`.

        The first index is the highest `pay_index` the node reports now (one
        listinvoices at the first connection), so old payments are not
        replayed; after that the index carries over reconnections, so nothing
        paid while the channel was down is missed.
        """
        if self._lastpay_index is None:
            self._lastpay_index = self._highest_pay_index()
        while not stop.is_set():
            body = {"lastpay_index": self._lastpay_index, "timeout": WAIT_ANY_TIMEOUT_S}
            read_timeout = WAIT_ANY_TIMEOUT_S + self._http.timeout_s
            response = self._http.long_call("/v1/waitanyinvoice", body, read_timeout, stop)
            if response is None:
                return
            if response.status_code != 201 and self._error(response)[0] == WAIT_TIMED_OUT:
                continue  # nothing paid for a while: ask again
            invoice = self._reply(response, _("wait for a payment"))
            pay_index = whole_number(invoice.get("pay_index"))
            if pay_index is None:
                raise self._http.malformed("a waitanyinvoice answer without 'pay_index'")
            self._lastpay_index = max(self._lastpay_index, pay_index)
            yield self._text(invoice, "payment_hash")

    def node_info(self) -> NodeInfo:
        info = self._rpc("getinfo", {}, _("read the node's info"))
        network = self._text(info, "network")
        height = info.get("blockheight")
        return NodeInfo(
            pubkey=self._text(info, "id"),
            alias=info.get("alias") if isinstance(info.get("alias"), str) else "",
            network=NETWORKS.get(network, network),
            synced="warning_bitcoind_sync" not in info and "warning_lightningd_sync" not in info,
            block_height=height if isinstance(height, int) else None,
            active_channels=whole_number(info.get("num_active_channels")),
        )

    def close(self) -> None:
        self._http.close()

    # Doctor diagnostics ----------------------------------------------------------

    def inbound_liquidity_msat(self) -> int | None:
        """What the usable channels can receive; None when the rune may not call listpeerchannels."""
        response = self._http.request("POST", "/v1/listpeerchannels", json={})
        if response.status_code != 201 and self._kind(response) is ErrorKind.PERMISSION:
            return None
        channels = self._reply(response, _("list the channels")).get("channels")
        if not isinstance(channels, list) or not all(isinstance(c, dict) for c in channels):
            raise self._http.malformed("a listpeerchannels answer without a 'channels' list")
        usable = [c for c in channels if c.get("state") == USABLE_STATE and c.get("peer_connected") is True]
        return sum(self._msat(c, "receivable_msat") for c in usable)

    def credential_can_spend(self) -> bool | None:
        """`pay {}`: refused by a restricted rune; with a rune that may pay, lightningd wants a bolt11."""
        response = self._http.request("POST", "/v1/pay", json={})
        if self._kind(response) is ErrorKind.PERMISSION:
            return False
        if response.status_code == 500 and self._error(response)[0] is not None:
            return True  # the rune let the call through: lightningd answered with an RPC error
        raise self._failure(response, _("answer the spending-permission probe"))

    # Wire helpers ----------------------------------------------------------------

    def _highest_pay_index(self) -> int:
        invoices = self._invoices(self._rpc("listinvoices", {}, _("list the invoices")))
        return max((whole_number(i.get("pay_index")) or 0 for i in invoices), default=0)

    def _find(self, payment_hash: str) -> dict | None:
        reply = self._rpc("listinvoices", {"payment_hash": payment_hash}, _("look up the invoice"))
        invoices = self._invoices(reply)
        return invoices[0] if invoices else None

    def _invoices(self, reply: dict) -> list[dict]:
        invoices = reply.get("invoices")
        if not isinstance(invoices, list) or not all(isinstance(i, dict) for i in invoices):
            raise self._http.malformed("a listinvoices answer without an 'invoices' list")
        return invoices

    def _rpc(self, method: str, body: dict, what: str) -> dict:
        return self._reply(self._http.request("POST", f"/v1/{method}", json=body), what)

    def _reply(self, response: requests.Response, what: str) -> dict:
        """The JSON object of a 201 answer, or BackendError saying what CLN refused and why."""
        if response.status_code == 201:
            return self._http.json_object(response)
        raise self._failure(response, what)

    def _failure(self, response: requests.Response, what: str) -> BackendError:
        """What CLN refused and why, for an answer other than 201."""
        if response.ok:  # clnrest answers 201 only: something else is listening at node.url
            return self._http.malformed(f"HTTP {response.status_code} where clnrest answers 201")
        code, message, _data = self._error(response)
        where = _("{node} at {url}").format(node="Core Lightning", url=self._http.base_url)
        kind = self._kind(response)
        if kind is ErrorKind.AUTH:
            text = _("{where} refused the rune: {message}").format(where=where, message=message)
        elif kind is ErrorKind.PERMISSION:
            text = _("The rune may not {what} on {where}: {message}").format(
                what=what, where=where, message=message
            )
        else:
            text = _("{where} could not {what}: {message}").format(where=where, what=what, message=message)
            if code is not None:
                text += _(" (code {code})").format(code=code)
        return BackendError(kind, text)

    def _kind(self, response: requests.Response) -> ErrorKind:
        """The kind of a failed call: a missing rune is a credential problem, "Not permitted" a permission."""
        code, message, _data = self._error(response)
        if code == MISSING_RUNE:
            return ErrorKind.AUTH
        if response.status_code == 401 and message.lower().startswith("not permitted"):
            return ErrorKind.PERMISSION  # a valid rune whose restrictions forbid this method
        return kind_for_status(response.status_code)

    @staticmethod
    def _error(response: requests.Response) -> tuple[int | None, str, object]:
        """Code, message and data of an `RpcError` body, tolerating any body."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("message"), str):
            code = body.get("code")
            return (code if isinstance(code, int) else None), body["message"], body.get("data")
        return None, f"HTTP {response.status_code} {response.reason}", None

    def _status(self, invoice: dict) -> InvoiceStatus:
        payment_hash = self._text(invoice, "payment_hash")
        state = STATES.get(invoice.get("status"))
        if state is None:
            raise self._http.malformed(f"an unknown invoice status {invoice.get('status')!r}")
        if state is not InvoiceState.PAID:
            return InvoiceStatus(payment_hash, state)
        paid_at, preimage = invoice.get("paid_at"), invoice.get("payment_preimage")
        if not isinstance(paid_at, int):
            raise self._http.malformed("a paid invoice without 'paid_at'")
        return InvoiceStatus(
            payment_hash,
            InvoiceState.PAID,
            amount_received_msat=self._msat(invoice, "amount_received_msat"),
            preimage=preimage if isinstance(preimage, str) else None,  # no proof: see settlement_proof
            settled_at_ms=paid_at * 1000,
        )

    def _text(self, body: dict, key: str) -> str:
        value = body.get(key)
        if not isinstance(value, str) or not value:
            raise self._http.malformed(_("an answer without a valid {key}").format(key=repr(key)))
        return value

    def _msat(self, body: dict, key: str) -> int:
        """msat as an integer; CLN before 23.x wrote "1000msat" strings."""
        value = body.get(key)
        if isinstance(value, str) and value.endswith("msat") and value[:-4].isdigit():
            return int(value[:-4])
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise self._http.malformed(_("an answer without a valid {key}").format(key=repr(key)))
