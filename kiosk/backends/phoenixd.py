"""phoenixd (ACINQ) over its HTTP API, with the limited-access password only.

Facts in tests/doubles/contracts/phoenixd.toml. HTTP basic auth, the user name
ignored; `http-password-limited-access` may create invoices and read payments,
never pay. Parameters are form fields, answers JSON, errors plain text.
Amounts are whole sats (fees in msat), times unix milliseconds.

Amounts, exactly: the kiosk asks only for whole sats. A paid lookup gives
`receivedSat` after phoenixd's fees (liquidity, fee credit), truncated to sats,
and `fees` in msat, so the payer sent at least receivedSat * 1000 + fees and
less than 1000 msat more; a node never accepts less than its invoice asks
(BOLT 4), so within that range the invoice's own amount is what was paid.

Proof: the lookup shows the preimage before the invoice is paid (phoenixd made
it), so only `isPaid` says paid; the preimage still ties the answer to the hash.
Doctor: `payinvoice` with an invalid invoice is refused with 401 for the limited
password and, past the password check, with 400 for the invoice: nothing is paid.
"""

from __future__ import annotations

import base64
import hashlib
import re
import ssl
from collections.abc import Callable, Iterator, Set
from pathlib import Path
from urllib.parse import urlsplit

import requests

from kiosk.backends.http import NodeHttp, is_loopback, kind_for_status, whole_sats
from kiosk.backends.phoenixd_push import EventSocket
from kiosk.credentials import Secret
from kiosk.errors import BackendError, ConfigError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import (
    CreatedInvoice,
    InvoiceState,
    InvoiceStatus,
    NodeInfo,
    StopSignal,
    whole_number,
)

MAX_DESCRIPTION = 128  # UTF-16 code units (Kotlin's String.length); longer goes as descriptionHash
NOT_FOUND = "Not found"  # a lookup of a hash phoenixd does not know (404)
USABLE_STATE = "Normal"
NETWORKS = {"testnet3": "testnet", "testnet4": "testnet"}  # phoenixd's chain names -> BOLT11's
PROBE_INVOICE = "kiosk-doctor-probe-not-an-invoice"
HEX32 = re.compile(r"[0-9a-f]{64}")
MAX_TEXT = 200  # of a plain-text error shown to a person


