"""The shift report's preview through the real widgets: the whole paper width in view, on a white margin,
in Chinese and on 80 mm paper (576 dots, wider than the preview's half of an 800 px screen)."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.config import UiConfig
from kiosk.ui import routing
from tests.ui.conftest import headless_kiosk, scratch_config
from tests.ui.test_admin import unlock

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def d(tmp_path_factory):
    config = scratch_config(tmp_path_factory.mktemp("kiosk"), ui=UiConfig(language="zh_CN"))
    config = dataclasses.replace(config, printer=dataclasses.replace(config.printer, paper_width_mm=80))
    with headless_kiosk(config) as driver:
        yield driver


def test_the_80mm_report_is_scaled_into_view_with_a_paper_margin(d):
    assert d.services.admin.paper.dots == 576
    unlock(d)
    d.tap(d.get(routing.ADMIN_MENU, "report"))
    d.wait_for_screen(routing.ADMIN_REPORT)
    report = d.app.root.get_screen(routing.ADMIN_REPORT)
    d.wait_until(lambda: report.ids.paper.texture is not None, "preview")
    d.settle()
    scroll, margin = report.ids.paper, 10 * d.app.unit
    paper = scroll.ids.image
    assert paper.texture_size[0] == 576 and paper.width < 576  # scaled down, not cropped
    assert paper.width / paper.height == pytest.approx(paper.texture_size[0] / paper.texture_size[1])
    # inside the scroll view (its own coordinates), the margin clear of the scroll bar on the right
    assert paper.x - margin >= 0 and paper.right + margin <= scroll.width - scroll.bar_width + 0.5
