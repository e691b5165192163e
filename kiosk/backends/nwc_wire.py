"""NIP-47 (Nostr Wallet Connect) as the kiosk speaks it: the URI, encryption, answers and error codes.

All cryptography is nostr-sdk's (rust-nostr): keys, NIP-44 v2 and NIP-04. The
connection URI holds the kiosk's secret key: it is parsed from the Secret and
never printed (nostr-sdk's repr of it hides the key too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from nostr_sdk import (
    Event,
    Keys,
    Nip44Version,
    NostrSdkError,
    NostrWalletConnectUri,
    PublicKey,
    nip04_decrypt,
    nip04_encrypt,
    nip44_decrypt,
    nip44_encrypt,
)

from kiosk.backends.http import is_loopback
from kiosk.credentials import Secret
from kiosk.errors import BackendError, ConfigError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import InvoiceState, InvoiceStatus

INFO, REQUEST, RESPONSE = 13194, 23194, 23195
NOTIFICATION_NIP44, NOTIFICATION_NIP04 = 23197, 23196
NIP44, NIP04 = "nip44_v2", "nip04"
# What the kiosk asks of the wallet, and what a connection must never be allowed to do.
NEEDED = ("make_invoice", "lookup_invoice")
SPENDING = ("pay_invoice", "multi_pay_invoice", "pay_keysend", "multi_pay_keysend")
NETWORKS = ("mainnet", "testnet", "signet", "regtest")
MAX_TEXT = 200  # a wallet's error message is shown, cut to this


@dataclass(frozen=True)
class Connection:
    wallet: PublicKey
    relay: str
    keys: Keys

    def __repr__(self) -> str:
        return f"Connection(wallet={self.wallet.to_hex()}, relay={self.relay}, keys=****)"


def parse_uri(uri: Secret) -> Connection:
    """The wallet's key, its first relay and the kiosk's keys; ConfigError (without the URI) if unusable."""
    fix = _(
        "Copy the connection's nostr+walletconnect:// URI from the wallet app to node.nwc_uri_file, "
        "with nothing else in the file"
    )
    text = uri.reveal().decode("ascii", "replace").strip()
    try:
        parsed = NostrWalletConnectUri.parse(text)
    except NostrSdkError:
        raise ConfigError(
            _("The Nostr Wallet Connect URI is not a nostr+walletconnect:// URI"), fix
        ) from None
    relays = [str(relay) for relay in parsed.relays()]
    if not relays:
        raise ConfigError(_("The Nostr Wallet Connect URI names no relay"), fix)
    relay = relays[0]
    parts = urlsplit(relay)
    if parts.scheme != "wss" and not (parts.scheme == "ws" and is_loopback(parts.hostname or "")):
        raise ConfigError(
            _("The Nostr Wallet Connect relay {url} is not reached over TLS (wss://)").format(url=relay),
            _("Make a connection in the wallet app that uses a wss:// relay"),
        )
    return Connection(parsed.public_key(), relay, Keys(parsed.secret()))


@dataclass(frozen=True)
class WalletInfo:
    """The wallet service's info event (kind 13194): its methods, encryptions and notifications."""

    methods: frozenset[str]
    encryption: str  # the one the kiosk uses: NIP-44 v2 when offered, else NIP-04
    notifications: frozenset[str]

    @classmethod
    def of(cls, event: Event | None) -> WalletInfo:
        if event is None:  # no info event: NIP-47 says the wallet speaks NIP-04
            return cls(frozenset(), NIP04, frozenset())
        tags = {t.to_vec()[0]: t.to_vec()[1:] for t in event.tags() if t.to_vec()}
        offered = " ".join(tags.get("encryption", [])).split()
        encryption = NIP44 if NIP44 in offered else NIP04
        notifications = frozenset(" ".join(tags.get("notifications", [])).split())
        return cls(frozenset(event.content().split()), encryption, notifications)

    @property
    def notification_kind(self) -> int:
        return NOTIFICATION_NIP44 if self.encryption == NIP44 else NOTIFICATION_NIP04


def encrypt(connection: Connection, scheme: str, text: str) -> str:
    secret = connection.keys.secret_key()
    if scheme == NIP44:
        return nip44_encrypt(secret, connection.wallet, text, Nip44Version.V2)
    return nip04_encrypt(secret, connection.wallet, text)


