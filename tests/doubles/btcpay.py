"""A BTCPay Server Greenfield double on loopback HTTPS that follows contracts/btcpay.toml.

One store; API keys with permissions (`Authorization: token <key>`; no key or an unknown one is
401 unauthenticated, a key without the call's policy for the store 403 missing-permission);
invoices in SATS whose Lightning payment method holds a genuine signed BOLT11 (InvoiceBook).
Statuses follow BTCPay's InvoiceWatcher: New, Settled once paid in time, Expired at its
expirationTime, Expired + PaidLate when paid after that, Invalid when marked so.
Test hooks: pay(), expire_now() (BTCPay's clock passes the expiry while the BOLT11 still takes
a payment: the way a late payment happens), mark_invalid(), kill()/restart(), garbage, synced,
sign_other_amounts(), forge_paid(), overrides (garbage in the invoice answers), keys.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.doubles import specs_btcpay
from tests.doubles.invoices import BookHooks, Forgery, InvoiceBook, StoredInvoice
from tests.doubles.server import HttpsDouble, JsonHandler
from tests.doubles.tls import node_tls

STORE_ID = "9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776"
NEEDED = ["btcpay.store.cancreateinvoice", "btcpay.store.canviewinvoices"]
# Policies that hold every store policy (Permissions.cs policy tree, in short).
SUPERSETS = {"unrestricted", "btcpay.store.canmodifystoresettings"}
DEFAULT_EXPIRATION_MIN = 15
DESCRIPTION = "Paid to Kiosk Double Store (Order ID: {order})"  # LightningDescriptionTemplate


@dataclass
class Invoice:
    id: str
    request: dict
    lightning: StoredInvoice
    created: int
    expiration: int
    invalid: bool = False
    metadata: dict = field(default_factory=dict)


class BtcpayDouble(BookHooks, HttpsDouble):
    def __init__(self, folder: Path) -> None:
        tls = node_tls(folder, "btcpay")
        super().__init__(_BtcpayHandler, tls.context)
        self.cert_file = tls.cert_file
        self.book = InvoiceBook()
        self.store_id = STORE_ID
        self.key = secrets.token_hex(20)  # BTCPay keys are 40 hex digits
        self.keys: dict[str, list[str]] = {self.key: [f"{p}:{STORE_ID}" for p in NEEDED]}
        self.synced = True
        self.invoices: dict[str, Invoice] = {}
        self.overrides: dict[str, object] = {}  # test hook: fields every invoice answer carries instead

    def add_key(self, *permissions: str) -> str:
        key = secrets.token_hex(20)
        self.keys[key] = list(permissions)
        return key

    def by_hash(self, payment_hash: str) -> Invoice:
        return next(i for i in self.invoices.values() if i.lightning.payment_hash == payment_hash)

    def expire_now(self, payment_hash: str) -> None:
        self.by_hash(payment_hash).expiration = int(time.time()) - 1

    def mark_invalid(self, payment_hash: str) -> None:
        self.by_hash(payment_hash).invalid = True

    def open_streams(self) -> int:
        return 0  # BTCPay has no push channel but webhooks

    def create(self, request: dict) -> Invoice:
        checkout = request.get("checkout") or {}
        minutes = checkout.get("expirationMinutes") or DEFAULT_EXPIRATION_MIN
        if isinstance(minutes, str):  # a TimeSpan string, "h:mm:ss"
            hours, mins, secs = (int(part) for part in minutes.split(":"))
            seconds = hours * 3600 + mins * 60 + secs
        else:
            seconds = int(minutes) * 60
        now = int(time.time())
        metadata = request.get("metadata") or {}
        sats = int(Decimal(request["amount"]))
        memo = DESCRIPTION.format(order=metadata.get("orderId") or "")
        lightning = self.book.mint(sats * 1000, memo, seconds)
        invoice = Invoice(
            secrets.token_urlsafe(16), request, lightning, now, now + seconds, metadata=metadata
        )
        with self.book.changed:
            self.invoices[invoice.id] = invoice
        return invoice

    def status(self, invoice: Invoice) -> tuple[str, str, int]:
        """BTCPay's status, additionalStatus and paid sats of an invoice now."""
        paid = invoice.lightning
        if self.book.forgery is Forgery.ONE_SAT_OF_21 and not paid.is_paid:
            return "Settled", "None", 1
        if invoice.invalid:
            return "Invalid", "Marked", paid.paid_msat // 1000
        if paid.paid_at is not None:
            if paid.paid_at >= invoice.expiration:
                return "Expired", "PaidLate", paid.paid_msat // 1000
            over = "PaidOver" if paid.paid_msat > paid.amount_msat else "None"
            return "Settled", over, paid.paid_msat // 1000
        if time.time() >= invoice.expiration:
            return "Expired", "None", 0
        return "New", "None", 0

    def invoice_json(self, invoice: Invoice) -> dict:
        status, additional, paid_sats = self.status(invoice)
        return {
            "id": invoice.id,
            "storeId": self.store_id,
            "amount": invoice.request["amount"],
            "paidAmount": str(paid_sats),
            "currency": "SATS",
            "type": "Standard",
            "checkoutLink": f"{self.url}/i/{invoice.id}",
            "createdTime": invoice.created,
            "expirationTime": invoice.expiration,
            "monitoringExpiration": invoice.expiration + 86_400,
            "status": status,
            "additionalStatus": additional,
            "availableStatusesForManualMarking": ["Settled", "Invalid"]
            if status != "Settled"
            else ["Invalid"],
            "archived": False,
            "metadata": invoice.metadata,
            "checkout": {
                "paymentMethods": ["BTC-LN"],
                "expirationMinutes": (invoice.expiration - invoice.created) // 60,
                "monitoringMinutes": 1440,
                "paymentTolerance": 0.0,
                "lazyPaymentMethods": False,
            },
            "receipt": {"enabled": True, "showQR": None, "showPayments": None},
        } | self.overrides

    def methods_json(self, invoice: Invoice) -> list[dict]:
        paid = invoice.lightning
        sats = Decimal(paid.amount_msat) / 1000
        btc = lambda sat: format((Decimal(sat) / 100_000_000).normalize(), "f")  # noqa: E731
        payments = []
        if paid.paid_at is not None:
            payments.append(
                {
                    "id": paid.payment_hash,
                    "receivedDate": paid.paid_at,
                    "value": btc(Decimal(paid.paid_msat) / 1000),
                    "fee": "0",
                    "status": "Settled",
                    "destination": paid.bolt11,
                }
            )
        return [
            {
                "paymentMethodId": "BTC-LN",
                "currency": "BTC",
                "destination": paid.bolt11,
                "paymentLink": f"lightning:{paid.bolt11}",
                "rate": "100000000",
                "paymentMethodPaid": btc(Decimal(paid.paid_msat) / 1000),
                "totalPaid": btc(Decimal(paid.paid_msat) / 1000),
                "due": btc(sats - Decimal(paid.paid_msat) / 1000),
                "amount": btc(sats),
                "paymentMethodFee": "0",
                "payments": payments,
                "activated": True,
                "additionalData": {},
            }
        ]

    def allowed(self, key: str, policy: str) -> bool:
        for permission in self.keys.get(key, []):
            granted, _sep, scope = permission.partition(":")
            if scope not in ("", self.store_id):
                continue
            if granted == policy or granted in SUPERSETS:
                return True
        return False


