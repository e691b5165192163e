"""The doubles' invoice store: genuine signed regtest BOLT11 invoices and their payments."""

from __future__ import annotations

import enum
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


class Forgery(enum.StrEnum):
    """A 'paid' answer that is no proof of payment."""

    NO_PREIMAGE = "no preimage"
    WRONG_PREIMAGE = "wrong preimage"
    ONE_SAT_OF_21 = "1 sat of 21"

    def fields(self, preimage: str, amount_msat: int) -> tuple[str | None, int]:
        """The preimage and amount received the forged answer carries."""
        if self is Forgery.NO_PREIMAGE:
            return None, amount_msat
        if self is Forgery.WRONG_PREIMAGE:
            return hashlib.sha256(bytes.fromhex(preimage)).hexdigest(), amount_msat
        return preimage, 1_000


class InvoiceBook:
    """Invoices by payment hash; `changed` is notified on every payment and expiry check."""

    def __init__(self) -> None:
        self.key_hex = secrets.token_hex(32)
        self.pubkey = PrivateKey(bytes.fromhex(self.key_hex)).public_key.format(compressed=True).hex()
        self.changed = threading.Condition()
        self.invoices: dict[str, StoredInvoice] = {}
        self.amount_offset_msat = 0  # test hook: the node signs an invoice for another amount
        self.forgery: Forgery | None = None  # test hook: lookups say an unpaid invoice is paid
        self._pay_count = 0

    def mint(
        self, amount_msat: int, memo: str, expiry_s: int, label: str = "", description_hash: str = ""
    ) -> StoredInvoice:
        """A signed invoice; with `description_hash` (hex) it carries that instead of the memo."""
        preimage = secrets.token_bytes(32)
        payment_hash = hashlib.sha256(preimage).hexdigest()
        payment_secret = secrets.token_hex(32)
        created_at = int(time.time())
        tags = Tags()
        tags.add(TagChar.payment_hash, payment_hash)
        tags.add(TagChar.payment_secret, payment_secret)
        if description_hash:
            tags.add(TagChar.description_hash, description_hash)
        else:
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

    def added_after(self, index: int) -> list[StoredInvoice]:
        """Invoices with an add index above `index`, oldest first."""
        with self.changed:
            return [i for i in self.invoices.values() if i.index > index]

    def paid_after(self, pay_index: int) -> list[StoredInvoice]:
        """Paid invoices with a pay (settle) index above `pay_index`, in the order they were paid."""
        with self.changed:
            paid = [i for i in self.invoices.values() if i.pay_index is not None and i.pay_index > pay_index]
            return sorted(paid, key=lambda i: i.pay_index or 0)

    @property
    def last_index(self) -> int:
        with self.changed:
            return len(self.invoices)

    @property
    def last_pay_index(self) -> int:
        with self.changed:
            return self._pay_count

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


class BookHooks:
    """The test hooks a double over an InvoiceBook offers (see harness.NodeDouble)."""

    book: InvoiceBook

    def pay(self, payment_hash: str, amount_msat: int | None = None) -> None:
        self.book.pay(payment_hash, amount_msat)

    def wake(self) -> None:
        self.book.wake()

    def sign_other_amounts(self, offset_msat: int) -> None:
        self.book.amount_offset_msat = offset_msat

    def forge_paid(self, forgery: Forgery | None) -> None:
        self.book.forgery = forgery
