"""The sales ledger port: every sale and each state it went through, on disk before anyone sees it.

`kiosk.storage.sales.SaleRepository` implements it on the kiosk's SQLite file.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.domain.sale import Sale, SaleState


class StaleSale(Exception):
    """The sale changed in the ledger since it was read: a transition raced another one."""


class Ledger(Protocol):
    def add(self, sale: Sale, at_ms: int) -> Sale:
        """Insert a new sale (with its items) and return it with its ledger id."""

    def save(self, before: Sale, after: Sale, at_ms: int) -> None:
        """Record a transition and its event at once; StaleSale if the stored state is not `before`'s."""

    def get(self, sale_id: int) -> Sale:
        """The sale; KeyError if there is none."""

    def with_payment_hash(self, payment_hash: str) -> Sale | None:
        """The sale whose invoice has this payment hash, if any (a hash is on one sale at most)."""

    def sales(self, limit: int | None = None) -> list[Sale]:
        """Newest first."""

    def in_states(self, states: tuple[SaleState, ...]) -> list[Sale]:
        """Oldest first."""

    def search(self, text: str = "", before_id: int | None = None, limit: int = 20) -> list[Sale]:
        """Newest first, `limit` at a time: pass the last id shown as `before_id` for the next page.

        `text` matches a sale number ("#42" or "42"), an amount (fiat "4.5" or sats "2100"),
        words in the memo, or the start of the payment hash.
        """

    def page_after(self, after_id: int, limit: int) -> list[Sale]:
        """Oldest first, from the sale after `after_id`: for reading the whole ledger in pages."""

    def count_matching(self, text: str = "") -> int:
        """How many sales `search(text)` finds over all its pages."""

    def paid_between(self, start_ms: int, end_ms: int) -> list[Sale]:
        """Sales whose money arrived in [start_ms, end_ms), oldest first: a shift's takings."""

    def unpaid_between(self, start_ms: int, end_ms: int) -> list[Sale]:
        """Sales made in [start_ms, end_ms) that brought no money (failed, expired, cancelled, open)."""

    def first_sale_at_ms(self) -> int | None:
        """When the oldest sale was made; None for an empty ledger."""

    def history(self, sale_id: int) -> list[tuple[SaleState | None, SaleState, int]]:
        """The sale's transitions, oldest first: (from, to, at_ms)."""
