"""History rows through the real widgets: what was sold (not the shop name again), sats beside the fiat,
a sale that took no money muted, a paid one bold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.domain.sale import SaleItem, SaleState
from kiosk.ui import routing, strings, theme
from tests.admin.conftest import DAY_START_MS, record
from tests.ui.conftest import headless_kiosk, scratch_config
from tests.ui.test_admin import unlock

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def d(tmp_path_factory):
    with headless_kiosk(scratch_config(tmp_path_factory.mktemp("kiosk"))) as driver:
        yield driver


def labels(row) -> dict[str, object]:
    """The row's amount and sats labels (its children, right to left in kv's order)."""
    status, sats, amount = row.children
    assert status.text == row.status
    return {"amount": amount, "sats": sats}


def open_history(d):
    if d.app.root.current != routing.ADMIN_HISTORY:
        unlock(d)
        d.tap(d.get(routing.ADMIN_MENU, "history"))
        d.wait_for_screen(routing.ADMIN_HISTORY)
    return d.app.root.get_screen(routing.ADMIN_HISTORY)


def test_rows_show_items_or_nothing_for_the_default_memo_sats_muted_and_bold(d):
    shop, ledger = d.app.controller.till.shop_name, d.services.ledger
    items = (SaleItem("Latte", 2, Decimal("3.50")), SaleItem("Croissant", 1, Decimal("3.20")))
    memo = f"{shop}: 2× Latte, 1× Croissant"
    catalog = record(ledger, DAY_START_MS, 10_737, fiat="10.20", memo=memo, items=items)
    keypad = record(ledger, DAY_START_MS + 1, 4_736, fiat="4.50", memo=shop)
    cancelled = record(ledger, DAY_START_MS + 2, 8_105, fiat="7.70", memo="Table 4", end=SaleState.CANCELLED)
    history = open_history(d)
    d.wait_until(
        lambda: (
            [r.text.split()[0] for r in history.rows][:3]
            == [f"#{cancelled.id}", f"#{keypad.id}", f"#{catalog.id}"]
        ),
        "rows",
    )
    d.settle()
    quiet, strong, items_row = history.rows[:3]
    assert strong.text == f"#{keypad.id}  11-23 09:00" and shop not in items_row.text  # no default memo
    assert items_row.text.endswith("2× Latte, 1× Croissant") and quiet.text.endswith("Table 4")
    assert (strong.amount, strong.sats) == ("$4.50", "4,736 sats")
    assert (quiet.status, quiet.amount, quiet.sats) == (strings.STATE_CANCELLED, "$7.70", "8,105 sats")
    assert list(quiet.color) == list(theme.MUTED) and list(strong.color) == list(theme.TEXT)
    assert labels(strong)["amount"].bold and labels(strong)["sats"].bold
    assert not labels(quiet)["amount"].bold and list(labels(quiet)["amount"].color) == list(theme.MUTED)
    for row in history.rows:  # nothing overlaps: the text ends before the amount, the amount before the sats
        parts = labels(row)
        assert row.x + row.width - row.padding[2] <= parts["amount"].x + 1
        assert parts["amount"].right <= parts["sats"].x + 1
        assert parts["amount"].texture_size[0] <= parts["amount"].width
        assert parts["sats"].texture_size[0] <= parts["sats"].width


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_search_hint_fits_its_field_in_landscape_and_portrait(d, language):
    """The portrait hint was cut ("…mem", "支付哈"): its field is 320 units narrower there (480, not 800)."""
    from kivy.core.text import Label as CoreLabel

    from kiosk import i18n
    from kiosk.ui import fonts, routing

    open_history(d)
    d.settle()
    search = d.get(routing.ADMIN_HISTORY, "search")
    unit = d.app.unit
    landscape_room = search.width - search.padding[0] - search.padding[2]
    portrait_room = landscape_room - (d.app.root.width - 480 * unit)
    i18n.set_language(language)
    try:
        for hint, room in (
            (strings.HISTORY_SEARCH, landscape_room),
            (strings.HISTORY_SEARCH_SHORT, portrait_room),
        ):
            label = CoreLabel(text=hint, font_name=fonts.text_font(), font_size=search.font_size)
            label.refresh()
            assert label.texture.size[0] <= room, (hint, label.texture.size[0], room)
    finally:
        i18n.set_language("en")