def decrypt(connection: Connection, scheme: str, payload: str) -> object:
    """The JSON inside an event from the wallet; None when it does not decrypt or parse."""
    secret = connection.keys.secret_key()
    try:
        if scheme == NIP44:
            text = nip44_decrypt(secret, connection.wallet, payload)
        else:
            text = nip04_decrypt(secret, connection.wallet, payload)
        return json.loads(text)
    except (NostrSdkError, ValueError):
        return None


def result_of(method: str, reply: object, where: str) -> dict:
    """The `result` of a reply to `method`, or BackendError for its error (or a malformed reply)."""
    if not isinstance(reply, dict) or reply.get("result_type") != method:
        raise malformed(where, _("a reply that is not a NIP-47 answer to {method}").format(method=method))
    error = reply.get("error")
    if error is not None:
        if not isinstance(error, dict) or not isinstance(error.get("code"), str):
            raise malformed(where, _("an error without a code"))
        raise wallet_error(method, error["code"], str(error.get("message") or "")[:MAX_TEXT], where)
    result = reply.get("result")
    if not isinstance(result, dict):
        raise malformed(where, _("an answer to {method} without a result").format(method=method))
    return result


class WalletRefused(BackendError):
    """The wallet service answered with a NIP-47 error; `code` is its error code."""

    def __init__(self, code: str, kind: ErrorKind, message: str, hint: str | None = None) -> None:
        super().__init__(kind, message, hint)
        self.code = code


def wallet_error(method: str, code: str, message: str, where: str) -> WalletRefused:
    """A NIP-47 error code as a BackendError that says what to do."""
    said = _("{where} refused {method}: {code} ({message})").format(
        where=where, method=method, code=code, message=message or _("no reason given")
    )
    if code == "RATE_LIMITED":
        return WalletRefused(
            code,
            ErrorKind.TIMEOUT,
            said,
            _("The wallet asks the kiosk to slow down: wait a few seconds and try again"),
        )
    if code == "QUOTA_EXCEEDED":
        return WalletRefused(
            code,
            ErrorKind.REJECTED,
            said,
            _("The connection's budget in the wallet app is used up: raise it, or make a new connection"),
        )
    if code in ("RESTRICTED", "NOT_IMPLEMENTED"):
        return WalletRefused(
            code,
            ErrorKind.PERMISSION,
            said,
            _(
                "Give the wallet connection the make_invoice, lookup_invoice and get_info permissions "
                "(and notifications), or make a new connection that has them"
            ),
        )
    if code == "UNAUTHORIZED":
        return WalletRefused(
            code,
            ErrorKind.AUTH,
            said,
            _(
                "The wallet no longer knows this connection: make a new one in the wallet app, copy its "
                "URI to node.nwc_uri_file and run `python -m kiosk doctor`"
            ),
        )
    if code == "UNSUPPORTED_ENCRYPTION":
        return WalletRefused(code, ErrorKind.MALFORMED, said)
    return WalletRefused(
        code, ErrorKind.REJECTED, said, _("Try again; if it keeps failing, check the wallet app")
    )


def invoice_status(payment_hash: str, result: dict, where: str) -> InvoiceStatus:
    """A lookup_invoice result or payment_received notification as the kiosk's InvoiceStatus."""
    if result.get("payment_hash") != payment_hash:
        raise malformed(where, _("an answer about another invoice"))
    state = result.get("state")
    settled_at = _count(result.get("settled_at"))
    if state == "expired":
        return InvoiceStatus(payment_hash, InvoiceState.EXPIRED)
    if state == "failed":
        return InvoiceStatus(payment_hash, InvoiceState.CANCELED)
    if state != "settled" and not (state is None and settled_at is not None):
        return InvoiceStatus(payment_hash, InvoiceState.OPEN)  # pending, accepted (held), or unknown
    amount = _count(result.get("amount"))
    if amount is None:
        raise malformed(where, _("a paid invoice without an amount"))
    preimage = result.get("preimage")
    return InvoiceStatus(
        payment_hash,
        InvoiceState.PAID,
        amount_received_msat=amount,
        preimage=preimage if isinstance(preimage, str) else None,
        settled_at_ms=settled_at * 1000 if settled_at is not None else None,
    )


def malformed(where: str, what: str) -> BackendError:
    return BackendError(ErrorKind.MALFORMED, _("{where} sent {what}").format(where=where, what=what))


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
