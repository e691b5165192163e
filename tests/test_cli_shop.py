"""The shop day from a terminal, as real processes on one ledger: cash, Lightning, refunds, the Z-report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk import cli_exits
from tests.test_cli import lines, run


@pytest.fixture
def shop(tmp_path):
    (tmp_path / "kiosk.toml").write_text(
        '[shop]\nname = "Tax Shop"\ncurrency = "EUR"\n[tax]\nrate = "19"\ntips_rate = "19"\n'
        '[ledger]\npath = "ledger.sqlite3"\n[demo]\nreceipts_dir = "receipts"\n'
    )
    return tmp_path


def test_a_cash_sale_ends_with_paid_cash_and_the_change(shop):
    result = run(shop, "charge", "4.50", "--cash", "10", "--json")
    assert result.returncode == cli_exits.EXIT_PAID, result.stderr
    (paid,) = lines(result.stdout)
    assert paid | {"event": "paid", "tender": "cash", "change": "5.50", "tendered": "10.00"} == paid
    assert paid["receipt_printed"] is True and paid["amount_msat"] == 0
    receipt = (shop / "receipts" / f"sale-{paid['sale_id']:06d}.txt").read_text()
    assert "PAID in cash" in receipt and "Tax 19% on €3.78" in receipt
    short = run(shop, "charge", "4.50", "--cash", "4.00", "--json")
    assert short.returncode == cli_exits.EXIT_FAILED and "does not cover" in lines(short.stdout)[-1]["error"]


def test_mixed_sales_and_refunds_give_a_report_whose_totals_sum(shop):
    assert run(shop, "charge", "8.00", "--cash", "20", "--json").returncode == 0
    lightning = run(shop, "charge", "6.00", "--demo-pay-after", "0.3", "--json")
    assert lightning.returncode == 0, lightning.stderr
    sale_id = lines(lightning.stdout)[-1]["sale_id"]
    first = lines(run(shop, "refund", str(sale_id), "--amount", "1.50", "--key", "k1", "--json").stdout)
    again = lines(run(shop, "refund", str(sale_id), "--amount", "1.50", "--key", "k1", "--json").stdout)
    assert first == again and first[0]["left"] == "4.50"  # the same key: the same refund, not a second
    over = run(shop, "refund", str(sale_id), "--amount", "4.51", "--json")
    assert over.returncode == cli_exits.EXIT_USAGE and "at most €4.50" in over.stderr
    cash_back = lines(run(shop, "refund", "1", "--amount", "3.00", "--json").stdout)[0]
    assert (cash_back["tender"], cash_back["state"]) == ("cash", "done")

    report = lines(run(shop, "report", "--json").stdout)[0]
    totals = report["totals"]["EUR"]

    def sums(part: dict) -> None:
        money = {k: Decimal(part[k]) for k in ("subtotal", "tax", "tips", "refunds", "takings")}
        assert money["subtotal"] + money["tax"] + money["tips"] - money["refunds"] == money["takings"]
        assert sum(Decimal(t["tax"]) for t in part["tax_by_rate"]) == money["tax"]

    sums(totals)
    assert Decimal(totals["takings"]) == Decimal("8.00") + Decimal("6.00") - Decimal("1.50") - Decimal("3.00")
    for group in ("by_tender", "by_cashier"):
        for part in report[group]:
            sums(part)
        assert sum(Decimal(p["takings"]) for p in report[group]) == Decimal(totals["takings"])
    cash = report["cash"]
    assert (cash["cash_sales"], cash["cash_refunds"], cash["expected"]) == ("8.00", "3.00", "5.00")
    assert report["paid_sales"] == 2 and totals["refund_count"] == 2


def test_a_discount_from_the_terminal_is_on_the_sale_its_receipt_and_the_report(shop):
    cash = run(shop, "charge", "10.00", "--cash", "20", "--discount", "10%", "--json")
    assert cash.returncode == cli_exits.EXIT_PAID, cash.stderr
    paid = lines(cash.stdout)[-1]
    assert paid["change"] == "11.00"
    receipt = (shop / "receipts" / f"sale-{paid['sale_id']:06d}.txt").read_text()
    assert "Discount" in receipt and "-€1.00" in receipt
    lightning = run(shop, "charge", "6.00", "--discount", "2.50", "--demo-pay-after", "0.3", "--json")
    assert lightning.returncode == cli_exits.EXIT_PAID, lightning.stderr
    totals = lines(run(shop, "report", "--json").stdout)[0]["totals"]["EUR"]
    assert Decimal(totals["discount"]) == Decimal("3.50") and Decimal(totals["takings"]) == Decimal("12.50")
    for wrong in ("ten", "101%", "2.505", "-1"):
        bad = run(shop, "charge", "6.00", "--discount", wrong)
        assert bad.returncode == cli_exits.EXIT_USAGE and "--discount" in bad.stderr, wrong
