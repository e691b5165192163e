"""One printer geometry for every printout: a TM-T88V on 80 mm paper prints 42 columns, receipts and reports.

The plain 80 mm paper would give 48 columns; laid out for 48 on a 42-column printer, every
report line would wrap. The kiosk is built as the app builds it (wiring), with the demo
printer writing what it prints into a folder.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image
from wcwidth import wcswidth

from kiosk.config import Config, DemoConfig, LedgerConfig, PrinterConfig
from kiosk.domain.money import currency
from kiosk.domain.pricing import Order
from kiosk.domain.sale import SaleState
from kiosk.services.receipts import COLUMNS, PaperGeometry
from kiosk.wiring import build
from tests.support.wait import wait_until

TM_T88V = PaperGeometry(80, 42, 512)  # 180 dpi: 512 dots, 42 columns of font A


@pytest.fixture
def services(tmp_path):
    config = Config(
        printer=PrinterConfig(kind="none", profile="TM-T88V", paper_width_mm=80),
        demo=DemoConfig(receipts_dir=tmp_path / "receipts"),
        ledger=LedgerConfig(tmp_path / "ledger.sqlite3"),
    )
    built = build(config)
    yield built
    built.close()


def printed(services, name: str) -> list[str]:
    return (services.config.demo.receipts_dir / f"{name}.txt").read_text(encoding="utf-8").splitlines()


def test_receipt_report_and_test_page_share_the_printers_columns(services):
    assert COLUMNS[80] != TM_T88V.columns  # the plain paper's width would be the wrong one
    priced = Order(Decimal("4.50"), currency(services.config.shop.currency)).priced(
        services.rates.current(), services.config.payment.max_sats
    )
    sale = services.checkout.charge(priced, "Tea")
    services.backend.pay(sale.payment_hash)
    wait_until(lambda: services.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, 10, "the receipt")
    admin = services.admin
    report, problem = admin.close_shift()
    assert problem is None
    admin.test_page()

    pages = {
        "receipt": printed(services, f"sale-{sale.id:06d}"),
        "z-report": printed(services, f"z-report-{report.shift.id:05d}"),
        "test page": printed(services, "test-page"),
    }
    for name, lines in pages.items():
        rules = {len(line) for line in lines if line and set(line) == {"-"}}
        assert rules == {TM_T88V.columns}, f"{name}: rules of {rules} columns"
        too_long = [line for line in lines if wcswidth(line) > TM_T88V.columns]
        assert not too_long, f"{name}: lines longer than the paper: {too_long}"
    assert "80 mm, 42 columns" in "\n".join(pages["test page"])


def test_the_admin_preview_is_drawn_for_the_same_paper(services):
    assert services.admin.paper == TM_T88V
    preview = Image.open(io.BytesIO(services.admin.report_preview(services.admin.shift_report())))
    assert preview.width == TM_T88V.dots
