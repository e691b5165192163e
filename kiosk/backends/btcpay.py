"""BTCPay Server over its Greenfield API, with a store API key that may create and view invoices only.

Each sale is a BTCPay invoice in sats (currency "SATS") filed with the sale's
id, items and tip, so BTCPay keeps the shop's books, refunds and staff roles.
The BOLT11 comes from the invoice's Lightning payment method, and the kiosk
still decodes and checks it against the sale. BTCPay pushes only by webhook,
which needs an address the kiosk does not have, so the settlement watcher
polls the invoice (fast while on screen, then slowly for a late payment).

BTCPay never shows a preimage: the store server's status is the proof
(`settlement_proof`, see kiosk.services.node_port.ServerProvenSettlement),
which is why its TLS certificate is verified (pinned with node.tls_cert_file,
or the system's CAs for a public one). The key does not tell the node's
identity or network: invoices' payee is not checked, and the network is
node.network (default mainnet).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Set
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from kiosk.backends import btcpay_books as books
from kiosk.backends.http import NodeHttp, is_loopback, kind_for_status
from kiosk.credentials import Secret
from kiosk.domain.sale import Sale
from kiosk.errors import BackendError, ConfigError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import (
    CreatedInvoice,
    Grants,
    InvoiceState,
    InvoiceStatus,
    NodeInfo,
    StopSignal,
)

# After a restart the kiosk knows its invoices by payment hash only: it reads the store's recent
# invoices (a page at a time, at most this many) to find which one a hash belongs to.
SCAN_PAGE = 50
SCAN_MAX = 500
SCAN_BACK_S = 2 * 86_400  # longer than any grace period


class BtcpayBackend:
    name = "btcpay"
    settlement_proof = "btcpay status"

    def __init__(
        self,
        url: str,
        api_key: Secret,
        store_id: str,
        tls_cert_file: Path | None = None,
        timeout_s: float = 10.0,
        network: str = "",
        terminal: str = "",
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            raise ConfigError(
                _("node.url = {url} sends the BTCPay API key unencrypted over the network").format(
                    url=repr(url)
                ),
                _("Use the https:// address of the BTCPay Server (plain http only for one on this machine)"),
            )
        key = api_key.reveal().decode("ascii", "replace").strip()
        self._http = NodeHttp(
            "BTCPay Server", url, {"Authorization": f"token {key}"}, tls_cert_file, timeout_s
        )
        self._store = quote(store_id, safe="")
        self._store_id = store_id
        self._network = network or "mainnet"
        self._terminal = terminal
        self._where = _("{node} at {url}").format(node="BTCPay Server", url=self._http.base_url)
        self._lock = threading.Lock()
        self._ids: dict[str, str] = {}  # payment hash -> BTCPay invoice id
        self._scanned: set[str] = set()  # invoice ids whose payment hash is known or absent
        self._requests: Counter[str] = Counter()

    @property
    def requests(self) -> Counter[str]:
        """Requests sent so far, by kind ("create", "methods", "lookup", "list", "health", "key")."""
        with self._lock:
            return self._requests.copy()

    def close(self) -> None:
        self._http.close()

    # LightningBackend and OrderInvoices --------------------------------------------------

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        """An invoice with no sale behind it but its number (the doctor's probe: no order id)."""
        return self.create_order_invoice(
            Sale(sale_id or 0, int(time.time() * 1000), amount_msat, memo), expiry_s
        )

    def create_order_invoice(self, sale: Sale, expiry_s: int) -> CreatedInvoice:
        if sale.amount_msat <= 0 or sale.amount_msat % 1000:
            raise BackendError(
                ErrorKind.REJECTED,
                _("BTCPay Server invoices are in whole satoshis, and {amount} msat is not one").format(
                    amount=sale.amount_msat
                ),
                _("Round the amount to whole sats (1 sat = 1000 msat) and try again"),
            )
        body = books.invoice_request(sale, expiry_s, self._terminal)
        invoice = self._reply(self._send("create", "POST", self._path(), body), _("create an invoice"))
        invoice_id = invoice.get("id")
        if not isinstance(invoice_id, str) or not invoice_id:
            raise self._http.malformed(_("an invoice without an 'id'"))
        bolt11_text = self._bolt11(invoice_id)
        payment_hash = books.payment_hash_of(bolt11_text)
        if payment_hash is None:
            raise self._http.malformed(_("a Lightning invoice that cannot be decoded"))
        with self._lock:
            self._ids[payment_hash] = invoice_id
            self._scanned.add(invoice_id)
        return CreatedInvoice(bolt11_text, payment_hash)

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        invoice_id = self._invoice_id(payment_hash)
        if invoice_id is None:
            return InvoiceStatus(payment_hash, InvoiceState.UNKNOWN)
        response = self._send("lookup", "GET", self._path(invoice_id))
        if response.status_code == 404:
            return InvoiceStatus(payment_hash, InvoiceState.UNKNOWN)
        invoice = self._reply(response, _("look up the invoice"))
        state = books.state_of(invoice.get("status"), invoice.get("additionalStatus"))
        if state is None:
            raise self._http.malformed(_("an invoice status that BTCPay does not have"))
        if state is not InvoiceState.PAID:
            return InvoiceStatus(payment_hash, state)
        received = books.msat_of(invoice.get("paidAmount"), invoice.get("currency"))
        if received is None:
            raise self._http.malformed(_("a settled invoice without a paid amount in sats"))
        return InvoiceStatus(payment_hash, InvoiceState.PAID, amount_received_msat=received)

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        """No push channel: BTCPay pushes only by webhook, to an address the kiosk does not have."""
        return iter(())

    def node_info(self) -> NodeInfo:
        health = self._reply(self._send("health", "GET", "/api/v1/health"), _("report its health"))
        self._answer(self._send("list", "GET", self._path() + "?take=1"), _("list the store's invoices"))
        synced = health.get("synchronized")
        if not isinstance(synced, bool):
            raise self._http.malformed(_("a health report without 'synchronized'"))
        alias = _("BTCPay Server store {store}").format(store=self._store_id)
        return NodeInfo(pubkey=None, alias=alias, network=self._network, synced=synced)

    # NodeDiagnostics and CredentialGrants ------------------------------------------------------

    def inbound_liquidity_msat(self) -> int | None:
        """A store key does not see the store's Lightning node."""
        return None

    def credential_can_spend(self) -> bool:
        return bool(self.grants().spending)

    def grants(self) -> Grants:
        """The key's permissions, from /api/v1/api-keys/current (any valid key may read its own)."""
        return books.grants_of(self._key_permissions(), self._store_id)

    def _key_permissions(self) -> list[str]:
        key = self._reply(self._send("key", "GET", "/api/v1/api-keys/current"), _("describe the API key"))
        permissions = key.get("permissions")
        if not isinstance(permissions, list) or not all(isinstance(p, str) for p in permissions):
            raise self._http.malformed(_("an API key without its list of permissions"))
        return permissions

    # Wire helpers ------------------------------------------------------------------------------

    def _path(self, invoice_id: str = "") -> str:
        tail = f"/{quote(invoice_id, safe='')}" if invoice_id else ""
        return f"/api/v1/stores/{self._store}/invoices{tail}"

    def _bolt11(self, invoice_id: str) -> str:
        response = self._send("methods", "GET", self._path(invoice_id) + "/payment-methods")
        methods = self._answer(response, _("read the invoice"))
        if not isinstance(methods, list):
            raise self._http.malformed(_("payment methods that are not a list"))
        for method in methods:
            if isinstance(method, dict) and method.get("paymentMethodId") in books.LIGHTNING_METHODS:
                destination = method.get("destination")
                if isinstance(destination, str) and destination:
                    return destination
        raise BackendError(
            ErrorKind.REJECTED,
            _("{where} made the invoice without a Lightning payment method").format(where=self._where),
            _("Set up Lightning for the store in BTCPay Server (Store > Settings > Lightning) and enable it"),
        )

    def _invoice_id(self, payment_hash: str) -> str | None:
        with self._lock:
            known = self._ids.get(payment_hash)
        return known if known is not None else self._scan(payment_hash)

    def _scan(self, payment_hash: str) -> str | None:
        """Find the invoice of a hash the kiosk made before a restart, among the store's recent ones."""
        since = int(time.time()) - SCAN_BACK_S
        for skip in range(0, SCAN_MAX, SCAN_PAGE):
            query = f"?startDate={since}&take={SCAN_PAGE}&skip={skip}"
            page = self._send("list", "GET", self._path() + query)
            invoices = self._answer(page, _("list the store's invoices"))
            if not isinstance(invoices, list):
                raise self._http.malformed(_("an invoice list that is not a list"))
            for invoice in invoices:
                invoice_id = invoice.get("id") if isinstance(invoice, dict) else None
                if not isinstance(invoice_id, str) or invoice_id in self._scanned:
                    continue
                found = books.payment_hash_of(self._bolt11_or_empty(invoice_id))
                with self._lock:
                    self._scanned.add(invoice_id)
                    if found is not None:
                        self._ids[found] = invoice_id
                if found == payment_hash:
                    return invoice_id
            if len(invoices) < SCAN_PAGE:
                break
        return None

    def _bolt11_or_empty(self, invoice_id: str) -> str:
        try:
            return self._bolt11(invoice_id)
        except BackendError as exc:
            if exc.kind is ErrorKind.REJECTED:  # an invoice without Lightning: not one of the kiosk's
                return ""
            raise

    def _send(self, kind: str, method: str, path: str, body: object = None) -> requests.Response:
        with self._lock:  # watcher, checkout and UI threads all send requests
            self._requests[kind] += 1
        return self._http.request(method, path, json=body)

    def _reply(self, response: requests.Response, what: str) -> dict:
        """The JSON object of a 2xx answer, or BackendError saying what BTCPay refused and why."""
        if 200 <= response.status_code < 300:
            return self._http.json_object(response)
        return self._answer(response, what)

    def _answer(self, response: requests.Response, what: str) -> Any:
        """The JSON of a 2xx answer (an object or a list), or BackendError saying what was refused."""
        if 200 <= response.status_code < 300:
            return self._http.json_body(response)
        where, status, detail = self._where, response.status_code, books.problem(response)
        if status == 401:
            raise BackendError(
                ErrorKind.AUTH,
                _("{where} does not accept the kiosk's API key: {detail}").format(where=where, detail=detail),
                _(
                    "Create a store API key in BTCPay (Account > API keys) with only 'Create invoice' and "
                    "'View invoices' for this store, and copy it to node.api_key_file"
                ),
            )
        if status == 403:
            raise BackendError(
                ErrorKind.PERMISSION,
                _("The API key may not {what} on {where}: {detail}").format(
                    what=what, where=where, detail=detail
                ),
                _(
                    "Give the key 'Create invoice' and 'View invoices' for store {store}, "
                    "and check node.store_id"
                ).format(store=self._store_id),
            )
        if status == 404:
            raise BackendError(
                ErrorKind.MALFORMED,
                _("{where} has no Greenfield API or no store {store} here (HTTP 404: {detail})").format(
                    where=where, store=self._store_id, detail=detail
                ),
                _("Check node.url (the address you open BTCPay at) and node.store_id (Store > Settings)"),
            )
        text = _("{where} could not {what}: {detail} (HTTP {status})")
        raise BackendError(
            kind_for_status(status), text.format(where=where, what=what, detail=detail, status=status)
        )
