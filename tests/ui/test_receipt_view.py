"""A sale's receipt on screen through the real widgets: the image the printer got, VAT lines and all,
in view at both sizes and in Chinese, with Reprint there and Back to the sale."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image, ImageChops

from kiosk.config import TaxConfig
from kiosk.ui import routing, strings
from tests.ui.conftest import headless_kiosk, scratch_config
from tests.ui.test_admin import sell, unlock

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def d(tmp_path_factory):
    config = scratch_config(tmp_path_factory.mktemp("kiosk"), tax=TaxConfig(rate=Decimal(8)))
    with headless_kiosk(config) as driver:
        yield driver


def open_receipt(d, sale_id: int) -> None:
    d.app.controller.admin.open_sale(sale_id)  # the tap on its history row
    detail = d.app.root.get_screen(routing.ADMIN_SALE)
    d.wait_until(lambda: detail.sale_id == sale_id and detail.has_receipt, "the sale's Receipt button")
    d.tap(d.get(routing.ADMIN_SALE, "receipt"))
    d.wait_for_screen(routing.ADMIN_RECEIPT)
    d.wait_until(lambda: d.get(routing.ADMIN_RECEIPT, "paper").texture is not None, "the receipt drawn")
    d.settle()


def test_the_receipt_on_screen_is_the_printed_one_with_its_vat(d):
    sale = sell(d, "1", "0", "8", "0")
    printed = d.services.config.demo.receipts_dir / f"sale-{sale.id:06d}"
    d.wait_until(printed.with_suffix(".png").exists, "the receipt printed")
    assert "8%" in printed.with_suffix(".txt").read_text(encoding="utf-8")  # net, tax per rate, gross
    unlock(d)
    open_receipt(d, sale.id)
    shown = Image.open(io.BytesIO(d.services.admin.receipt_preview(sale.id))).convert("L")
    assert not ImageChops.difference(shown, Image.open(printed.with_suffix(".png")).convert("L")).getbbox()
    paper = d.get(routing.ADMIN_RECEIPT, "paper")
    assert tuple(paper.ids.image.texture_size) == shown.size
    assert d.app.root.get_screen(routing.ADMIN_RECEIPT).title == strings.RECEIPT_OF_SALE.format(
        sale_id=sale.id
    )

    jobs = d.services.checkout.print_queue.jobs
    d.tap(d.get(routing.ADMIN_RECEIPT, "reprint"))
    d.wait_until(lambda: d.get(routing.ADMIN_RECEIPT, "notice").text == strings.REPRINT_QUEUED, "reprinted")
    assert [job.reprint for job in jobs(sale.id)] == [False, True]
    d.tap(d.get(routing.ADMIN_RECEIPT, "back"))
    d.wait_for_screen(routing.ADMIN_SALE)
    d.wait_until(lambda: "2 printed" in d.get(routing.ADMIN_SALE, "body").text, "the detail, fresh")


# Landscape only in this process: a window turned to portrait here leaves the earlier tests' apps
# laid out for the other shape (Clock: too much iteration). Portrait is in the tour (37-receipt-vat).
@pytest.mark.parametrize(("language", "size"), [("en", (800, 480)), ("zh_CN", (800, 480))])
def test_the_whole_paper_width_is_in_view_scrolled_from_the_top(d, language, size):
    sale = d.services.ledger.search(limit=1)[0]
    d.app.controller.set_language(language)
    d.resize(*size)
    open_receipt(d, sale.id)
    paper = d.get(routing.ADMIN_RECEIPT, "paper")
    image, margin = paper.ids.image, 10 * d.app.unit
    assert image.width == image.texture_size[0]  # 58 mm: the dots one to one, not scaled
    assert image.x - margin >= 0 and image.right + margin <= paper.width - paper.bar_width + 0.5
    assert paper.scroll_y == 1  # the shop's name first
    if size[0] > size[1]:
        assert image.height > paper.height  # taller than the view: it scrolls
    bar = d.get(routing.ADMIN_RECEIPT, "back")
    assert bar.texture_size[0] <= bar.width  # the bar's words fit their buttons
    d.resize(800, 480)
