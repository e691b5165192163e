"""LNURL-withdraw as a Bolt Card speaks it: the card's link, the service's answers, the kiosk's checks.

Pure: no network. A tapped card gives an NDEF URI, `lnurlw://host/path?p=…&c=…` (LUD-17), or
an older bech32 `lnurl1…` (LUD-01); its HTTPS form is asked for a withdrawRequest (LUD-03),
whose callback then gets the kiosk's own invoice: `callback?k1=…&pr=BOLT11`. A service that
wants a PIN above some amount says `pinLimit` (Bitcoin Ring's LUD-21 draft); the PIN goes in
the callback as `pin`. The card's word proves nothing: only the settlement of the kiosk's own
invoice makes a sale paid.

Why not the `lnurl` package (2.0.2): it declares Requires-Python <3.13, pulls in coincurve,
bip32, httpx and pydantic for LNURL-auth and its own unbounded HTTP client (which the kiosk
cannot use), and turns `lnurlw://` links to a loopback or LAN host into plain http. What the
kiosk needs of it is the few rules below.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import bech32

from kiosk.errors import KioskError
from kiosk.i18n import _

MAX_URL_CHARS = 2047


class TapProblem(enum.StrEnum):
    NO_READER = "no_reader"
    UNREADABLE = "unreadable"
    NOT_BOLT_CARD = "not_bolt_card"
    REFUSED = "refused"  # the card's service said no (a replayed tap, a disabled card, no funds)
    LIMIT = "limit"  # the sale is outside what the card may pay at once
    SERVICE_DOWN = "service_down"
    PIN = "pin"  # the service wants a PIN the kiosk cannot ask for here


class TapFailed(KioskError):
    """A tap that will not pay the sale; the QR code stays up, so the customer can still scan."""

    def __init__(self, problem: TapProblem, message: str, hint: str = "") -> None:
        super().__init__(message, hint or _("Scan the QR code with a wallet instead, or try the card again"))
        self.problem = problem


def not_a_bolt_card(why: str) -> TapFailed:
    return TapFailed(
        TapProblem.NOT_BOLT_CARD,
        _("This card is not a Bolt Card ({why})").format(why=why),
        _("Use a Bolt Card, or scan the QR code with a wallet"),
    )


def malformed(why: str) -> TapFailed:
    return TapFailed(
        TapProblem.REFUSED,
        _("The card's service sent an answer the kiosk does not understand ({why})").format(why=why),
    )


def card_request_url(uri: str) -> str:
    """The https URL to ask for the withdrawRequest, from the NDEF URI read off the card."""
    text = uri.strip()
    if text.lower().startswith("lightning:"):
        text = text[len("lightning:") :]
    if len(text) > MAX_URL_CHARS * 2:
        raise not_a_bolt_card(_("a broken link"))
    schemes = ("lnurlw",)  # a plain https link on a tag (a menu, a business card) is not asked
    if text.lower().startswith("lnurl1"):
        schemes = ("https",)  # bech32 1.2.0 takes any length, as LNURLs need
        hrp, data = bech32.bech32_decode(text.lower())
        decoded = bech32.convertbits(data, 5, 8, False) if data is not None else None
        if hrp != "lnurl" or decoded is None:
            raise not_a_bolt_card(_("a broken LNURL"))
        text = bytes(decoded).decode("utf-8", "replace")
    if len(text) > MAX_URL_CHARS or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in text):
        raise not_a_bolt_card(_("a broken link"))
    parts = urlsplit(text)
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise not_a_bolt_card(_("no withdraw link on it"))
    return urlunsplit(("https", parts.netloc, parts.path, parts.query, ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def check_card_host(card_url: str, allowed_hosts: frozenset[str]) -> None:
    """With `nfc.allowed_hosts` set, only cards of those services are taken."""
    if allowed_hosts and host_of(card_url) not in allowed_hosts:
        raise TapFailed(
            TapProblem.REFUSED,
            _("This shop does not take cards from {host}").format(host=host_of(card_url)),
            _("Scan the QR code with a wallet instead"),
        )


@dataclass(frozen=True)
class WithdrawRequest:
    callback: str
    k1: str
    min_msat: int
    max_msat: int
    pin_limit_msat: int | None = None


def _msat(answer: dict[str, Any], key: str, default: int | None = None) -> int:
    value = answer.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise malformed(_("{key} is not an amount").format(key=key))
    return value


def refused_by_service(answer: object) -> None:
    """LUD-03's error answer, `{"status": "ERROR", "reason": …}`, as a TapFailed."""
    if isinstance(answer, dict) and str(answer.get("status", "")).upper() == "ERROR":
        reason = str(answer.get("reason", ""))[:200] or _("no reason given")
        raise TapFailed(
            TapProblem.REFUSED,
            _("The card's service refused the payment: {reason}").format(reason=reason),
        )


