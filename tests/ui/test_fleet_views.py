"""What the kiosk says about reaching the central books: the node screen's section and the keypad's line."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from kiosk import i18n
from kiosk.services.fleet import OutboxStatus
from kiosk.ui import fleet_views

MINUTE_MS = 60_000
# 2026-11-23 09:00 UTC, 17:00 in Shanghai
T0 = 1_795_424_400_000
SHANGHAI = ZoneInfo("Asia/Shanghai")
WARN_MS = 60 * MINUTE_MS  # [fleet] warn_backlog_minutes = 60


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh_CN")
    try:
        yield
    finally:
        i18n.set_language("en")


def waiting(
    count: int, oldest_ms: int | None, error: str | None = None, sent_ms: int | None = T0
) -> OutboxStatus:
    return OutboxStatus(10, 10 + count, oldest_ms, sent_ms, sent_ms, error)


def test_everything_sent_says_when_and_nothing_else():
    view = fleet_views.sync_view(waiting(0, None), T0 + 5 * MINUTE_MS, SHANGHAI, WARN_MS)
    assert view == fleet_views.SyncView(
        "Last sent: 2026-11-23 17:00", "Everything is in the central books", "", "", False
    )


def test_a_backlog_shows_its_count_its_age_and_the_last_error_without_secrets():
    error = (
        "The central database cannot be reached: password=hunter2 postgresql://kiosk:s3cret@db/books\nmore"
    )
    status = waiting(7, T0, error, sent_ms=None)
    view = fleet_views.sync_view(status, T0 + 125 * MINUTE_MS, SHANGHAI, WARN_MS)
    assert view.last_sent == "Last sent: never"
    assert view.backlog == "Waiting to be sent: 7 events"
    assert view.oldest == "Oldest waiting for 2 h 5 min" and view.late
    assert view.error == (
        "Last try failed: The central database cannot be reached: password=*** postgresql://kiosk:***@db/books"
    )
    text = fleet_views.sync_text(view)
    assert "hunter2" not in text and "s3cret" not in text
    assert "[color=#F5A524]Oldest waiting for 2 h 5 min[/color]" in text


def test_the_keypad_warns_only_once_the_oldest_unsent_event_is_older_than_the_threshold():
    status = waiting(3, T0)
    assert fleet_views.backlog_note(status, T0 + WARN_MS - 1, WARN_MS) == ""
    assert fleet_views.backlog_note(status, T0 + WARN_MS, WARN_MS) == (
        "Not in the central books for 1 h 0 min: sales are safe here; tell the manager"
    )
    later = T0 + 26 * 60 * MINUTE_MS
    assert "for 1 d 2 h:" in fleet_views.backlog_note(status, later, WARN_MS)
    # Sent since (nothing waits), or no status read yet: nothing to say, however long ago.
    assert fleet_views.backlog_note(waiting(0, None), later, WARN_MS) == ""
    assert fleet_views.backlog_note(None, later, WARN_MS) == ""


def test_in_chinese_numbers_sit_against_their_units(chinese):
    status = waiting(12, T0)
    view = fleet_views.sync_view(status, T0 + 90 * MINUTE_MS, SHANGHAI, WARN_MS)
    assert (view.backlog, view.oldest) == ("待上传：12条记录", "最早一条已等待1小时30分钟")
    assert fleet_views.backlog_note(status, T0 + 90 * MINUTE_MS, WARN_MS) == (
        "已有1小时30分钟未上传到中央账本：订单已安全保存在本收银机，请告知店长"
    )
    assert fleet_views.age_text(5 * MINUTE_MS) == "5分钟"
