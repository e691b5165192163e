"""The doubles' invoice store: genuine signed regtest BOLT11 invoices and their payments."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

import bolt11
from bolt11.models.tags import TagChar, Tags
from coincurve import PrivateKey


@dataclass
class StoredInvoice:
    payment_hash: str
    preimage: str
    payment_secret: str
    bolt11: str
    amount_msat: int
    memo: str
    label: str
    created_at: int
    expiry_s: int
    index: int
    paid_msat: int = 0
    paid_at: int | None = None
    pay_index: int | None = None

    @property
    def expires_at(self) -> int:
        return self.created_at + self.expiry_s

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    def is_expired(self, now: float | None = None) -> bool:
        return not self.is_paid and (time.time() if now is None else now) >= self.expires_at


class InvoiceBook:
    """Invoices by payment hash; `changed` is notified on every payment and expiry check."""

    def __init__(self) -> None:
        self.key_hex = secrets.token_hex(32)
        self.pubkey = PrivateKey(bytes.fromhex(self.key_hex)).public_key.format(compressed=True).hex()
        self.changed = threading.Condition()
        self.invoices: dict[str, StoredInvoice] = {}
        self.amount_offset_msat = 0  # test hook: the node signs an invoice for another amount
        self._pay_count = 0

    def mint(self, amount_msat: int, memo: str, expiry_s: int, label: str = "") -> StoredInvoice:
        preimage = secrets.token_bytes(32)
        payment_hash = hashlib.sha256(preimage).hexdigest()
        payment_secret = secrets.token_hex(32)
        created_at = int(time.time())
        tags = Tags()
        tags.add(TagChar.payment_hash, payment_hash)
        tags.add(TagChar.payment_secret, payment_secret)
        tags.add(TagChar.description, memo)
        tags.add(TagChar.expire_time, expiry_s)
        signed = bolt11.encode(
            bolt11.Bolt11(
                currency="bcrt",
                date=created_at,
                tags=tags,
                amount_msat=bolt11.MilliSatoshi(amount_msat + self.amount_offset_msat),
            ),
            self.key_hex,
        )
        with self.changed:
            invoice = StoredInvoice(
                payment_hash,
                preimage.hex(),
                payment_secret,
                signed,
                amount_msat,
                memo,
                label,
                created_at,
                expiry_s,
                index=len(self.invoices) + 1,
            )
            self.invoices[payment_hash] = invoice
        return invoice

    def pay(self, payment_hash: str, amount_msat: int | None = None) -> None:
        """A customer's payment arrives; more than asked is accepted, as by real nodes."""
        with self.changed:
            invoice = self.invoices[payment_hash]
            amount = invoice.amount_msat if amount_msat is None else amount_msat
            if invoice.is_paid or invoice.is_expired():
                raise ValueError(f"invoice {payment_hash} cannot be paid any more")
            if amount < invoice.amount_msat:
                raise ValueError("underpayment is refused by the node")
            self._pay_count += 1
            invoice.paid_msat = amount
            invoice.paid_at = int(time.time())
            invoice.pay_index = self._pay_count
            self.changed.notify_all()

    def get(self, payment_hash: str) -> StoredInvoice | None:
        with self.changed:
            return self.invoices.get(payment_hash)

    def by_label(self, label: str) -> StoredInvoice | None:
        with self.changed:
            return next((i for i in self.invoices.values() if i.label == label), None)

    def wait(self, timeout_s: float) -> None:
        """Sleep until something changes or `timeout_s` passes (callers re-check their state)."""
        with self.changed:
            self.changed.wait(timeout_s)

    def wake(self) -> None:
        with self.changed:
            self.changed.notify_all()