def withdraw_request(answer: object, card_url: str, allowed_hosts: frozenset[str]) -> WithdrawRequest:
    """The service's first answer, checked: a withdrawRequest whose callback stays on an allowed host."""
    refused_by_service(answer)
    if not isinstance(answer, dict) or answer.get("tag") != "withdrawRequest":
        raise not_a_bolt_card(_("its link is not for paying"))
    callback, k1 = answer.get("callback"), answer.get("k1")
    if not isinstance(callback, str) or not isinstance(k1, str) or not k1:
        raise malformed(_("no callback or k1"))
    parts = urlsplit(callback)
    if parts.scheme != "https" or not parts.hostname or len(callback) > MAX_URL_CHARS:
        raise malformed(_("the callback is not an https link"))
    if host_of(callback) != host_of(card_url) and host_of(callback) not in allowed_hosts:
        raise TapFailed(
            TapProblem.REFUSED,
            _("The card's service sends payments to another site ({host})").format(host=host_of(callback)),
            _(
                "Scan the QR code with a wallet instead; a merchant who trusts that site can add it to "
                "nfc.allowed_hosts"
            ),
        )
    minimum, maximum = _msat(answer, "minWithdrawable", 1), _msat(answer, "maxWithdrawable")
    if minimum > maximum:
        raise malformed(_("minWithdrawable is above maxWithdrawable"))
    pin_limit = _msat(answer, "pinLimit") if answer.get("pinLimit") is not None else None
    return WithdrawRequest(callback, k1, minimum, maximum, pin_limit)


def check_amount(request: WithdrawRequest, amount_msat: int) -> None:
    """minWithdrawable ≤ the sale ≤ maxWithdrawable, in whole sats as the cashier sees them."""
    if amount_msat > request.max_msat:
        raise TapFailed(
            TapProblem.LIMIT,
            _("This card may pay at most {sats} sats at once").format(sats=f"{request.max_msat // 1000:,}"),
            _("Scan the QR code with a wallet instead, or raise the card's limit with its issuer"),
        )
    if amount_msat < request.min_msat:
        raise TapFailed(
            TapProblem.LIMIT,
            _("This card pays only {sats} sats or more").format(sats=f"{-(-request.min_msat // 1000):,}"),
            _("Scan the QR code with a wallet instead"),
        )


def needs_pin(request: WithdrawRequest, amount_msat: int) -> bool:
    return request.pin_limit_msat is not None and amount_msat >= request.pin_limit_msat


def callback_url(request: WithdrawRequest, bolt11: str, pin: str | None = None) -> str:
    """`callback?k1=…&pr=…` (and `pin`), keeping whatever query the callback already has."""
    parts = urlsplit(request.callback)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("k1", "pr", "pin")
    ]
    query += [("k1", request.k1), ("pr", bolt11)]
    if pin is not None:
        query.append(("pin", pin))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def callback_accepted(answer: object) -> None:
    """The callback's answer: `{"status": "OK"}`, or a TapFailed saying why not."""
    refused_by_service(answer)
    if not isinstance(answer, dict) or str(answer.get("status", "")).upper() != "OK":
        raise malformed(_("no status OK"))
