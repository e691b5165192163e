"""CSV export from a real ledger file: exact values, every state, Excel-readable Chinese, whole files."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.sale import SaleItem, SaleState
from kiosk.errors import KioskError
from kiosk.services import export
from kiosk.services.export import COLUMNS, export_sales, usb_drives
from tests.admin.conftest import DAY_START_MS, record

S = SaleState
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)


def read(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def test_one_exact_row_per_sale_in_every_state(ledger, tmp_path):
    ends = [S.RECEIPT_PRINTED, S.PAID_LATE, S.EXPIRED, S.CANCELLED, S.FAILED]
    sales = [record(ledger, DAY_START_MS + n, 1_000 + n, end=end) for n, end in enumerate(ends)]
    coffee = record(
        ledger,
        DAY_START_MS + 10,
        4_736,
        fiat="4.50",
        memo='拿铁 Latte, "large"',
        tip_sats=421,
        tip_fiat="0.40",
        items=(SaleItem("拿铁", 1, Decimal("4.10")),),
    )
    odd = record(ledger, DAY_START_MS + 11, 1, received_msat=1_234)
    formula = record(ledger, DAY_START_MS + 12, 5, memo='=HYPERLINK("x")')

    result = export_sales(ledger, tmp_path, BERLIN, NOW)
    assert result.path == tmp_path / "kiosk-sales-20261123-193000.csv"
    assert result.rows == 8 and result.size_bytes == result.path.stat().st_size
    rows = read(result.path)
    assert list(rows[0]) == list(COLUMNS)
    assert [int(r["sale_id"]) for r in rows] == [s.id for s in [*sales, coffee, odd, formula]]  # oldest first
    assert [r["state"] for r in rows[:5]] == [e.value for e in ends]
    late = rows[1]
    assert late["paid_late"] == "yes" and late["paid_at"].endswith("+01:00")
    assert rows[4]["error"] == "The Lightning node did not answer Check the node"
    cafe = rows[5]
    assert (
        cafe["memo"] == '拿铁 Latte, "large"' and cafe["fiat_amount"] == "4.50" and cafe["currency"] == "USD"
    )
    assert (cafe["tip_msat"], cafe["tip_fiat"], cafe["items"]) == ("421000", "0.40", "1 x 拿铁 @ 4.10")
    assert cafe["amount_msat"] == "4736000" and cafe["amount_sats"] == "4736" and cafe["rate_btc"] == "95000"
    assert rows[6]["received_msat"] == "1234" and rows[6]["amount_sats"] == "1"
    assert rows[7]["memo"] == '\'=HYPERLINK("x")'  # not a live formula in a spreadsheet
    assert not list(tmp_path.glob("*.part"))


def test_sub_sat_amounts_stay_exact(storage, ledger, tmp_path):
    sale = record(ledger, DAY_START_MS, 1)
    with storage.database.transaction() as conn:
        conn.execute("UPDATE sales SET amount_msat = 1001 WHERE id = ?", (sale.id,))
    rows = read(export_sales(ledger, tmp_path, BERLIN, NOW).path)
    assert rows[0]["amount_sats"] == "1.001"


def test_a_long_ledger_is_read_in_pages(ledger, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "PAGE", 7)
    made = [record(ledger, DAY_START_MS + n, 100 + n) for n in range(30)]
    rows = read(export_sales(ledger, tmp_path, BERLIN, NOW).path)
    assert [int(r["sale_id"]) for r in rows] == [s.id for s in made]


def test_a_stick_pulled_out_leaves_no_file_and_says_what_to_do(ledger, tmp_path):
    record(ledger, DAY_START_MS, 100)
    gone = tmp_path / "media" / "STICK"
    with pytest.raises(KioskError) as caught:
        export_sales(ledger, gone, BERLIN, NOW)
    assert "USB stick" in caught.value.hint
    assert not (tmp_path / "media").exists()


def test_usb_drives_are_writable_mount_points_one_or_two_levels_down(tmp_path):
    assert usb_drives(tmp_path / "missing") == []
    for folder in ("usb0", "pi/STICK", "pi/OTHER", "empty"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "file").write_text("")
    mounted = {tmp_path / "usb0", tmp_path / "pi" / "STICK"}
    assert usb_drives(tmp_path, lambda p: p in mounted) == sorted(mounted)
    assert usb_drives(tmp_path) == []  # nothing under tmp is really mounted