class Phoenixd:
    name = "phoenixd"

    def __init__(
        self, url: str, password: Secret, tls_cert_file: Path | None = None, timeout_s: float = 10.0
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            raise ConfigError(
                _("node.url = {url} sends the phoenixd password unencrypted over the network").format(
                    url=repr(url)
                ),
                _(
                    "Run phoenixd on the kiosk itself (http://127.0.0.1:9740), or reach it over "
                    "https:// through a TLS proxy or an SSH tunnel"
                ),
            )
        token = base64.b64encode(b":" + password.reveal().strip()).decode("ascii")
        headers = {"Authorization": f"Basic {token}"}
        self._http = NodeHttp("phoenixd", url, headers, tls_cert_file, timeout_s)
        self._where = _("{node} at {url}").format(node="phoenixd", url=self._http.base_url)
        sslopt: dict[str, object] = {}
        if tls_cert_file is not None:
            sslopt = {"cert_reqs": ssl.CERT_REQUIRED, "ca_certs": str(tls_cert_file)}
        ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path.rstrip('/')}"
        self._events = EventSocket(
            ws_url + "/websocket", headers, self._where, timeout_s, sslopt, self._http.closed
        )

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        sats = whole_sats(amount_msat, "phoenixd")
        form = {"amountSat": str(sats), "expirySeconds": str(expiry_s)}
        if len(memo.encode("utf-16-le")) // 2 <= MAX_DESCRIPTION:
            form["description"] = memo
        else:  # the wallet shows no memo then; the receipt still has it
            form["descriptionHash"] = hashlib.sha256(memo.encode()).hexdigest()
        if sale_id is not None:
            form["externalId"] = str(sale_id)
        reply = self._reply(self._http.request("POST", "/createinvoice", data=form), _("create an invoice"))
        return CreatedInvoice(self._text(reply, "serialized"), self._hash(reply, "paymentHash"))

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        response = self._http.request("GET", f"/payments/incoming/{payment_hash}")
        if response.status_code == 404 and response.text.strip() == NOT_FOUND:
            return InvoiceStatus(payment_hash, InvoiceState.UNKNOWN)
        payment = self._reply(response, _("look up the invoice"))
        if self._hash(payment, "paymentHash") != payment_hash.lower():
            raise self._http.malformed(_("the lookup of another invoice"))
        is_paid = payment.get("isPaid")
        if not isinstance(is_paid, bool):
            raise self._http.malformed(_("an answer without a valid {key}").format(key="'isPaid'"))
        if not is_paid:
            expired = payment.get("isExpired") is True
            return InvoiceStatus(payment_hash, InvoiceState.EXPIRED if expired else InvoiceState.OPEN)
        preimage = payment.get("preimage")
        return InvoiceStatus(
            payment_hash,
            InvoiceState.PAID,
            amount_received_msat=self._paid_msat(payment),
            preimage=preimage if isinstance(preimage, str) else None,  # no proof: see settlement_proof
            settled_at_ms=whole_number(payment.get("completedAt")),
        )

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        """The node's `/websocket`: a `payment_received` event for every payment (see phoenixd_push)."""
        return self._events.push(on_screen, stop)

    def node_info(self) -> NodeInfo:
        info = self._getinfo()
        chain = self._text(info, "chain")
        height = whole_number(info.get("blockHeight"))
        return NodeInfo(
            pubkey=self._text(info, "nodeId"),
            alias=f"phoenixd {info.get('version')}" if isinstance(info.get("version"), str) else "phoenixd",
            network=NETWORKS.get(chain, chain),
            synced=height is not None and height > 0,  # no tip yet: it has not reached its chain source
            block_height=height,
            active_channels=len(self._usable(info)),
        )

    def close(self) -> None:
        self._http.close()

    # Doctor diagnostics ----------------------------------------------------------

    def inbound_liquidity_msat(self) -> int | None:
        """What the usable channels can receive now (phoenixd buys more when a payment needs it)."""
        total = 0
        for channel in self._usable(self._getinfo()):
            sats = whole_number(channel.get("inboundLiquiditySat"))
            if sats is None or sats < 0:
                raise self._http.malformed(
                    _("a channel without a valid {key}").format(key="'inboundLiquiditySat'")
                )
            total += sats * 1000
        return total

    def credential_can_spend(self) -> bool:
        """`payinvoice` with an invalid invoice: 401 for the limited password, 400 for a full one."""
        response = self._http.request("POST", "/payinvoice", data={"invoice": PROBE_INVOICE})
        if response.status_code == 401:
            self._getinfo()  # raises AUTH if the password is wrong altogether
            return False
        if response.status_code == 400:
            return True  # past the password check: phoenixd refused the invoice itself
        raise self._failure(response, _("answer the spending-permission probe"))

    # Wire helpers ----------------------------------------------------------------

    def _getinfo(self) -> dict:
        return self._reply(self._http.request("GET", "/getinfo"), _("read the node's info"))

    def _usable(self, info: dict) -> list[dict]:
        channels = info.get("channels")
        if not isinstance(channels, list) or not all(isinstance(c, dict) for c in channels):
            raise self._http.malformed(_("an answer without a valid {key}").format(key="'channels'"))
        return [c for c in channels if c.get("state") == USABLE_STATE]

    def _paid_msat(self, payment: dict) -> int:
        """What the payer sent, exactly where the answer allows (see the module's docstring)."""
        received, fees = whole_number(payment.get("receivedSat")), whole_number(payment.get("fees"))
        if received is None or fees is None or received < 0 or fees < 0:
            raise self._http.malformed(_("a paid invoice without 'receivedSat' and 'fees'"))
        at_least = received * 1000 + fees
        requested = whole_number(payment.get("requestedSat"))
        if requested is not None and at_least <= requested * 1000 < at_least + 1000:
            return requested * 1000
        return at_least

    def _reply(self, response: requests.Response, what: str) -> dict:
        """The JSON object of a 200 answer, or BackendError saying what phoenixd refused and why."""
        if response.status_code == 200:
            return self._http.json_object(response)
        raise self._failure(response, what)

    def _failure(self, response: requests.Response, what: str) -> BackendError:
        status, where = response.status_code, self._where
        text = " ".join(response.text.split())[:MAX_TEXT] or f"HTTP {status}"
        if status == 401:
            return BackendError(
                ErrorKind.AUTH,
                _("{where} refused the password: {message}").format(where=where, message=text),
                _(
                    "Copy http-password-limited-access from phoenixd's ~/.phoenix/phoenix.conf to "
                    "node.password_file and run `python -m kiosk doctor`"
                ),
            )
        if status == 404:
            return BackendError(
                ErrorKind.MALFORMED,
                _("{where} has no phoenixd API at this address (HTTP 404: {message})").format(
                    where=where, message=text
                ),
                _('Check node.url: phoenixd listens on "http://127.0.0.1:9740" unless told otherwise'),
            )
        return BackendError(
            kind_for_status(status),
            _("{where} could not {what}: {message} (HTTP {status})").format(
                where=where, what=what, message=text, status=status
            ),
        )

    def _text(self, body: dict, key: str) -> str:
        value = body.get(key)
        if not isinstance(value, str) or not value:
            raise self._http.malformed(_("an answer without a valid {key}").format(key=repr(key)))
        return value

    def _hash(self, body: dict, key: str) -> str:
        value = self._text(body, key)
        if not HEX32.fullmatch(value):
            raise self._http.malformed(_("an answer without a valid {key}").format(key=repr(key)))
        return value
