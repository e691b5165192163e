"""History search and paging in a real ledger file."""

from __future__ import annotations

from kiosk.domain.sale import SaleState
from tests.admin.conftest import DAY_START_MS, record

S = SaleState


def test_search_finds_by_number_amount_memo_and_hash_prefix(ledger):
    coffee = record(ledger, DAY_START_MS, 4_736, fiat="4.50", memo="Flat white")
    cake = record(ledger, DAY_START_MS + 1, 2_100, memo="Cheesecake 芝士蛋糕")
    failed = record(ledger, DAY_START_MS + 2, 999, end=S.FAILED, memo="100% juice")

    def ids(text: str) -> list[int]:
        return [sale.id for sale in ledger.search(text)]

    assert ids("") == [failed.id, cake.id, coffee.id]  # newest first
    assert ids(f"#{cake.id}") == [cake.id]
    assert ids("4.5") == [coffee.id] == ids("4.50")
    assert ids("2100") == [cake.id]  # sats
    assert ids("white") == [coffee.id]
    assert ids("芝士") == [cake.id]
    assert ids("100%") == [failed.id]  # a literal %, not a wildcard
    assert ids("%") == [failed.id]
    assert ids(cake.payment_hash[:6]) == [cake.id]
    assert ids(cake.payment_hash[:6].upper()) == [cake.id]
    assert ids("nothing like it") == []
    assert ledger.count_matching("") == 3 and ledger.count_matching("white") == 1


def test_every_state_is_in_the_history(ledger):
    ends = [S.RECEIPT_PRINTED, S.PAID, S.PAID_LATE, S.EXPIRED, S.CANCELLED, S.FAILED]
    for n, end in enumerate(ends):
        record(ledger, DAY_START_MS + n, 1_000 + n, end=end)
    assert [sale.state for sale in ledger.search()] == list(reversed(ends))


def test_pages_follow_each_other_without_gaps_or_repeats(ledger):
    made = [record(ledger, DAY_START_MS + n, 1_000 + n, memo="tea" if n % 3 else "coffee") for n in range(25)]
    seen: list[int] = []
    before = None
    while page := ledger.search("tea", before, limit=4):
        assert len(page) <= 4
        seen += [sale.id for sale in page]
        before = page[-1].id
    assert seen == [sale.id for sale in reversed(made) if sale.memo == "tea"]
    assert ledger.page_after(made[20].id, 10) == made[21:]
