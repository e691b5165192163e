"""Refunds of paid sales: capped at what was paid, recorded before any money moves, never paid twice.

1. The refund goes into the ledger as PENDING under its key, in one transaction
   that also checks it fits in what the sale has left to refund. A second call
   with the same key finds that row instead of making another.
2. Then the money moves: in `record` mode the cashier hands cash back (or it is
   handled elsewhere) and the refund is DONE at once; in `voucher` mode the
   `VoucherIssuer` (the merchant's node or LNbits) makes an LNURL-withdraw for
   the amount, the customer scans it. Before any voucher is made the issuer is
   asked whether one with this key exists already, so a retry after a crash or
   a lost answer finds it rather than making a second.
A PENDING refund counts against the sale: whatever happened to it, what is
left to refund never grows back, so no crash can let the money out twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from kiosk.domain.money import currency
from kiosk.domain.refund import (
    Refund,
    RefundMode,
    RefundRefused,
    RefundState,
    check_refund,
    refund_msat,
    refundable,
)
from kiosk.domain.sale import Sale
from kiosk.domain.takings import sale_total
from kiosk.domain.tender import Tender
from kiosk.errors import BackendError, KioskError
from kiosk.i18n import _
from kiosk.services.ledger import Ledger
from kiosk.services.receipt_money import amount_text

log = logging.getLogger(__name__)
MIN_VOUCHER_MSAT = 1_000  # withdraw links are in whole sats


@dataclass(frozen=True)
class Voucher:
    id: str  # the issuer's id for it
    lnurl: str  # what the customer scans


class VoucherIssuer(Protocol):
    """The voucher port: an LNURL-withdraw the customer can claim once, for a set amount."""

    def find(self, key: str) -> Voucher | None:
        """The voucher made earlier under `key`, if the issuer has one. Raises BackendError."""

    def create(self, key: str, amount_msat: int, title: str) -> Voucher:
        """A new voucher for `amount_msat`, filed under `key`. Raises BackendError."""


class RefundStore(Protocol):
    """Where refunds are kept (`kiosk.storage.refunds.RefundRepository`, migration 006)."""

    def record(self, refund: Refund, paid: Decimal, quantum: Decimal) -> Refund:
        """Insert `refund` PENDING, or return the refund already under its key; in one transaction that
        refuses it (RefundRefused) if it is more than the sale has left of `paid`."""

    def finish(
        self, refund_id: int, state: RefundState, at_ms: int, voucher: Voucher | None = None, error: str = ""
    ) -> Refund: ...

    def for_sale(self, sale_id: int) -> list[Refund]: ...

    def with_key(self, key: str) -> Refund | None: ...

    def between(self, start_ms: int, end_ms: int) -> list[Refund]:
        """Refunds made in [start_ms, end_ms), oldest first: a shift's."""

    def pending(self) -> list[Refund]: ...


def left_to_refund(sale: Sale, refunds: list[Refund]) -> Decimal:
    """What a sale can still refund, in its currency, given its refunds so far (nothing unless paid)."""
    return refundable(sale_total(sale), refunds) if sale.state.is_paid else Decimal(0)


class Refunds:
    def __init__(
        self,
        ledger: Ledger,
        store: RefundStore,
        mode: RefundMode,
        clock_ms: Callable[[], int],
        issuer: VoucherIssuer | None = None,
    ) -> None:
        self._ledger = ledger
        self._store = store
        self.mode = mode
        self._clock_ms = clock_ms
        self._issuer = issuer

    def left(self, sale: Sale) -> Decimal:
        """What the sale can still refund, in its currency."""
        return left_to_refund(sale, self._store.for_sale(sale.id))

    def for_sale(self, sale_id: int) -> list[Refund]:
        return self._store.for_sale(sale_id)

    def refund(
        self,
        sale_id: int,
        key: str,
        amount: Decimal | None = None,
        cash: bool = False,
        cashier_id: int | None = None,
    ) -> Refund:
        """Refund `amount` (None: all that is left) of a paid sale; the same `key` is the same refund."""
        existing = self._store.with_key(key)
        if existing is not None:
            return existing if existing.state is not RefundState.PENDING else self._pay(existing)
        sale = self._ledger.get(sale_id)
        if not sale.state.is_paid:
            raise KioskError(
                _("Sale #{sale_id} is not paid: there is nothing to refund").format(sale_id=sale_id),
                _("Pick a paid sale"),
            )
        paid, quantum = sale_total(sale), currency(sale.currency).quantum
        left = self.left(sale)
        try:
            check_refund(left if amount is None else amount, left, quantum)
        except RefundRefused:
            raise KioskError(
                _("Sale #{sale_id} can refund at most {left}").format(
                    sale_id=sale_id, left=amount_text(left, sale.currency)
                ),
                _("Type an amount above zero and no more than that"),
            ) from None
        amount = left if amount is None else amount
        tender = Tender.CASH if cash or sale.tender is Tender.CASH else Tender.LIGHTNING
        mode = RefundMode.RECORD if tender is Tender.CASH else self.mode
        msat = (
            0
            if tender is Tender.CASH
            else refund_msat(amount, paid, sale.amount_received_msat or sale.amount_msat)
        )
        draft = Refund(
            0, sale_id, key, amount, msat, tender, mode, RefundState.PENDING, self._clock_ms(), cashier_id
        )
        try:
            recorded = self._store.record(draft, paid, quantum)
        except RefundRefused:  # another refund of this sale got in first
            raise KioskError(
                _("Sale #{sale_id} can refund at most {left}").format(
                    sale_id=sale_id, left=amount_text(self.left(sale), sale.currency)
                ),
                _("Type an amount above zero and no more than that"),
            ) from None
        return self._pay(recorded)

    def _pay(self, refund: Refund) -> Refund:
        """Move the money of a PENDING refund, once (the caller then prints its slip)."""
        done = self._voucher(refund) if refund.mode is RefundMode.VOUCHER else None
        return self._store.finish(refund.id, RefundState.DONE, self._clock_ms(), done)

    def _voucher(self, refund: Refund) -> Voucher:
        if self._issuer is None:
            raise KioskError(
                _("This kiosk cannot make refund vouchers"),
                _('Set refunds.mode = "record" and hand the money back, or configure the voucher node'),
            )
        try:
            voucher = self._issuer.find(refund.key) or self._issuer.create(
                refund.key, refund.amount_msat, _("Refund for sale #{sale_id}").format(sale_id=refund.sale_id)
            )
        except BackendError:
            log.warning(
                "refund %s: no voucher yet; it stays pending and is looked up before a retry", refund.id
            )
            raise
        return voucher
