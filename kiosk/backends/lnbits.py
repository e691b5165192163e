"""LNbits over its REST API and per-payment WebSocket, with the wallet's invoice key only.

The invoice key (`X-Api-Key`) may create and read the wallet's invoices but
never pay: least privilege. LNbits does not tell an invoice key which node
funds the wallet, so `node_info()` has no pubkey (the payee of invoices is
not checked) and takes the network from `node.network` (default "mainnet";
LNbits' test FakeWallet also signs `lnbc` invoices, so the default fits it).

LNbits applies expiry lazily, so its "failed" is reported as EXPIRED; the
kiosk's own deadline and grace period decide how long it is watched.
"""

from __future__ import annotations

import ssl
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Set
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests

from kiosk.backends.http import NodeHttp, is_loopback, kind_for_status, whole_sats
from kiosk.backends.lnbits_push import PaymentSockets
from kiosk.credentials import Secret
from kiosk.errors import BackendError, ConfigError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import CreatedInvoice, InvoiceState, InvoiceStatus, NodeInfo, StopSignal

WALLET_NOT_FOUND = "wallet not found"
PAYMENT_NOT_FOUND = "payment does not exist"
FIRST_INSTALL_PATH = "/first_install"


class LnbitsBackend:
    name = "lnbits"

    def __init__(
        self,
        url: str,
        invoice_key: Secret,
        tls_cert_file: Path | None = None,
        timeout_s: float = 10.0,
        network: str = "",
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            raise ConfigError(
                _("node.url = {url} sends the LNbits key unencrypted over the network").format(url=repr(url)),
                _(
                    "Use an https:// address (put LNbits behind a TLS proxy); plain http is only for "
                    "LNbits on the kiosk itself (127.0.0.1)"
                ),
            )
        key = invoice_key.reveal().decode("ascii", "replace").strip()
        self._http = NodeHttp("LNbits", url, {"X-Api-Key": key}, tls_cert_file, timeout_s)
        self._network = network or "mainnet"
        self._where = _("{node} at {url}").format(node="LNbits", url=self._http.base_url)
        ws_scheme = "wss" if parts.scheme == "https" else "ws"
        ws_ssl: dict[str, object] = {}
        if tls_cert_file is not None:
            ws_ssl = {"cert_reqs": ssl.CERT_REQUIRED, "ca_certs": str(tls_cert_file)}
        self._sockets = PaymentSockets(
            f"{ws_scheme}://{parts.netloc}{parts.path.rstrip('/')}/api/v1/ws/", self._where, timeout_s, ws_ssl
        )
        self._requests: Counter[str] = Counter()
        self._requests_lock = threading.Lock()

    @property
    def requests(self) -> Counter[str]:
        """Requests sent to the node so far, by kind ("create", "lookup", "wallet", "probe", "ws")."""
        with self._requests_lock:
            return self._requests.copy()

    def close(self) -> None:
        self._http.close()

    # LightningBackend ------------------------------------------------------------------

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        sats = whole_sats(amount_msat, "LNbits")
        body = {"out": False, "amount": sats, "unit": "sat", "memo": memo, "expiry": expiry_s}
        payment = self._reply(self._send("create", "POST", "/api/v1/payments", body), _("create an invoice"))
        bolt11 = payment.get("payment_request") or payment.get("bolt11")
        payment_hash = payment.get("payment_hash")
        if not isinstance(bolt11, str) or not isinstance(payment_hash, str):
            raise self._http.malformed(_("an invoice without 'payment_request' or 'payment_hash'"))
        return CreatedInvoice(bolt11, payment_hash)

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        response = self._send("lookup", "GET", f"/api/v1/payments/{payment_hash}")
        if response.status_code == 404 and self._detail(response).lower().startswith(PAYMENT_NOT_FOUND):
            return InvoiceStatus(payment_hash, InvoiceState.UNKNOWN)
        reply = self._reply(response, _("look up the invoice"))
        details = reply.get("details")
        if not isinstance(reply.get("paid"), bool) or not isinstance(details, dict):
            raise self._http.malformed(_("a payment lookup without 'paid' and 'details'"))
        if not reply["paid"]:
            state = InvoiceState.EXPIRED if reply.get("status") == "failed" else InvoiceState.OPEN
            return InvoiceStatus(payment_hash, state)
        amount = details.get("amount")
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise self._http.malformed(_("a paid invoice without an amount"))
        preimage = reply.get("preimage") or details.get("preimage")
        return InvoiceStatus(
            payment_hash,
            InvoiceState.PAID,
            amount_received_msat=amount,
            preimage=preimage if isinstance(preimage, str) else None,
            settled_at_ms=_iso_ms(details.get("updated_at")),
        )

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        """Per-invoice WebSockets for what is on screen (see lnbits_push): the key stays out of URLs."""
        return self._sockets.push(on_screen, stop, lambda: self._count("ws"))

    def node_info(self) -> NodeInfo:
        wallet = self._reply(self._send("wallet", "GET", "/api/v1/wallet"), _("read the wallet"))
        name = wallet.get("name")
        alias = (
            _("LNbits wallet {name}").format(name=repr(name)) if isinstance(name, str) else _("LNbits wallet")
        )
        return NodeInfo(pubkey=None, alias=alias, network=self._network, synced=True)

    # NodeDiagnostics ------------------------------------------------------------------

    def inbound_liquidity_msat(self) -> int | None:
        """LNbits does not show a wallet key its funding node's channels."""
        return None

    def credential_can_spend(self) -> bool:
        response = self._send("probe", "POST", PAYMENTS, SPEND_PROBE)
        can_pay = may_pay(response.status_code)
        if can_pay is not None:
            return can_pay
        self._reply(response, _("check the key's permissions"))
        raise self._http.malformed(
            _("HTTP {status} to a payment with no invoice").format(status=response.status_code)
        )

    # Wire helpers ------------------------------------------------------------------------

    def _send(self, kind: str, method: str, path: str, body: object = None) -> requests.Response:
        self._count(kind)
        return self._http.request(method, path, json=body)

    def _count(self, kind: str) -> None:
        with self._requests_lock:  # watcher, checkout and UI threads all send requests
            self._requests[kind] += 1

    def _reply(self, response: requests.Response, what: str) -> dict:
        """The JSON object of a 2xx answer, or BackendError saying what LNbits refused and why."""
        where = self._where
        if response.history and response.url.rstrip("/").endswith(FIRST_INSTALL_PATH):
            raise BackendError(
                ErrorKind.AUTH,
                _("LNbits is not set up yet: {where} asks for its first-install").format(where=where),
                _(
                    "Open {url} in a browser, finish its first-install (create the admin account), "
                    "then create the kiosk's wallet and copy its invoice key"
                ).format(url=self._http.base_url + FIRST_INSTALL_PATH),
            )
        if 200 <= response.status_code < 300:
            return self._http.json_object(response)
        detail = self._detail(response)
        status = response.status_code
        if status == 401:
            raise BackendError(
                ErrorKind.AUTH, _("{where} got no API key: {detail}").format(where=where, detail=detail)
            )
        if status == 404 and detail.lower().startswith(WALLET_NOT_FOUND):
            raise BackendError(
                ErrorKind.AUTH,
                _("{where} does not know the kiosk's key: no wallet has it").format(where=where),
                _(
                    "Copy the wallet's current invoice key (Invoice/read key) to node.invoice_key_file "
                    "and run `python -m kiosk doctor`"
                ),
            )
        if status == 404:
            raise BackendError(
                ErrorKind.MALFORMED,
                _("{where} has no LNbits API at this address (HTTP 404: {detail})").format(
                    where=where, detail=detail
                ),
                _("Check node.url: it is the LNbits address you open in a browser, without a path"),
            )
        if status == 403:
            text = _("The invoice key may not {what} on {where}: {detail}")
            raise BackendError(ErrorKind.PERMISSION, text.format(what=what, where=where, detail=detail))
        text = _("{where} could not {what}: {detail} (HTTP {status})")
        raise BackendError(
            kind_for_status(status), text.format(where=where, what=what, detail=detail, status=status)
        )

    def _detail(self, response: requests.Response) -> str:
        """LNbits' error text: `detail` is a string, or a list of validation errors."""
        try:
            detail = response.json().get("detail")
        except (ValueError, AttributeError):
            return response.reason or _("no reason given")
        if isinstance(detail, list):
            return "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail)
        return str(detail) if detail else response.reason or _("no reason given")


PAYMENTS = "/api/v1/payments"
SPEND_PROBE = {"out": True, "bolt11": ""}  # pay an empty invoice: LNbits rejects it before paying anything


def may_pay(status: int) -> bool | None:
    """What the answer to SPEND_PROBE says of a key: an invoice key is refused (403), an admin key is not."""
    return {403: False, 400: True, 520: True}.get(status)


def _iso_ms(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.fromisoformat(value).timestamp() * 1000)
    except ValueError:
        return None
