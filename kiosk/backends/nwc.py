"""A wallet reached over Nostr Wallet Connect (NIP-47): Alby Hub, Coinos, Primal, Zeus, LNbits' NWC…

The kiosk holds a connection URI (its own secret key, the wallet service's
public key and a relay) and sends `make_invoice`, `lookup_invoice` and
`get_info` requests (kind 23194) over ONE relay connection shared by every
invoice (nwc_relay); replies (23195) are matched to requests by their `e`
tag, and only events signed by the wallet service's key count. Requests carry
an `expiration` tag so a wallet that sees one late ignores it. Encryption is
NIP-44 v2 when the wallet's info event (13194) offers it, else NIP-04.

The push channel is the wallet's `payment_received` notifications (23197, or
23196 for a NIP-04 wallet). A notification whose preimage matches its payment
hash is kept, so the watcher's confirming lookup is answered without asking
the wallet again; it is signed by the wallet and encrypted to the kiosk, as
any lookup's reply. Relays keep no notifications: those sent while the link is
down are lost, so each (re)opened push stream first wakes a lookup of every
invoice on screen, and the watcher's polling catches the rest.

The node key from get_info is not used to check invoices' payee: custodial
and some self-custodial wallets sign invoices with another key, and the
invoice reaches the kiosk signed by the wallet service, so nobody in between
can swap it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Set

from kiosk.backends.nwc_session import STOP, NwcSession
from kiosk.backends.nwc_wire import (
    NEEDED,
    NETWORKS,
    SPENDING,
    WalletRefused,
    invoice_status,
    malformed,
    parse_uri,
)
from kiosk.credentials import Secret
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import CreatedInvoice, Grants, InvoiceState, InvoiceStatus, NodeInfo, StopSignal


class NwcBackend:
    name = "nwc"

    def __init__(self, uri: Secret, timeout_s: float = 10.0, network: str = "") -> None:
        connection = parse_uri(uri)
        self._network = network
        self._where = _("the wallet at {url} (Nostr Wallet Connect)").format(url=connection.relay)
        self._session = NwcSession(connection, self._where, timeout_s)
        self._methods: frozenset[str] | None = None  # get_info's, once asked

    @property
    def requests(self) -> Counter[str]:
        """Messages sent to the relay so far, by kind ("connect", "make_invoice", "lookup_invoice", …)."""
        return self._session.counted()

    def close(self) -> None:
        self._session.close()

    # LightningBackend ------------------------------------------------------------------

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        if amount_msat <= 0:
            raise BackendError(ErrorKind.REJECTED, _("An invoice needs an amount above zero"))
        params: dict[str, object] = {"amount": amount_msat, "description": memo, "expiry": expiry_s}
        if sale_id is not None:  # NIP-47 lets a wallet keep metadata with the invoice, for its books
            params["metadata"] = {"kiosk_sale_id": sale_id}
        result = self._session.call("make_invoice", params)
        bolt11, payment_hash = result.get("invoice"), result.get("payment_hash")
        if not isinstance(bolt11, str) or not isinstance(payment_hash, str):
            raise malformed(self._where, _("an invoice without 'invoice' or 'payment_hash'"))
        return CreatedInvoice(bolt11, payment_hash.lower())

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        notified = self._session.take_paid(payment_hash)
        if notified is not None:
            return notified
        try:
            result = self._session.call("lookup_invoice", {"payment_hash": payment_hash})
        except WalletRefused as exc:
            if exc.code == "NOT_FOUND":
                return InvoiceStatus(payment_hash, InvoiceState.UNKNOWN)
            raise
        return invoice_status(payment_hash, result, self._where)

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        """Notified payment hashes; first every hash on screen, as notifications may have been missed."""
        with self._session.feed() as feed:
            self._session.link.open()
            with stop.cutting(lambda: feed.put(STOP)):
                yield from sorted(on_screen())
                while (item := feed.get()) is not STOP:
                    if isinstance(item, BackendError):
                        raise item
                    yield item

    def node_info(self) -> NodeInfo:
        try:
            result = self._session.call("get_info", {})
        except WalletRefused as exc:
            if exc.code not in ("RESTRICTED", "NOT_IMPLEMENTED"):
                raise
            result = {}  # a connection without get_info still takes payments
        methods = result.get("methods")
        if isinstance(methods, list):
            self._methods = frozenset(m for m in methods if isinstance(m, str))
        network, alias, height = result.get("network"), result.get("alias"), result.get("block_height")
        return NodeInfo(
            pubkey=None,  # see the module's docstring
            alias=_("wallet {alias}").format(alias=repr(alias))
            if isinstance(alias, str) and alias
            else _("wallet"),
            network=network if network in NETWORKS else self._network or "mainnet",
            synced=True,
            block_height=height if isinstance(height, int) and not isinstance(height, bool) else None,
        )

    # NodeDiagnostics and CredentialGrants ------------------------------------------------

    def inbound_liquidity_msat(self) -> int | None:
        """NIP-47 tells a balance, not how much the wallet can receive."""
        return None

    def credential_can_spend(self) -> bool:
        return bool(self.grants().spending)

    def grants(self) -> Grants:
        """get_info's `methods` for this connection, else the info event's list."""
        if self._methods is None:
            self.node_info()
        methods = self._methods
        if methods is None:
            self._session.link.open()
            methods = self._session.info().methods
        return Grants(methods, frozenset(NEEDED) - methods, methods & frozenset(SPENDING))