def _problem(code: str, message: str) -> dict:
    return {"code": code, "message": message}


class _BtcpayHandler(JsonHandler):
    def do_GET(self) -> None:
        self._route("GET", None)

    def do_POST(self) -> None:
        raw = self.read_body()
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            self.reply(400, [{"path": "", "message": "Invalid JSON"}])
            return
        self._route("POST", body)

    def _route(self, method: str, body: object) -> None:
        double: BtcpayDouble = self.double
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/api/v1/health" and method == "GET":
            self.reply(200, {"synchronized": double.synced})
            return
        key = self.headers.get("Authorization", "").removeprefix("token ").strip()
        if key not in double.keys:
            self.reply(
                401, _problem("unauthenticated", "Authentication is required for accessing this endpoint")
            )
            return
        if path == "/api/v1/api-keys/current" and method == "GET":
            self.reply(200, {"apiKey": key, "label": "kiosk", "permissions": double.keys[key]})
            return
        segments = path.strip("/").split("/")
        if segments[:3] != ["api", "v1", "stores"] or len(segments) < 5 or segments[4] != "invoices":
            self.reply(404, _problem("not-found", "Not found"))
            return
        if segments[3] != double.store_id:
            self.reply(403, _permission(NEEDED[1]))
            return
        rest = segments[5:]
        policy = NEEDED[0] if method == "POST" and not rest else NEEDED[1]
        if not double.allowed(key, policy):
            self.reply(403, _permission(policy))
            return
        if method == "POST" and not rest:
            self._create(body)
        elif method == "GET" and not rest:
            self._list(query)
        elif method == "GET" and rest and (invoice := double.invoices.get(rest[0])) is not None:
            if rest[1:] == ["payment-methods"]:
                self.reply(200, double.methods_json(invoice))
            elif not rest[1:]:
                self.reply(200, double.invoice_json(invoice))
            else:
                self.reply(404, _problem("not-found", "Not found"))
        else:
            self.reply(404, _problem("invoice-not-found", "The invoice was not found"))

    def _create(self, body: object) -> None:
        double: BtcpayDouble = self.double
        try:
            specs_btcpay.validate(as_openapi_types(body), specs_btcpay.schema("CreateInvoiceRequest"))
        except Exception as exc:  # jsonschema.ValidationError: BTCPay answers 400 with the path
            self.reply(400, [{"path": "", "message": str(exc).splitlines()[0]}], body)
            return
        assert isinstance(body, dict)
        if body.get("amount") is None or Decimal(body["amount"]) < 0:
            self.reply(400, [{"path": "amount", "message": "The amount should be 0 or more."}], body)
            return
        self.reply(200, double.invoice_json(double.create(body)), body)

    def _list(self, query: dict[str, list[str]]) -> None:
        double: BtcpayDouble = self.double
        since = int(query.get("startDate", ["0"])[0])
        orders = query.get("orderId")
        found = [
            i
            for i in reversed(list(double.invoices.values()))  # newest first, as BTCPay lists them
            if i.created >= since and (orders is None or i.metadata.get("orderId") in orders)
        ]
        skip, take = int(query.get("skip", ["0"])[0]), int(query.get("take", ["0"])[0]) or None
        page = found[skip : None if take is None else skip + take]
        self.reply(200, [double.invoice_json(i) for i in page])


def _permission(policy: str) -> dict:
    return _problem(
        "missing-permission",
        f'Insufficient API Permissions. Please use an API key with permission "{policy}". '
        "You can create an API key in your account's settings / Api Keys.",
    )


def as_openapi_types(body: object) -> object:
    """The request as the OpenAPI types it: TimeSpanJsonConverter also reads "h:mm:ss" strings
    for expirationMinutes (contracts/btcpay.toml [invoice]), which the OpenAPI calls a number."""
    if not isinstance(body, dict) or not isinstance(body.get("checkout"), dict):
        return body
    checkout = dict(body["checkout"])
    if isinstance(checkout.get("expirationMinutes"), str):
        checkout["expirationMinutes"] = 0
    return body | {"checkout": checkout}
